"""kconform adapter: serves real `keras.ops` calls over JSON lines.

Started by the kconform-keras Rust crate as

    python -u kconform_adapter.py --backend jax

It prints one handshake line, then answers one request line with one response
line until stdin closes or a `shutdown` request arrives. The protocol is
specified in spec/protocol.md. Only the standard library, numpy and keras (and
ml_dtypes, a keras dependency) are used.

stdout carries protocol lines and nothing else: file descriptor 1 is pointed
at stderr before keras is imported, so prints and native-library logs from any
layer end up on stderr.
"""

import argparse
import base64
import io
import json
import linecache
import math
import os
import platform
import sys
import traceback

PROTOCOL = 1
ADAPTER = "kconform-keras"
BACKEND_LIBS = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "numpy": "numpy"}
KCONFORM_DTYPES = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "bfloat16", "float32", "float64",
]
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
TRACEBACK_LIMIT = 8000


class ProtocolError(Exception):
    """The request breaks the protocol (origin "adapter")."""


class Unsupported(Exception):
    """A value the protocol cannot carry (origin "unsupported")."""


def claim_stdout():
    """Keeps the real stdout for protocol lines; sends everything else to stderr."""
    proto_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(proto_fd, "wb")


def keep_own_source():
    """Caches this file's lines: the client deletes the script once started,
    and tracebacks should still quote adapter lines."""
    try:
        with open(__file__, encoding="utf-8") as f:
            lines = f.readlines()
    except OSError:
        return
    # mtime None marks the entry as not to be re-checked against the disk.
    linecache.cache[__file__] = (sum(len(line) for line in lines), None, lines, __file__)


