//! Durations and sizes as the configuration writes them (`"30s"`,
//! `"64MiB"`), parsed.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

/// A size in bytes, written as a number of bytes or as a string with a
/// unit (`"64MiB"`, `"500KB"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ByteSize, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of bytes or a size such as \"64MiB\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v)
                    .ok()
                    .filter(|&v| v > 0)
                    .map(ByteSize)
                    .ok_or_else(|| E::custom(format!("a size must be positive, not {v}")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ByteSize, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ByteSize, E> {
                parse_size(v).map(ByteSize).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A string that is not a duration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a duration; {hint}")]
pub struct DurationError {
    /// The string as written.
    pub input: String,
    /// How to write one.
    pub hint: &'static str,
}

/// A string that is not a size.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a size; {hint}")]
pub struct SizeError {
    /// The string as written.
    pub input: String,
    /// How to write one.
    pub hint: &'static str,
}

/// Parses a duration written as a number and a unit: `"500ms"`, `"30s"`,
/// `"1.5s"`, `"2m"`, `"1h"`.
pub fn parse_duration(s: &str) -> Result<Duration, DurationError> {
    let bad = || DurationError {
        input: s.to_string(),
        hint: "write a number and a unit, such as \"30s\", \"500ms\" or \"2m\"",
    };
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(bad)?;
    let (number, unit) = t.split_at(split);
    let n: f64 = number.parse().map_err(|_| bad())?;
    let scale = match unit.trim() {
        "ms" => 0.001,
        "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(bad()),
    };
    Duration::try_from_secs_f64(n * scale).map_err(|_| bad())
}

/// Parses a size: a number of bytes with an optional unit (`B`, `KB`, `MB`,
/// `GB`, `KiB`, `MiB`, `GiB`).
pub fn parse_size(s: &str) -> Result<u64, SizeError> {
    let bad = || SizeError {
        input: s.to_string(),
        hint: "write bytes or a size such as \"64MiB\" or \"500KB\"",
    };
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number.parse().map_err(|_| bad())?;
    let scale: u64 = match unit.trim() {
        "" | "B" => 1,
        "KB" | "kB" => 1000,
        "MB" => 1000 * 1000,
        "GB" => 1000 * 1000 * 1000,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => return Err(bad()),
    };
    n.checked_mul(scale).filter(|&b| b > 0).ok_or_else(bad)
}
