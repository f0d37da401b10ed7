//! Python's `random` module, as far as Keras's seeding uses it:
//! `random.seed(int)` and `random.randint(a, b)` on CPython's Mersenne
//! Twister (`rand_mt` implements MT19937 with `init_by_array`, which is what
//! CPython seeds with).

use rand_mt::Mt;

/// A Python `random.Random` state.
pub struct PyRandom {
    mt: Mt,
}

impl PyRandom {
    /// `random.seed(seed)` for an `int` seed: MT19937's `init_by_array` on the
    /// 32-bit words of `abs(seed)`, least significant first (`[0]` for 0).
    pub fn seeded(seed: i64) -> Self {
        let mut n = seed.unsigned_abs();
        let mut key = Vec::new();
        while n > 0 {
            key.push(n as u32);
            n >>= 32;
        }
        if key.is_empty() {
            key.push(0);
        }
        PyRandom {
            mt: Mt::new_with_key(key),
        }
    }

    /// A state seeded from the clock, as an unseeded Python process is from
    /// the OS: its draws are not reproducible, and need not be.
    pub fn from_entropy() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        PyRandom::seeded((nanos as i64).wrapping_abs())
    }

    /// `getrandbits(k)` for `1 <= k <= 32`.
    fn getrandbits(&mut self, k: u32) -> u32 {
        self.mt.next_u32() >> (32 - k)
    }

    /// `random.randint(a, b)` (`a <= b`, `b - a < 2**32`): `a + _randbelow(b - a + 1)`,
    /// rejection-sampled on `getrandbits(n.bit_length())` as CPython does.
    pub fn randint(&mut self, a: i64, b: i64) -> i64 {
        let n = (b - a + 1) as u64;
        let k = 64 - n.leading_zeros();
        loop {
            let r = u64::from(self.getrandbits(k.min(32)));
            if r < n {
                return a + r as i64;
            }
        }
    }

    /// Keras's `make_default_seed()`: `random.randint(1, int(1e9))`.
    pub fn make_default_seed(&mut self) -> i64 {
        self.randint(1, 1_000_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::PyRandom;

    #[test]
    fn matches_cpython() {
        // Measured on CPython 3.11: random.seed(42); random.randint(1, int(1e9)) twice.
        let mut r = PyRandom::seeded(42);
        assert_eq!(r.make_default_seed(), 686_579_304);
        assert_eq!(r.make_default_seed(), 119_540_832);
    }
}
