"""Prints float32 (input bits, output bits) pairs of XLA:CPU's log, log1p and
erf_inv as JAX evaluates them, for the reference backend's unit test.

The reference's `random::xla_math` reproduces these three functions (they
carry `keras.random.normal`, `truncated_normal` and `categorical`), so its test
checks them against values measured here, on the oracle:

    $KCONFORM_KERAS_PYTHON scripts/xla-math-pairs.py \
        > backends/reference/testdata/xla_math_f32.txt

Each function is `jax.jit` of `jnp.log`, `jnp.log1p` or `jax.lax.erf_inv` on
CPU over one float32 array of inputs: special values, seeded random inputs,
and inputs where an earlier reference was off by an ulp (a separately
rounded `y * x3` in log's polynomial, and a shortened decimal for one log
coefficient, one ulp away from the constant XLA emits). Output lines are
`<function> <input bits> <output bits>`, in hex. Deterministic: rerunning it
prints the same lines.
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

FUNCTIONS = {
    "log": jnp.log,
    "log1p": jnp.log1p,
    "erf_inv": jax.lax.erf_inv,
}

# Inputs (bits) where the earlier reference disagreed with XLA:CPU: for log
# and log1p, a sample of those among every 7th float32; for erf_inv, a sample
# of those among the uniforms normal and truncated_normal feed it.
HARD = {
    "log": [
        # Only the one-ulp coefficient shows on these three.
        0x3FA3632A, 0x3FA3DBBF, 0x3FA62720,
        0x00A1D969, 0x044EF9ED, 0x09992F16, 0x0EB327EB, 0x12C6D9DF, 0x15A607BA,
        0x17B43B35, 0x19B7D6F4, 0x1C2F3C09, 0x1EC6B720, 0x21627D1B, 0x243908A1,
        0x27242D34, 0x292A3E0C, 0x2AAA2F51, 0x2BBB1ECD, 0x2D1F0989, 0x2EE211BE,
        0x30B7C5A3, 0x32A65098, 0x33BF6E87, 0x34AC99A8, 0x353814B6, 0x36201ECB,
        0x36B76AAB, 0x37B441D6, 0x38A06FBC, 0x39488724, 0x3A1D1423, 0x3A4F69BE,
        0x3ABA25F1, 0x3B345B0C, 0x3BB528D9, 0x3C31DA76, 0x3CA04A34, 0x3CB8483D,
        0x3D1D0AB8, 0x3D33877B, 0x3D9DF59D, 0x3DBCBE4D, 0x3E200214, 0x3E34A98A,
        0x3E4D027E, 0x3EAD9D38, 0x3ECAEF99, 0x3F169256, 0x3F261AE2, 0x3F323780,
        0x3FBCA1CD, 0x3FC9B062, 0x3FE34F07, 0x402A4232, 0x404C98BF, 0x40A3C2C0,
        0x40B8EC96, 0x40D1F803, 0x4130E6C8, 0x4152DFA7, 0x41B256A6, 0x41CC4C93,
        0x422C1BD6, 0x42462684, 0x42B3D9FF, 0x432C5C56, 0x43ABEE74, 0x44211A54,
        0x443D69CA, 0x44B481E1, 0x452B3AFA, 0x45A48BB5, 0x464A1561, 0x473981ED,
        0x48495C80, 0x494597EB, 0x4A3E69C9, 0x4BAD15F4, 0x4D3AF423, 0x4EC19B2B,
        0x504FD525, 0x51C95A89, 0x5331A6F7, 0x54543663, 0x55C230B6, 0x57CA36CB,
        0x5A3B84AE, 0x5D4146FD, 0x5FD99509, 0x629EB136, 0x652059E4, 0x672F5739,
        0x69AC58C1, 0x6C2683A7, 0x6FB677B0, 0x75227A1B, 0x7AB677A5,
    ],
    "log1p": [
        0x3ED42470, 0x3EE2597C, 0x3EF03954, 0x3EF5BA3E, 0x3F03D1C9, 0x3F12EC54,
        0x3F2016CD, 0x3F3BE3B9, 0x3FB5F2C4, 0x3FCF2758, 0x3FEFC4FA, 0x4007F0BB,
        0x40777AE1, 0x40918A51, 0x40A62C3A, 0x410F377E, 0x41301C00, 0x419DE6CE,
        0x41B80C95, 0x421F0C53, 0x42332A54, 0x424A16F4, 0x42C06AB0, 0x4337E6AA,
        0x43B60F5A, 0x44322816, 0x44ABAEA1, 0x44C1338C, 0x4532F6E2, 0x45B77570,
        0x46ADF57B, 0x47AA02FD, 0x48A96100, 0x49A83DEC, 0x4A9EE136, 0x4BC8975A,
        0x4D52561F, 0x4F267CBD, 0x50ACA700, 0x521F6846, 0x533C4AAD, 0x54B1EA0C,
        0x5627D855, 0x5832C892, 0x5AAB40F3, 0x5DB02270, 0x603ED338, 0x62BF2430,
        0x6532CC75, 0x67479F7F, 0x69BEDF80, 0x6C59641C, 0x703B6FD0, 0x759D1E79,
        0x7B5D24F0, 0xBEEB73BD, 0xBF2B9804, 0xBF594801,
    ],
    "erf_inv": [
        0x3F26BF69, 0xBF6518C5, 0xBF745615, 0xBF73F720, 0xBF7334CF, 0xBF7EB10F,
        0xBF7E8029, 0xBF7D3DDD, 0xBF7CBD8F, 0xBF6BDD5E, 0xBF6B263D, 0xBF7ADDFF,
        0xBF7A7F7D, 0xBF698E4F, 0xBF7A2C09, 0xBF79B72D, 0xBF677214, 0xBF65FAEA,
        0xBF649574, 0xBF761959, 0xBF75C64D, 0xBF75488B, 0xBF7516B7, 0xBF74CB83,
        0xBF740A05, 0xBF735F65, 0xBF7334CF, 0xBF5A989B, 0xBF58157F, 0xBF55C9CB,
        0xBF551F2D, 0xBF5396D8, 0xBF51E7A6, 0xBF6D5C5F, 0xBF6D0EA5, 0xBF6C8263,
        0xBF4EBDE0, 0xBF6C0E4F, 0xBF6BD35D, 0xBF4CC079, 0xBF4BCA7E, 0xBF4BA40C,
        0xBF4B2B68, 0xBF4A3AA2, 0xBF699199, 0xBF694ECB, 0xBF68AF6D, 0xBF6836C1,
        0xBF461405, 0xBF679A4F, 0xBF6759DD, 0xBF66F42D, 0xBF664713, 0xBF653D57,
        0xBF650175, 0xBF646DDF, 0xBF62046B, 0xBF5963F5, 0xBF573157, 0xBF567BF5,
        0xBF55C9CB, 0xBF5536C1, 0xBF54A3A5, 0xBF5467ED, 0xBF52BB47, 0xBF524737,
        0xBF51989B, 0xBF50F3F1, 0xBF503967, 0xBF4F6BEF, 0xBF4EF953, 0xBF4ECC95,
        0xBF4E46F9, 0xBF4DD91D, 0xBF4BBD81, 0xBF49BC75, 0xBF48BE67, 0xBF47E523,
        0xBF47507B, 0xBF45F0A5, 0xBF4457DF, 0xBF437E1B, 0xBF3BCB07, 0xBF299D71,
        0xBF266FFF, 0xBF25EBF9, 0xBF257347, 0x3F25BA65, 0x3F3F3B4E, 0x3F44A492,
        0x3F460CFF, 0x3F49E74F, 0x3F4BA40C, 0x3F4CBC44, 0x3F4DFE84, 0x3F4ECC95,
        0x3F4F62DB, 0x3F512559, 0x3F51EA83, 0x3F5467ED, 0x3F5536C1, 0x3F564CE3,
        0x3F5963F5, 0x3F646DDF, 0x3F65C19A, 0x3F6763CE, 0x3F6972CF, 0x3F69C136,
        0x3F6BD35D, 0x3F6D0EA5, 0x3F734AA8, 0x3F740A4E,
    ],
}

SPECIAL = {
    # ±0, subnormals (read as zero), the smallest normal, 1, 2, near sqrt(1/2)
    # (the mantissa range switch), the largest float, inf, NaN and negatives.
    "log": [
        0x00000000, 0x80000000, 0x00000001, 0x007FFFFF, 0x807FFFFF, 0x00800000,
        0x3F800000, 0x3F7FFFFF, 0x3F800001, 0x40000000, 0x3F3504F3, 0x3F3504F2,
        0x3EB504F3, 0x3EB504F2, 0x7F7FFFFF, 0x7F800000, 0x7FC00000, 0xBF800000,
        0xFF800000, 0x33800000, 0x3F7FFFFE,
    ],
    # Around the sqrt(2) - 1 switch, -1, subnormals, tiny and large inputs.
    "log1p": [
        0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x00800000, 0x80800000,
        0x3ED413CD, 0x3ED413CC, 0x3ED413CE, 0xBED413CD, 0xBED413CC, 0xBED413CE,
        0xBF800000, 0xBF7FFFFF, 0xBF800001, 0x3F800000, 0x7F7FFFFF, 0x7F800000,
        0x7FC00000, 0x33800000, 0xB3800000, 0x24000000,
    ],
    # ±0, ±1, just inside ±1, subnormals, results that flush to zero, the
    # w = 5 branch switch neighbourhood, outside [-1, 1], NaN.
    "erf_inv": [
        0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x3F7FFFFF, 0xBF7FFFFF,
        0x3F7FFFFE, 0x00000001, 0x80000001, 0x00800000, 0x80800000, 0x00906E3B,
        0x80906E3B, 0x00906E3C, 0x3F7F22D5, 0x3F7F22D6, 0x3F7F22D7, 0x3F000000,
        0x3F800001, 0xC0000000, 0x7F800000, 0x7FC00000, 0x33800000,
    ],
}


def random_inputs(name, rng):
    """Seeded inputs over the domain that matters for each function."""
    if name == "log":
        bits = rng.integers(0x00800000, 0x7F800000, 100, dtype=np.uint32)
        unit = rng.random(60, dtype=np.float32)
    elif name == "log1p":
        bits = rng.integers(0x00800000, 0x7F800000, 30, dtype=np.uint32)
        unit = rng.uniform(-1.0, 1.0, 90).astype(np.float32)
    else:
        # As jax.random.normal draws them: mantissa bits into [0, 1), then
        # f * 2 + nextafter(-1, 0) (all float32 multiples of 2**-24).
        f = rng.integers(0, 1 << 23, 100).astype(np.float32) / np.float32(1 << 23)
        unit = np.maximum(f * np.float32(2) + np.float32(-0.99999994), np.float32(-0.99999994))
        bits = rng.integers(0x00800000, 0x3F800000, 60, dtype=np.uint32)
        bits = np.concatenate([bits, bits[:30] | np.uint32(0x80000000)])
    return np.concatenate([bits, unit.astype(np.float32).view(np.uint32)])


def main():
    rng = np.random.default_rng(20251121)
    print("# XLA:CPU float32 <function> <input bits> <output bits>, measured by")
    print(f"# scripts/xla-math-pairs.py on jax {jax.__version__} (CPU); do not edit.")
    for name, fn in FUNCTIONS.items():
        bits = np.concatenate(
            [
                np.asarray(SPECIAL[name], dtype=np.uint32),
                np.asarray(HARD[name], dtype=np.uint32),
                random_inputs(name, rng),
            ]
        )
        out = np.asarray(jax.jit(fn)(jnp.asarray(bits.view(np.float32)))).view(np.uint32)
        for x, y in zip(bits, out):
            print(f"{name} {int(x):08x} {int(y):08x}")


if __name__ == "__main__":
    main()
