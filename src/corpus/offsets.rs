//! Offset units (corpus.md "Field rules") and conversion to byte offsets.
//!
//! Files may count offsets in code points, UTF-8 bytes or UTF-16 code units.
//! Everything is converted once, on load, to byte offsets into the article
//! text, the unit the rest of quotecheck works in; reports convert back.

use std::cell::OnceCell;
use std::fmt;

/// The unit of every `start`/`end` in a gold, prediction or replay file.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum OffsetUnit {
    /// Unicode scalar values (Rust `char`s, Python `str` indices). The default.
    #[default]
    Codepoint,
    /// UTF-8 bytes.
    Utf8,
    /// UTF-16 code units (JavaScript and Java string indices).
    Utf16,
}

impl OffsetUnit {
    /// All units, in the order they are listed in messages.
    pub const ALL: [OffsetUnit; 3] = [OffsetUnit::Codepoint, OffsetUnit::Utf8, OffsetUnit::Utf16];

    /// Parses the name used in files (`codepoint`, `utf8`, `utf16`).
    pub fn parse(s: &str) -> Option<OffsetUnit> {
        OffsetUnit::ALL.into_iter().find(|u| u.as_str() == s)
    }

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            OffsetUnit::Codepoint => "codepoint",
            OffsetUnit::Utf8 => "utf8",
            OffsetUnit::Utf16 => "utf16",
        }
    }
}

impl fmt::Display for OffsetUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an offset cannot be converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetError {
    /// The offset is past the end of the text, which is `len` units long.
    OutOfRange {
        /// The length of the text in the offset's unit.
        len: usize,
    },
    /// A `utf8` offset that falls inside a multi-byte character.
    InsideCharacter,
    /// A `utf16` offset that falls between the two halves of a surrogate pair.
    InsideSurrogatePair,
}

impl fmt::Display for OffsetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OffsetError::OutOfRange { len } => {
                write!(f, "is past the end of the text ({len} long)")
            }
            OffsetError::InsideCharacter => {
                f.write_str("falls inside a multi-byte UTF-8 character")
            }
            OffsetError::InsideSurrogatePair => f.write_str("falls inside a UTF-16 surrogate pair"),
        }
    }
}

/// Converts offsets of any unit to and from byte offsets for one text.
///
/// Tables are built lazily, only for the units asked for, and not at all
/// for ASCII text, where every unit coincides.
pub struct OffsetIndex<'a> {
    text: &'a str,
    ascii: bool,
    /// Byte offset of each char, then `text.len()`.
    char_starts: OnceCell<Vec<usize>>,
    /// UTF-16 offset of each char, then the UTF-16 length.
    utf16_starts: OnceCell<Vec<usize>>,
}

impl<'a> OffsetIndex<'a> {
    /// An index over `text`.
    pub fn new(text: &'a str) -> OffsetIndex<'a> {
        OffsetIndex {
            text,
            ascii: text.is_ascii(),
            char_starts: OnceCell::new(),
            utf16_starts: OnceCell::new(),
        }
    }

    /// The text this index converts offsets for.
    pub fn text(&self) -> &'a str {
        self.text
    }

    fn char_starts(&self) -> &[usize] {
        self.char_starts.get_or_init(|| {
            let mut v: Vec<usize> = self.text.char_indices().map(|(i, _)| i).collect();
            v.push(self.text.len());
            v
        })
    }

    fn utf16_starts(&self) -> &[usize] {
        self.utf16_starts.get_or_init(|| {
            let mut v = Vec::with_capacity(self.text.len() + 1);
            let mut at = 0;
            for c in self.text.chars() {
                v.push(at);
                at += c.len_utf16();
            }
            v.push(at);
            v
        })
    }

    /// The length of the text in `unit`.
    pub fn len(&self, unit: OffsetUnit) -> usize {
        if self.ascii {
            return self.text.len();
        }
        match unit {
            OffsetUnit::Utf8 => self.text.len(),
            OffsetUnit::Codepoint => self.char_starts().len() - 1,
            OffsetUnit::Utf16 => *self.utf16_starts().last().unwrap_or(&0),
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Converts `offset`, counted in `unit`, to a byte offset.
    pub fn to_byte(&self, unit: OffsetUnit, offset: usize) -> Result<usize, OffsetError> {
        let len = self.len(unit);
        if offset > len {
            return Err(OffsetError::OutOfRange { len });
        }
        if self.ascii {
            return Ok(offset);
        }
        match unit {
            OffsetUnit::Utf8 if self.text.is_char_boundary(offset) => Ok(offset),
            OffsetUnit::Utf8 => Err(OffsetError::InsideCharacter),
            OffsetUnit::Codepoint => Ok(self.char_starts()[offset]),
            OffsetUnit::Utf16 => match self.utf16_starts().binary_search(&offset) {
                Ok(i) => Ok(self.char_starts()[i]),
                Err(_) => Err(OffsetError::InsideSurrogatePair),
            },
        }
    }

    /// Converts a byte offset (on a character boundary) to `unit`.
    ///
    /// # Panics
    /// When `byte` is past the end or not on a character boundary: byte
    /// offsets only ever come from [`OffsetIndex::to_byte`] or from slicing.
    pub fn from_byte(&self, unit: OffsetUnit, byte: usize) -> usize {
        assert!(
            self.text.is_char_boundary(byte),
            "byte offset {byte} is not a character boundary"
        );
        if self.ascii || unit == OffsetUnit::Utf8 {
            return byte;
        }
        let i = self
            .char_starts()
            .binary_search(&byte)
            .expect("a character boundary is in the table");
        match unit {
            OffsetUnit::Codepoint => i,
            OffsetUnit::Utf16 => self.utf16_starts()[i],
            OffsetUnit::Utf8 => unreachable!(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_differ_after_an_emoji() {
        let text = "😀 “Hi”";
        let ix = OffsetIndex::new(text);
        // "H" is code point 3, UTF-16 unit 4, byte 8.
        assert_eq!(ix.to_byte(OffsetUnit::Codepoint, 3), Ok(8));
        assert_eq!(ix.to_byte(OffsetUnit::Utf16, 4), Ok(8));
        assert_eq!(ix.to_byte(OffsetUnit::Utf8, 8), Ok(8));
        assert_eq!(
            ix.to_byte(OffsetUnit::Utf16, 1),
            Err(OffsetError::InsideSurrogatePair)
        );
        assert_eq!(
            ix.to_byte(OffsetUnit::Utf8, 2),
            Err(OffsetError::InsideCharacter)
        );
        assert_eq!(
            ix.to_byte(OffsetUnit::Codepoint, 7),
            Err(OffsetError::OutOfRange { len: 6 })
        );
        assert_eq!(ix.from_byte(OffsetUnit::Utf16, 8), 4);
        assert_eq!(ix.from_byte(OffsetUnit::Codepoint, text.len()), 6);
    }
}
