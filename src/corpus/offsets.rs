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
/// The index is built lazily, on the first offset that needs it, and not
/// at all for ASCII text, where every unit coincides. It keeps a
/// checkpoint every [`BLOCK`] characters (the byte and UTF-16 offset of
/// that character), so an article costs a few hundred bytes rather than a
/// table entry a character, and a conversion walks at most `BLOCK`
/// characters from the checkpoint before it.
pub struct OffsetIndex<'a> {
    text: &'a str,
    ascii: bool,
    checkpoints: OnceCell<Checkpoints>,
}

/// Characters between two checkpoints.
const BLOCK: usize = 32;

struct Checkpoints {
    /// (byte offset, UTF-16 offset) of characters 0, `BLOCK`, 2·`BLOCK`, …
    at: Vec<(usize, usize)>,
    /// The text's length in code points and in UTF-16 units.
    chars: usize,
    utf16: usize,
}

impl<'a> OffsetIndex<'a> {
    /// An index over `text`.
    pub fn new(text: &'a str) -> OffsetIndex<'a> {
        OffsetIndex {
            text,
            ascii: text.is_ascii(),
            checkpoints: OnceCell::new(),
        }
    }

    /// The text this index converts offsets for.
    pub fn text(&self) -> &'a str {
        self.text
    }

    fn checkpoints(&self) -> &Checkpoints {
        self.checkpoints.get_or_init(|| {
            let mut at = Vec::with_capacity(self.text.len() / BLOCK + 1);
            let (mut chars, mut utf16) = (0, 0);
            let bytes = self.text.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                // Eight ASCII bytes none of which is due a checkpoint are
                // eight characters of one UTF-16 unit each (most of a text).
                if (1..=BLOCK - 8).contains(&(chars % BLOCK)) {
                    if let Some(word) = bytes.get(i..i + 8) {
                        let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
                        if word & 0x8080_8080_8080_8080 == 0 {
                            (chars, utf16, i) = (chars + 8, utf16 + 8, i + 8);
                            continue;
                        }
                    }
                }
                // Otherwise a byte at a time: a character starts at every
                // byte that is not a continuation byte (10xxxxxx), and
                // takes two UTF-16 units when its first byte is 11110xxx.
                let b = bytes[i];
                i += 1;
                if (b as i8) < -64 {
                    continue;
                }
                if chars % BLOCK == 0 {
                    at.push((i - 1, utf16));
                }
                chars += 1;
                utf16 += if b >= 0xF0 { 2 } else { 1 };
            }
            if at.is_empty() {
                at.push((0, 0));
            }
            Checkpoints { at, chars, utf16 }
        })
    }

    /// The length of the text in `unit`.
    pub fn len(&self, unit: OffsetUnit) -> usize {
        if self.ascii {
            return self.text.len();
        }
        match unit {
            OffsetUnit::Utf8 => self.text.len(),
            OffsetUnit::Codepoint => self.checkpoints().chars,
            OffsetUnit::Utf16 => self.checkpoints().utf16,
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
        if self.ascii || offset == len {
            return match unit {
                OffsetUnit::Utf8 if !self.text.is_char_boundary(offset) => {
                    Err(OffsetError::InsideCharacter)
                }
                _ if self.ascii => Ok(offset),
                _ => Ok(self.text.len()),
            };
        }
        match unit {
            OffsetUnit::Utf8 if self.text.is_char_boundary(offset) => Ok(offset),
            OffsetUnit::Utf8 => Err(OffsetError::InsideCharacter),
            OffsetUnit::Codepoint => {
                let (byte, _) = self.checkpoints().at[offset / BLOCK];
                let rest = offset % BLOCK;
                Ok(self.text[byte..]
                    .char_indices()
                    .nth(rest)
                    .map_or(self.text.len(), |(i, _)| byte + i))
            }
            OffsetUnit::Utf16 => {
                let at = &self.checkpoints().at;
                let block = at.partition_point(|&(_, u)| u <= offset) - 1;
                let (mut byte, mut u) = at[block];
                let mut chars = self.text[byte..].chars();
                while u < offset {
                    let c = chars.next().ok_or(OffsetError::OutOfRange { len })?;
                    u += c.len_utf16();
                    byte += c.len_utf8();
                }
                if u > offset {
                    return Err(OffsetError::InsideSurrogatePair);
                }
                Ok(byte)
            }
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
        let at = &self.checkpoints().at;
        let block = at.partition_point(|&(b, _)| b <= byte) - 1;
        let (from, utf16) = at[block];
        let between = self.text[from..byte].chars();
        match unit {
            OffsetUnit::Codepoint => block * BLOCK + between.count(),
            OffsetUnit::Utf16 => utf16 + between.map(char::len_utf16).sum::<usize>(),
            OffsetUnit::Utf8 => byte,
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

    /// Every offset of every unit, on texts long enough for several
    /// checkpoints, against a table of every character.
    #[test]
    fn checkpoints_agree_with_a_table_of_every_character() {
        for text in [
            "",
            "a",
            "é",
            &"😀é a“b”".repeat(23),
            &"x😀".repeat(40),
            &"é".repeat(64),
        ]
        .into_iter()
        .map(str::to_string)
        .chain((0..80).map(|k| {
            // Long ASCII runs, the non-ASCII characters at every position
            // of a block and of an 8-byte word.
            format!(
                "{}é{}😀{}“",
                "a".repeat(k),
                "b".repeat(k % 37 + 40),
                "c".repeat(3 * k)
            )
        })) {
            let text = text.as_str();
            let ix = OffsetIndex::new(text);
            let mut starts: Vec<(usize, usize)> = Vec::new();
            let mut u = 0;
            for (i, c) in text.char_indices() {
                starts.push((i, u));
                u += c.len_utf16();
            }
            starts.push((text.len(), u));
            for (n, &(byte, utf16)) in starts.iter().enumerate() {
                assert_eq!(ix.to_byte(OffsetUnit::Codepoint, n), Ok(byte));
                assert_eq!(ix.to_byte(OffsetUnit::Utf16, utf16), Ok(byte));
                assert_eq!(ix.to_byte(OffsetUnit::Utf8, byte), Ok(byte));
                assert_eq!(ix.from_byte(OffsetUnit::Codepoint, byte), n);
                assert_eq!(ix.from_byte(OffsetUnit::Utf16, byte), utf16);
            }
            let len16 = starts.last().map_or(0, |s| s.1);
            for o in 0..=len16 {
                let expect = starts
                    .iter()
                    .find(|s| s.1 == o)
                    .map(|s| s.0)
                    .ok_or(OffsetError::InsideSurrogatePair);
                assert_eq!(ix.to_byte(OffsetUnit::Utf16, o), expect, "{text:?} {o}");
            }
            for b in 0..=text.len() {
                let expect = if text.is_char_boundary(b) {
                    Ok(b)
                } else {
                    Err(OffsetError::InsideCharacter)
                };
                assert_eq!(ix.to_byte(OffsetUnit::Utf8, b), expect);
            }
            let n = starts.len() - 1;
            assert_eq!(
                ix.to_byte(OffsetUnit::Codepoint, n + 1),
                Err(OffsetError::OutOfRange { len: n })
            );
            assert_eq!(
                ix.to_byte(OffsetUnit::Utf16, len16 + 1),
                Err(OffsetError::OutOfRange { len: len16 })
            );
        }
    }
}