def prepare_environment(backend):
    """Selects the Keras backend and pins computation to the CPU."""
    os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class Adapter:
    """Decodes requests, calls keras.ops, encodes results."""

    def __init__(self, backend):
        import numpy as np
        import ml_dtypes
        import keras

        self.np = np
        self.keras = keras
        self.backend = backend
        self.bfloat16 = np.dtype(ml_dtypes.bfloat16)
        self.ops = self._public_ops()

    # ----- handshake ------------------------------------------------------

    def _public_ops(self):
        """Public callables of keras.ops, plus `image.<name>` for image-only ops
        `random.<name>` for keras.random, and `utils.normalize`."""
        ops = self.keras.ops
        names = {n for n in dir(ops) if not n.startswith("_") and callable(getattr(ops, n))}
        for sub in ("image", "linalg", "nn", "numpy"):
            module = getattr(ops, sub, None)
            for n in dir(module) if module is not None else []:
                if not n.startswith("_") and n not in names and callable(getattr(module, n)):
                    names.add(sub + "." + n)
        # keras.random lives outside keras.ops: `random.<name>`.
        random = self.keras.random
        for n in dir(random):
            if not n.startswith("_") and n[0].islower() and callable(getattr(random, n)):
                names.add("random." + n)
        # The guide maps tf.nn.l2_normalize to keras.utils.normalize (not an op).
        names.add("utils.normalize")
        return sorted(names)

    def _versions(self):
        import numpy

        versions = {
            "keras": self.keras.__version__,
            "numpy": numpy.__version__,
            "python": platform.python_version(),
        }
        lib = BACKEND_LIBS.get(self.backend)
        if lib and lib not in versions:
            module = __import__(lib)
            versions[lib] = getattr(module, "__version__", "unknown")
        try:
            import ml_dtypes

            versions["ml_dtypes"] = ml_dtypes.__version__
        except (ImportError, AttributeError):
            pass
        return versions

    def _settings(self):
        """Numeric settings that change results."""
        settings = {"floatx": self.keras.config.floatx()}
        if self.backend == "jax":
            import jax

            settings["jax_enable_x64"] = str(bool(jax.config.jax_enable_x64)).lower()
        if self.backend == "torch":
            import torch

            settings["torch_default_dtype"] = str(torch.get_default_dtype()).replace("torch.", "")
        return settings

    def _device(self):
        if self.backend == "jax":
            import jax

            return jax.devices()[0].platform
        return "cpu"

    def _dtypes(self):
        """kconform dtypes keras.ops.convert_to_tensor accepts on this backend."""
        accepted = []
        for name in KCONFORM_DTYPES:
            try:
                self.keras.ops.convert_to_tensor(self.np.zeros((1,), dtype=self.np_dtype(name)))
                accepted.append(name)
            except Exception:  # noqa: BLE001 - a rejected dtype is simply not listed
                pass
        return accepted

    def handshake(self):
        return {
            "protocol": PROTOCOL,
            "adapter": ADAPTER,
            "versions": self._versions(),
            "keras_backend": self.keras.backend.backend(),
            "device": self._device(),
            "settings": self._settings(),
            "capabilities": {
                "ops": self.ops,
                "dtypes": self._dtypes(),
                "features": ["symbolic", "programs"]
                + (["traced_programs"] if self.backend == "jax" else []),
            },
        }

    # ----- value decoding (JSON -> Python) --------------------------------

    def np_dtype(self, name):
        if name == "bfloat16":
            return self.bfloat16
        if name not in KCONFORM_DTYPES:
            raise Unsupported("dtype %r is not carried by the protocol" % (name,))
        return self.np.dtype(name)

    def decode(self, v, symbolic, env=None):
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, list):
            return [self.decode(x, symbolic, env) for x in v]
        if not isinstance(v, dict) or len(v) != 1:
            raise ProtocolError("a JSON object value must have exactly one `$` key, got %r" % (v,))
        (tag, body), = v.items()
        if tag == "$float":
            special = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
            if body not in special:
                raise ProtocolError("$float must be nan, inf or -inf, got %r" % (body,))
            return special[body]
        if tag == "$int":
            return int(body)
        if tag == "$tuple":
            if not isinstance(body, list):
                raise ProtocolError("$tuple needs a list")
            return tuple(self.decode(x, symbolic, env) for x in body)
        if tag == "$dict":
            if not isinstance(body, dict):
                raise ProtocolError("$dict needs an object")
            return {k: self.decode(x, symbolic, env) for k, x in body.items()}
        if tag == "$ref":
            if env is None or body not in env:
                raise ProtocolError("$ref %r names no earlier step of this program" % (body,))
            return env[body]
        if tag == "$tensor":
            return self.decode_tensor(body)
        if tag == "$spec":
            if not symbolic:
                raise ProtocolError("$spec arguments need mode `symbolic`")
            self.np_dtype(body["dtype"])  # rejects dtypes the protocol does not carry
            return self.keras.KerasTensor(tuple(body["shape"]), dtype=body["dtype"])
        raise ProtocolError("unknown value tag %r" % (tag,))

    def decode_tensor(self, body):
        np = self.np
        dtype = self.np_dtype(body["dtype"])
        shape = tuple(body["shape"])
        arr = np.load(io.BytesIO(base64.b64decode(body["npy"], validate=True)), allow_pickle=False)
        if dtype == self.bfloat16:
            if arr.dtype != np.uint16:
                raise ProtocolError("bfloat16 npy must hold <u2 bits, got %s" % arr.dtype)
            arr = arr.view(self.bfloat16)
        elif arr.dtype != dtype:
            raise ProtocolError("npy holds %s but dtype says %s" % (arr.dtype, body["dtype"]))
        if arr.shape != shape:
            raise ProtocolError("npy has shape %s but shape says %s" % (arr.shape, shape))
        return np.require(arr, requirements="C")

    # ----- value encoding (Python -> JSON) --------------------------------

    def encode(self, x):
        np, keras = self.np, self.keras
        if x is None or isinstance(x, (bool, str)):
            return x
        if isinstance(x, int):
            return x if INT64_MIN <= x <= INT64_MAX else {"$int": str(x)}
        if isinstance(x, float):
            if math.isnan(x):
                return {"$float": "nan"}
            if math.isinf(x):
                return {"$float": "inf" if x > 0 else "-inf"}
            return x
        if isinstance(x, tuple):
            return {"$tuple": [self.encode(e) for e in x]}
        if isinstance(x, list):
            return [self.encode(e) for e in x]
        if isinstance(x, dict):
            if not all(isinstance(k, str) for k in x):
                raise Unsupported("dict with non-string keys")
            return {"$dict": {k: self.encode(e) for k, e in x.items()}}
        if isinstance(x, keras.KerasTensor):
            return {"$spec": {"shape": list(x.shape), "dtype": self._known(x.dtype)}}
        if isinstance(x, np.dtype):
            return self._known(x)
        if isinstance(x, (np.ndarray, np.generic)):
            return self.encode_array(np.asarray(x), self._known(x.dtype))
        if keras.ops.is_tensor(x):
            name = self._known(x.dtype)
            return self.encode_array(keras.ops.convert_to_numpy(x), name)
        raise Unsupported("result of type %s" % type(x).__name__)

    def _known(self, dtype):
        name = keras_dtype_name(self.keras, dtype)
        if name not in KCONFORM_DTYPES:
            raise Unsupported("dtype %s" % name)
        return name

    def encode_array(self, arr, name):
        np = self.np
        want = self.np_dtype(name)
        arr = np.asarray(arr)
        if arr.dtype != want:  # e.g. a backend that hands bfloat16 over as float32
            arr = arr.astype(want)
        if want == self.bfloat16:
            arr = arr.view(np.uint16)
        arr = np.require(arr, requirements="C").astype(arr.dtype.newbyteorder("<"), copy=False)
        buf = io.BytesIO()
        np.save(buf, arr, allow_pickle=False)
        return {"$tensor": {
            "dtype": name,
            "shape": list(arr.shape),
            "npy": base64.b64encode(buf.getvalue()).decode("ascii"),
        }}

    # ----- requests --------------------------------------------------------

    def resolve(self, op):
        if not isinstance(op, str) or op not in self.ops:
            raise Unsupported("op %r is not in keras.ops" % (op,))
        fn = self.keras if op.startswith(("random.", "utils.")) else self.keras.ops
        for part in op.split("."):
            fn = getattr(fn, part)
        return fn

    def call(self, req):
        mode = req.get("mode", "eager")
        if mode not in ("eager", "symbolic"):
            raise ProtocolError("mode must be `eager` or `symbolic`, got %r" % (mode,))
        args, kwargs = req.get("args", []), req.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise ProtocolError("args must be a list and kwargs an object")
        fn = self.resolve(req.get("op"))
        symbolic = mode == "symbolic"
        args = [self.decode(a, symbolic) for a in args]
        kwargs = {k: self.decode(v, symbolic) for k, v in kwargs.items()}
        try:
            result = fn(*args, **kwargs)
        except BaseException as e:  # noqa: BLE001 - the op's own error is the answer
            return error_body(e, "op")
        return {"ok": True, "result": self.encode(result)}

    def program(self, req):
        """Runs a program (spec/protocol.md, "program"): setup steps once, the
        body `runs` times (under jax.jit when `traced`), and returns the tuple
        of every unbound step's result."""
        steps = {k: req.get(k, []) for k in ("setup", "body")}
        runs, traced = req.get("runs", 1), req.get("traced", False)
        if not all(isinstance(v, list) for v in steps.values()) or not isinstance(runs, int) or runs < 1:
            raise ProtocolError("a program has `setup` and `body` lists and `runs` >= 1")
        if traced and self.backend != "jax":
            raise Unsupported("traced programs on the %s backend" % self.backend)
        fresh_rng_state(self.keras)
        env, outputs = {}, []
        try:
            for step in steps["setup"]:
                self.run_step(step, env, outputs)
            if traced:
                outputs.extend(self.encode(x) for x in run_traced(self, steps["body"], env, runs))
            else:
                for _ in range(runs):
                    for step in steps["body"]:
                        self.run_step(step, env, outputs)
        except (ProtocolError, Unsupported):
            raise
        except BaseException as e:  # noqa: BLE001 - the program's own error is the answer
            return error_body(e, "op")
        return {"ok": True, "result": {"$tuple": outputs}}

    def run_step(self, step, env, outputs, encode=True):
        """Runs one step: binds its result or appends it to `outputs`, encoded
        at once (a snapshot: on torch `variable.value` is the live Parameter,
        which later steps assign in place) unless `encode` is false (inside
        jax.jit, where results are tracers)."""
        if not isinstance(step, dict) or not isinstance(step.get("op"), str):
            raise ProtocolError("a program step is an object with an `op`")
        args = [self.decode(a, False, env) for a in step.get("args", [])]
        kwargs = {k: self.decode(v, False, env) for k, v in step.get("kwargs", {}).items()}
        op = step["op"]
        fn = PSEUDO_OPS.get(op)
        result = fn(self.keras, *args, **kwargs) if fn else self.resolve(op)(*args, **kwargs)
        if step.get("let") is not None:
            env[step["let"]] = result
        else:
            outputs.append(self.encode(result) if encode else result)

    def handle(self, line):
        """Answers one request line; returns (response or None, keep_serving)."""
        try:
            req = json.loads(line)
        except Exception as e:  # noqa: BLE001 - bad JSON, bad UTF-8, too deep
            return error_response(None, e, "adapter"), True
        if not isinstance(req, dict):
            return error_response(None, ProtocolError("a request must be a JSON object"), "adapter"), True
        rid = req.get("id")
        method = req.get("method")
        try:
            if method == "shutdown":
                return ({"id": rid, "ok": True, "result": None} if rid is not None else None), False
            if method == "ping":
                return {"id": rid, "ok": True, "result": None}, True
            if method == "program":
                body = self.program(req)
                body_id = {"id": rid}
                body_id.update(body)
                return body_id, True
            if method == "call":
                body = self.call(req)
                body_id = {"id": rid}
                body_id.update(body)
                return body_id, True
            raise ProtocolError("unknown method %r" % (method,))
        except Unsupported as e:
            return error_response(rid, e, "unsupported"), True
        except BaseException as e:  # noqa: BLE001 - a bad request never ends the server
            return error_response(rid, e, "adapter"), True


