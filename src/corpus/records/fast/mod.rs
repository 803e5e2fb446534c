//! The fast path of reading records: a corpus line or a saved output
//! deserialized straight into borrowed, typed structs, then resolved into
//! the model without building a `serde_json::Value`.
//!
//! It only ever accepts what the checked path ([`super::resolve_gold`],
//! [`super::resolve_output`]) would accept **without a single issue**,
//! and then gives exactly what that path gives. Anything else — a key it
//! does not know (which the checked path warns about, or which might be
//! written twice), a key written twice (serde refuses a repeated field),
//! a value of another type, an offset that does not convert, a text that
//! disagrees with its slice, a check over the records that finds
//! anything — makes it answer `None`, and the caller takes the checked
//! path, which finds and words every problem. So the fast path never
//! decides what an issue says; it only skips the work when there is none.
//! `corpus::read`'s `fast_tests` check that both paths agree on generated,
//! mutated and arbitrary inputs.

mod gold;
mod predictions;

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::corpus::model::Span;
use crate::corpus::offsets::{OffsetIndex, OffsetUnit};

pub(crate) use gold::{gold_line, gold_row, FastLine};
pub(crate) use predictions::{output, output_row};

/// A JSON string, borrowed from the input when it has no escapes. Any
/// other JSON type (`null` included) is an error, so that a field typed
/// `Str` falls back on anything but a string.
#[derive(Debug)]
pub(super) struct Str<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl Str<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

/// For a field that must be told apart when absent (`None`, the
/// `#[serde(default)]`) and present; with `Option<T>` as `T`, `null` is
/// `Some(None)`.
pub(super) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// One span or a list of them, as `content` is written.
#[derive(Debug)]
pub(super) enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or a list")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(2));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany::Many(items))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<T> OneOrMany<T> {
    fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(one) => std::slice::from_ref(one),
            OneOrMany::Many(many) => many,
        }
    }
}

/// The offset unit of `offsets`: absent or `null` is code points; an
/// unknown unit is `None` (the checked path reports it).
fn unit(offsets: Option<&Str<'_>>) -> Option<OffsetUnit> {
    match offsets {
        None => Some(OffsetUnit::Codepoint),
        Some(s) => OffsetUnit::parse(s.as_str()),
    }
}

/// The byte span of `start..end` counted in `unit`, when both convert and
/// `start` is not after `end`: what the checked path accepts silently.
fn locate(index: &OffsetIndex<'_>, unit: OffsetUnit, start: u64, end: u64) -> Option<Span> {
    let byte = |o: u64| {
        usize::try_from(o)
            .ok()
            .and_then(|o| index.to_byte(unit, o).ok())
    };
    let (start, end) = (byte(start)?, byte(end)?);
    (start <= end).then(|| Span::new(start, end))
}
