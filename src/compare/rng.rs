//! The seeded random number generator of the resampling, which lives with
//! the synthetic-corpus generator: [`crate::gen::rng`].

pub use crate::gen::rng::SplitMix64;