# ----- programs: pseudo-ops and tracing (spec/protocol.md, "program") -------


class Counter:
    """A Python int the caller increments (`program.counter`)."""

    def __init__(self, start=0):
        self.value = start

    def next(self):
        value = self.value
        self.value += 1
        return value


def guide_noise_layer(keras, noise_rate, printed=True):
    """The migration guide's RandomNoiseLayer: as printed (its `uniform` call
    omits the required `shape`), or corrected with `shape=ops.shape(inputs)`."""

    class RandomNoiseLayer(keras.layers.Layer):
        def __init__(self, noise_rate, **kwargs):
            super().__init__(**kwargs)
            self.noise_rate = noise_rate
            self.seed_generator = keras.random.SeedGenerator(1337)

        def call(self, inputs):
            if printed:
                noise = keras.random.uniform(
                    minval=0, maxval=self.noise_rate, seed=self.seed_generator
                )
            else:
                noise = keras.random.uniform(
                    shape=keras.ops.shape(inputs),
                    minval=0, maxval=self.noise_rate, seed=self.seed_generator
                )
            return inputs + noise

    return RandomNoiseLayer(noise_rate)


def describe_variable(keras, variable):
    return {"name": variable.name, "trainable": variable.trainable, "value": variable.value}


PSEUDO_OPS = {
    "random.SeedGenerator": lambda keras, *a, **k: keras.random.SeedGenerator(*a, **k),
    "random.SeedGenerator.next": lambda keras, g, *a, **k: g.next(*a, **k),
    "random.SeedGenerator.state": lambda keras, g: g.state,
    "Variable.describe": describe_variable,
    "utils.set_random_seed": lambda keras, *a, **k: keras.utils.set_random_seed(*a, **k),
    "program.counter": lambda keras, *a, **k: Counter(*a, **k),
    "program.next": lambda keras, c: c.next(),
    "guide.RandomNoiseLayer": guide_noise_layer,
    "guide.RandomNoiseLayer.call": lambda keras, layer, inputs: layer(inputs),
}


