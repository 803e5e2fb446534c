//! A small seeded random number generator (SplitMix64), for generated
//! corpora and `compare`'s resampling.
//!
//! Hand-written rather than taken from `rand` on purpose: a generated
//! corpus and a confidence interval must be the same on every machine and
//! every quotecheck version for a given seed, and `rand` does not promise a
//! stable stream across its versions. SplitMix64 (Steele, Lea & Flood,
//! 2014) is ten lines, passes BigCrush, and is plenty for both.

/// The generator.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (Lemire's multiply-shift; the bias is
    /// below 2⁻³² for the sizes used here).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A fair coin.
    pub fn coin(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn the_stream_is_fixed_for_a_seed() {
        // Reference values of SplitMix64 from seed 0.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let mut r = SplitMix64::new(7);
        let draws: Vec<usize> = (0..1000).map(|_| r.below(10)).collect();
        for v in 0..10 {
            let n = draws.iter().filter(|d| **d == v).count();
            assert!((60..140).contains(&n), "{v}: {n}");
        }
    }
}
