//! A small seeded random number generator (SplitMix64), for generated
//! corpora and `compare`'s resampling.
//!
//! Hand-written rather than taken from `rand` on purpose: a generated
//! corpus and a confidence interval must be the same on every machine and
//! every quotecheck version for a given seed, and `rand` does not promise a
//! stable stream across its versions. SplitMix64 (Steele, Lea & Flood,
//! 2014) is ten lines, passes BigCrush, and is plenty for both.
//!
//! [`SplitMix64::keyed`] starts a stream of its own for one key (an
//! article id) under a seed, so that what is drawn for an article does not
//! depend on which other articles are drawn for, or in which order: the
//! resampling of `compare` gives the same figures over a whole run and over
//! its parts merged (docs/compare.md gives the exact definition).

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

    /// The stream of `key` under `seed`: its state is the first 8 bytes,
    /// read little-endian, of SHA-256 of the seed's 8 little-endian bytes
    /// followed by the key's UTF-8 bytes.
    pub fn keyed(seed: u64, key: &str) -> SplitMix64 {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(seed.to_le_bytes());
        h.update(key.as_bytes());
        let digest = h.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        SplitMix64::new(u64::from_le_bytes(first))
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

    /// A uniform float in [0, 1): the top 53 bits of the next draw, × 2⁻⁵³.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A draw of Poisson(1), by inversion of one uniform: the smallest k
    /// with u < Σ_{j≤k} e⁻¹ / j!, the sum taken in f64 in that order, each
    /// term the previous one divided by j, from e⁻¹ = 1 / e (IEEE division,
    /// so every machine draws the same).
    /// Capped at 20, far beyond any draw the cap could change (P(k > 20)
    /// is below 10⁻¹⁹).
    pub fn poisson1(&mut self) -> u64 {
        let u = self.uniform();
        let mut pmf = 1.0 / std::f64::consts::E;
        let mut cdf = pmf;
        let mut k = 0;
        while u >= cdf && k < 20 {
            k += 1;
            pmf /= k as f64;
            cdf += pmf;
        }
        k
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

    #[test]
    fn keyed_streams_depend_on_seed_and_key_only() {
        let first = |seed, key| SplitMix64::keyed(seed, key).next_u64();
        assert_eq!(first(1, "a"), first(1, "a"));
        assert_ne!(first(1, "a"), first(2, "a"));
        assert_ne!(first(1, "a"), first(1, "b"));
    }

    #[test]
    fn poisson_draws_have_mean_and_variance_one() {
        let mut r = SplitMix64::new(11);
        let draws: Vec<f64> = (0..100_000).map(|_| r.poisson1() as f64).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!((mean - 1.0).abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.02, "{var}");
        // P(0) = e⁻¹.
        let zeros = draws.iter().filter(|d| **d == 0.0).count() as f64 / draws.len() as f64;
        assert!((zeros - (-1.0f64).exp()).abs() < 0.005, "{zeros}");
    }
}