def fresh_rng_state(keras):
    """Each program starts as a fresh process would: no global SeedGenerator,
    no global seed, Python's `random` seeded from the OS."""
    import random
    from keras.src.backend.common import global_state
    from keras.src.random import seed_generator
    from keras.src.utils import rng_utils

    global_state.set_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR, None)
    global_state.set_global_attribute(rng_utils.GLOBAL_RANDOM_SEED, None)
    random.seed()


def state_variables(keras, env):
    """The variables a traced body may read and assign: every bound seed
    generator's state, layer variable and variable, once each."""
    found = []
    for obj in env.values():
        if isinstance(obj, keras.random.SeedGenerator):
            found.append(obj.state)
        elif isinstance(obj, keras.layers.Layer):
            found.extend(obj.variables)
        elif isinstance(obj, keras.Variable):
            found.append(obj)
    unique = []
    for v in found:
        if not any(v is u for u in unique):
            unique.append(v)
    return unique


def run_traced(adapter, body, env, runs):
    """The body as one `jax.jit`-compiled function of the variables' values,
    run `runs` times with the values threaded through (Keras's stateless
    scope, as its trainers do), then assigned back."""
    import jax

    keras = adapter.keras
    variables = state_variables(keras, env)

    def fn(values):
        outputs = []
        with keras.StatelessScope(state_mapping=list(zip(variables, values))) as scope:
            local = dict(env)
            for step in body:
                adapter.run_step(step, local, outputs, encode=False)
            new = []
            for v, old in zip(variables, values):
                cur = scope.get_current_value(v)
                new.append(old if cur is None else cur)
        return outputs, new

    compiled = jax.jit(fn)
    values = [v.value for v in variables]
    results = []
    for _ in range(runs):
        outputs, values = compiled(values)
        results.extend(outputs)
    for v, value in zip(variables, values):
        v.assign(value)
    return results


