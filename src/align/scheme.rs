//! Content-matching schemes (scoring.md §2) and their exact threshold.

use std::fmt;
use std::str::FromStr;

/// How closely a prediction's tokens must agree with a gold quote's.
///
/// ```
/// use quotecheck::align::{Scheme, Theta};
///
/// let s: Scheme = "overlap:0.3".parse().unwrap();
/// assert_eq!(s, Scheme::Overlap(Theta::new(3, 10).unwrap()));
/// assert_eq!(s.to_string(), "overlap:0.3");
/// assert_eq!("overlap".parse::<Scheme>().unwrap(), Scheme::default());
/// assert!("overlap:1e-1".parse::<Scheme>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// The token lists are equal: same tokens, same order.
    Exact,
    /// The multiset Jaccard similarity of the token lists is at least θ.
    Overlap(Theta),
}

impl Default for Scheme {
    /// `overlap` with θ = 0.5, the scheme used unless one is set.
    fn default() -> Scheme {
        Scheme::Overlap(Theta::HALF)
    }
}

impl fmt::Display for Scheme {
    /// Always spells θ out (`overlap:0.5`), so reports say which threshold
    /// was used; the result parses back to the same scheme.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scheme::Exact => f.write_str("exact"),
            Scheme::Overlap(theta) => write!(f, "overlap:{theta}"),
        }
    }
}

impl FromStr for Scheme {
    type Err = SchemeError;

    fn from_str(s: &str) -> Result<Scheme, SchemeError> {
        match s {
            "exact" => Ok(Scheme::Exact),
            "overlap" => Ok(Scheme::default()),
            _ => match s.strip_prefix("overlap:") {
                Some(theta) => theta.parse().map(Scheme::Overlap),
                None => Err(SchemeError::UnknownScheme(s.to_owned())),
            },
        }
    }
}

impl serde::Serialize for Scheme {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Scheme {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Scheme, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The `overlap` threshold θ, an exact fraction in (0, 1].
///
/// θ is kept as a reduced fraction of integers rather than a float so that
/// the test `sim ≥ θ` is decided exactly: `sim = 3/10` passes `θ = 0.3`,
/// which a float comparison could get wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Theta {
    num: u64,
    den: u64,
}

impl Theta {
    /// θ = 1/2, the default threshold.
    pub const HALF: Theta = Theta { num: 1, den: 2 };

    /// The fraction `num / den`, reduced; an error unless it is in (0, 1].
    /// A `den` that is not a product of 2s and 5s is accepted, but such a θ
    /// cannot be written as a decimal, so its [`Display`](fmt::Display)
    /// is rounded and does not parse back to it.
    pub fn new(num: u64, den: u64) -> Result<Theta, SchemeError> {
        if num == 0 || num > den {
            return Err(SchemeError::OutOfRange(format!("{num}/{den}")));
        }
        let g = gcd(num, den);
        Ok(Theta {
            num: num / g,
            den: den / g,
        })
    }

    /// The numerator of the reduced fraction.
    pub fn numerator(self) -> u64 {
        self.num
    }

    /// The denominator of the reduced fraction.
    pub fn denominator(self) -> u64 {
        self.den
    }

    /// θ as a float, for display only.
    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Whether `shared / total ≥ θ`, decided in integers.
    ///
    /// `total = 0` (two empty token lists) has similarity 0 and never passes.
    pub fn accepts(self, shared: u64, total: u64) -> bool {
        total != 0
            && u128::from(shared) * u128::from(self.den) >= u128::from(self.num) * u128::from(total)
    }
}

impl Default for Theta {
    fn default() -> Theta {
        Theta::HALF
    }
}

/// The longest fractional part accepted: 10^19 still fits in a `u64`.
const MAX_DECIMALS: usize = 19;

impl FromStr for Theta {
    type Err = SchemeError;

    /// Reads a plain decimal (`0.3`, `.25`, `1`, `1.0`). Exponents, signs,
    /// `nan` and `inf` are refused: θ must be readable as an exact fraction.
    fn from_str(s: &str) -> Result<Theta, SchemeError> {
        let not_decimal = || SchemeError::NotDecimal(s.to_owned());
        if let Some(rest) = s.strip_prefix('-') {
            // A negative decimal is well formed, just out of range: say so.
            if is_plain_decimal(rest) {
                return Err(SchemeError::OutOfRange(s.to_owned()));
            }
            return Err(not_decimal());
        }
        if !is_plain_decimal(s) {
            return Err(not_decimal());
        }
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let frac = frac.trim_end_matches('0');
        let int = int.trim_start_matches('0');
        if int.len() > 1 || frac.len() > MAX_DECIMALS {
            // Either above 1 or with more digits than any sensible threshold.
            return if int.len() > 1 {
                Err(SchemeError::OutOfRange(s.to_owned()))
            } else {
                Err(SchemeError::TooPrecise(s.to_owned()))
            };
        }
        let den = 10u64.pow(frac.len() as u32);
        let int: u64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| not_decimal())?
        };
        let frac_value: u64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| not_decimal())?
        };
        let num = int
            .checked_mul(den)
            .and_then(|n| n.checked_add(frac_value))
            .ok_or_else(|| SchemeError::OutOfRange(s.to_owned()))?;
        Theta::new(num, den).map_err(|_| SchemeError::OutOfRange(s.to_owned()))
    }
}

