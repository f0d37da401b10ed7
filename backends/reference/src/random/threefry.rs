//! The threefry2x32 counter-based hash and JAX's key operations on a raw
//! `uint32[2]` key, with `jax_threefry_partitionable=True` (the default in
//! jax 0.10.2).

/// A legacy JAX PRNG key: the raw `uint32[2]` Keras builds as `[seed, 0]`.
pub type Key = [u32; 2];

const ROTATIONS: [[u32; 4]; 2] = [[13, 15, 26, 6], [17, 29, 16, 24]];

/// Threefry-2x32 with 20 rounds, as `jax._src.random.threefry2x32` lowers it:
/// hashes the counter pair `(x0, x1)` under `key`.
pub fn threefry2x32(key: Key, x: [u32; 2]) -> [u32; 2] {
    let ks = [key[0], key[1], key[0] ^ key[1] ^ 0x1BD1_1BDA];
    let mut x0 = x[0].wrapping_add(ks[0]);
    let mut x1 = x[1].wrapping_add(ks[1]);
    for block in 0..5usize {
        for &r in &ROTATIONS[block % 2] {
            x0 = x0.wrapping_add(x1);
            x1 = x1.rotate_left(r);
            x1 ^= x0;
        }
        x0 = x0.wrapping_add(ks[(block + 1) % 3]);
        x1 = x1
            .wrapping_add(ks[(block + 2) % 3])
            .wrapping_add(block as u32 + 1);
    }
    [x0, x1]
}

/// The hash of element `i` of a partitionable iota: the counter is the
/// 64-bit index split into (high, low) words.
fn hash_index(key: Key, i: u64) -> [u32; 2] {
    threefry2x32(key, [(i >> 32) as u32, i as u32])
}

/// `jax.random.split(key, 2)` (fold-like, partitionable): two new keys.
pub fn split2(key: Key) -> (Key, Key) {
    (hash_index(key, 0), hash_index(key, 1))
}

/// `random_bits(key, 32, shape)` for `n` elements: `b1 ^ b2` of each hash.
pub fn bits32(key: Key, n: usize) -> Vec<u32> {
    (0..n as u64)
        .map(|i| {
            let [a, b] = hash_index(key, i);
            a ^ b
        })
        .collect()
}

/// `random_bits(key, 16, shape)`: the low 16 bits of `b1 ^ b2`.
pub fn bits16(key: Key, n: usize) -> Vec<u16> {
    bits32(key, n).into_iter().map(|b| b as u16).collect()
}

/// `random_bits(key, 8, shape)`: the low 8 bits of `b1 ^ b2`.
pub fn bits8(key: Key, n: usize) -> Vec<u8> {
    bits32(key, n).into_iter().map(|b| b as u8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answer_vectors() {
        // Threefry-2x32 (20 rounds) reference vectors from the Random123 suite,
        // the same ones jax's own tests use.
        assert_eq!(threefry2x32([0, 0], [0, 0]), [0x6b20_0159, 0x99ba_4efe]);
        assert_eq!(
            threefry2x32([u32::MAX, u32::MAX], [u32::MAX, u32::MAX]),
            [0x1cb9_96fc, 0xbb00_2be7]
        );
    }
}
