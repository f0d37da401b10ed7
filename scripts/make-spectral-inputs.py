"""Writes the inputs of the round-trip cases of istft and irfft, from REAL Keras.

A case calls one op only, so an inverse transform is checked honestly like
this: a signal is drawn here with NumPy, the forward op (keras.ops.stft or
keras.ops.rfft, Keras 3.15.1 on JAX, CPU) transforms it, and both are saved
as .npy files next to the case files. The inverse op's case takes the saved
transform as arguments and expects the saved signal itself, so neither the
inputs nor the expected values come from the reference backend.

    KERAS_BACKEND=jax $KCONFORM_KERAS_PYTHON scripts/make-spectral-inputs.py

Output: cases/ops/istft.inputs/<name>_{signal,real,imag}.npy (and
<name>_window.npy for a tensor window, <name>_expected.npy where the
expectation is not the signal itself), cases/ops/irfft.inputs/... alike.
Deterministic: rerunning it rewrites identical files.
"""

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402
import keras  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cases", "ops")

# name: (signal shape, seed, stft kwargs, extra)
# extra: "length" keeps signal[..., :length]; "scale" multiplies the expected
# signal (for the window=None finding: Keras's istft divides by the stride).
ISTFT = {
    "hann_8_4_8": ((2, 32), 1, dict(sequence_length=8, sequence_stride=4, fft_length=8), {}),
    "hann_8_2_16": ((2, 32), 2, dict(sequence_length=8, sequence_stride=2, fft_length=16), {}),
    "hamming_8_4_8": ((2, 32), 3, dict(sequence_length=8, sequence_stride=4, fft_length=8, window="hamming"), {}),
    "tensor_window_8_4_8": ((2, 32), 4, dict(sequence_length=8, sequence_stride=4, fft_length=8, window="tensor"), {}),
    "hamming_uncentered_8_4_8": ((2, 32), 5, dict(sequence_length=8, sequence_stride=4, fft_length=8, window="hamming", center=False), {}),
    "hann_length_30": ((2, 32), 6, dict(sequence_length=8, sequence_stride=4, fft_length=8), {"length": 30}),
    "hann_rank1_odd_9_3_9": ((34,), 7, dict(sequence_length=9, sequence_stride=3, fft_length=9), {}),
    "hann_rank3_6_3_8": ((2, 2, 24), 8, dict(sequence_length=6, sequence_stride=3, fft_length=8), {}),
    "none_8_4_8": ((2, 32), 9, dict(sequence_length=8, sequence_stride=4, fft_length=8, window=None), {"scale": 2.0}),
    "hann_hop_equals_fft_8_8_8": ((2, 32), 10, dict(sequence_length=8, sequence_stride=8, fft_length=8), {}),
}

# name: (signal shape, seed, fft_length passed to rfft)
IRFFT = {
    "even_10": ((3, 10), 11, None),
    "odd_7": ((2, 7), 12, 7),
}


def save(folder, name, **arrays):
    os.makedirs(folder, exist_ok=True)
    for key, arr in arrays.items():
        np.save(os.path.join(folder, f"{name}_{key}.npy"), np.ascontiguousarray(arr))


def main():
    ops = keras.ops
    folder = os.path.join(ROOT, "istft.inputs")
    for name, (shape, seed, kwargs, extra) in ISTFT.items():
        rng = np.random.default_rng(seed)
        signal = rng.normal(size=shape).astype(np.float32)
        kwargs = dict(kwargs)
        arrays = {"signal": signal}
        if kwargs.get("window") == "tensor":
            window = rng.uniform(0.5, 1.5, size=kwargs["sequence_length"]).astype(np.float32)
            kwargs["window"] = window
            arrays["window"] = window
        real, imag = ops.stft(signal, **kwargs)
        arrays["real"] = np.asarray(real)
        arrays["imag"] = np.asarray(imag)
        if "length" in extra:
            arrays["expected"] = signal[..., : extra["length"]]
        if "scale" in extra:
            arrays["expected"] = (signal.astype(np.float64) * extra["scale"]).astype(np.float32)
        save(folder, name, **arrays)
    folder = os.path.join(ROOT, "irfft.inputs")
    for name, (shape, seed, n) in IRFFT.items():
        rng = np.random.default_rng(seed)
        signal = rng.normal(size=shape).astype(np.float32)
        real, imag = ops.rfft(signal, n)
        save(folder, name, signal=signal, real=np.asarray(real), imag=np.asarray(imag))
    print("keras", keras.__version__, "backend", keras.backend.backend(), file=sys.stderr)


if __name__ == "__main__":
    main()