/// `digits`, `digits.digits` or `.digits`, nothing else.
fn is_plain_decimal(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (s, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    all_digits(int)
        && match frac {
            None => !int.is_empty(),
            Some(frac) => !frac.is_empty() && all_digits(frac),
        }
}

impl fmt::Display for Theta {
    /// The shortest decimal equal to θ (`0.3`, `1`); every θ read from a
    /// decimal has one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.num == self.den {
            return f.write_str("1");
        }
        // Scale to a power-of-ten denominator when the fraction allows it.
        let mut den = self.den;
        let (mut twos, mut fives) = (0u32, 0u32);
        while den % 2 == 0 {
            den /= 2;
            twos += 1;
        }
        while den % 5 == 0 {
            den /= 5;
            fives += 1;
        }
        let places = twos.max(fives);
        if den != 1 || places as usize > MAX_DECIMALS {
            return write!(f, "{}", self.as_f64());
        }
        let scaled = u128::from(self.num) * 10u128.pow(places) / u128::from(self.den);
        let digits = format!("{scaled:0>width$}", width = places as usize);
        write!(f, "0.{}", digits.trim_end_matches('0'))
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Why a scheme name or threshold was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    /// Neither `exact`, `overlap` nor `overlap:θ`.
    #[error("unknown scheme `{0}`: expected `exact`, `overlap` or `overlap:θ` (for example `overlap:0.3`)")]
    UnknownScheme(String),
    /// θ is not written as a plain decimal.
    #[error("threshold `{0}` is not a plain decimal number such as `0.3` (exponents, signs, `nan` and `inf` are not accepted)")]
    NotDecimal(String),
    /// θ is not in (0, 1].
    #[error("threshold `{0}` is out of range: θ must be greater than 0 and at most 1")]
    OutOfRange(String),
    /// θ has more decimal places than can be represented exactly.
    #[error("threshold `{0}` has more than 19 decimal places")]
    TooPrecise(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theta(s: &str) -> Result<(u64, u64), SchemeError> {
        s.parse::<Theta>().map(|t| (t.numerator(), t.denominator()))
    }

    #[test]
    fn reads_decimals_exactly() {
        assert_eq!(theta("0.5"), Ok((1, 2)));
        assert_eq!(theta(".25"), Ok((1, 4)));
        assert_eq!(theta("0.30"), Ok((3, 10)));
        assert_eq!(theta("1"), Ok((1, 1)));
        assert_eq!(theta("1.000"), Ok((1, 1)));
        assert_eq!(theta("00.1"), Ok((1, 10)));
        assert_eq!(
            theta("0.0000000000000000001"),
            Ok((1, 10_000_000_000_000_000_000))
        );
    }

    #[test]
    fn refuses_what_is_not_an_exact_decimal_in_range() {
        for bad in [
            "1e-1", "nan", "inf", "", ".", "1.", "+0.5", "0,5", " 0.5", "0x1", "½",
        ] {
            assert!(
                matches!(theta(bad), Err(SchemeError::NotDecimal(_))),
                "{bad:?}: {:?}",
                theta(bad)
            );
        }
        for bad in [
            "0",
            "0.0",
            "-0.5",
            "1.01",
            "2",
            "10",
            "99999999999999999999999",
        ] {
            assert!(
                matches!(theta(bad), Err(SchemeError::OutOfRange(_))),
                "{bad:?}: {:?}",
                theta(bad)
            );
        }
        assert!(matches!(
            theta("0.12345678901234567891"),
            Err(SchemeError::TooPrecise(_))
        ));
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "exact",
            "overlap:0.5",
            "overlap:0.3",
            "overlap:1",
            "overlap:0.125",
            "overlap:0.0001",
        ] {
            let scheme: Scheme = s.parse().unwrap();
            assert_eq!(scheme.to_string(), s);
        }
        assert_eq!(
            "overlap:0.30".parse::<Scheme>().unwrap().to_string(),
            "overlap:0.3"
        );
        assert_eq!(
            "overlap".parse::<Scheme>().unwrap().to_string(),
            "overlap:0.5"
        );
        let err = "fuzzy".parse::<Scheme>().unwrap_err().to_string();
        assert!(err.contains("unknown scheme `fuzzy`"), "{err}");
    }

    #[test]
    fn threshold_is_decided_in_integers() {
        let t: Theta = "0.3".parse().unwrap();
        assert!(t.accepts(3, 10));
        assert!(!t.accepts(299_999, 1_000_000));
        assert!(t.accepts(u64::MAX / 2, u64::MAX));
        assert!(!t.accepts(0, 0));
        assert!(Theta::new(1, 1).unwrap().accepts(7, 7));
        assert!(!Theta::new(1, 1).unwrap().accepts(6, 7));
    }
}