def keras_dtype_name(keras, dtype):
    try:
        return keras.backend.standardize_dtype(dtype)
    except Exception:  # noqa: BLE001
        return str(dtype)


def error_body(e, origin):
    tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    return {"ok": False, "error": {
        "type": type(e).__name__,
        "message": str(e),
        "origin": origin,
        "traceback": tb[-TRACEBACK_LIMIT:],
    }}


def error_response(rid, e, origin):
    body = {"id": rid}
    body.update(error_body(e, origin))
    return body


def dumps(obj):
    return json.dumps(obj, allow_nan=False, separators=(",", ":")).encode("utf-8") + b"\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="jax", help="keras backend: jax, torch, numpy, tensorflow")
    opts = parser.parse_args()

    keep_own_source()
    out = claim_stdout()
    prepare_environment(opts.backend)
    adapter = Adapter(opts.backend)
    out.write(dumps(adapter.handshake()))
    out.flush()

    stdin = sys.stdin.buffer
    while True:
        line = stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        response, keep_serving = adapter.handle(line)
        if response is not None:
            try:
                data = dumps(response)
            except (TypeError, ValueError) as e:
                data = dumps(error_response(response.get("id"), Unsupported(str(e)), "unsupported"))
            out.write(data)
            out.flush()
        if not keep_serving:
            break


if __name__ == "__main__":
    main()
