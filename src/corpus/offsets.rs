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
/// checkpoint every [`BLOCK`] bytes (how many code points and UTF-16 units
/// start before that byte), so an article costs a few hundred bytes rather
/// than a table entry a character, building it is two counts of bytes per
/// block (which the compiler turns into SIMD), and a conversion looks at
/// most `BLOCK` bytes past its checkpoint.
pub struct OffsetIndex<'a> {
    text: &'a str,
    ascii: bool,
    checkpoints: OnceCell<Checkpoints>,
}

/// Bytes between two checkpoints.
const BLOCK: usize = 64;

struct Checkpoints {
    /// (code points, UTF-16 units) of the characters that start before
    /// byte k·`BLOCK`, for every block k of the text (at least one entry).
    before: Vec<(usize, usize)>,
    /// The text's length in code points and in UTF-16 units.
    chars: usize,
    utf16: usize,
}

/// Whether `b` starts a character: every byte but a continuation byte
/// (10xxxxxx).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -64
}

/// The code points and UTF-16 units of the characters that start in
/// `bytes` (at most `BLOCK` of them): a character takes two UTF-16 units
/// when its first byte is 11110xxx.
fn count(bytes: &[u8]) -> (usize, usize) {
    debug_assert!(bytes.len() <= BLOCK);
    // Sums of 0/1 bytes that fit in a u8: vectorized whole.
    let chars: u8 = bytes.iter().map(|&b| u8::from(starts_char(b))).sum();
    let wide: u8 = bytes.iter().map(|&b| u8::from(b >= 0xF0)).sum();
    (usize::from(chars), usize::from(chars) + usize::from(wide))
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
            let bytes = self.text.as_bytes();
            let mut before = Vec::with_capacity(bytes.len() / BLOCK + 1);
            let (mut chars, mut utf16) = (0, 0);
            for block in bytes.chunks(BLOCK) {
                before.push((chars, utf16));
                let (c, u) = count(block);
                (chars, utf16) = (chars + c, utf16 + u);
            }
            if before.is_empty() {
                before.push((0, 0));
            }
            Checkpoints {
                before,
                chars,
                utf16,
            }
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
        if unit == OffsetUnit::Utf8 {
            return if self.text.is_char_boundary(offset) {
                Ok(offset)
            } else {
                Err(OffsetError::InsideCharacter)
            };
        }
        // The last block whose count before it is at most `offset`: the
        // character sought starts in it (every block holds a start).
        let before = &self.checkpoints().before;
        let unit_of = |&(chars, utf16): &(usize, usize)| {
            if unit == OffsetUnit::Codepoint {
                chars
            } else {
                utf16
            }
        };
        let block = before.partition_point(|c| unit_of(c) <= offset) - 1;
        let bytes = self.text.as_bytes();
        let mut from = block * BLOCK;
        let mut at = unit_of(&before[block]);
        // Eight bytes at a time past the characters that all end before
        // `offset`: those that start in a word are its bytes that are not
        // continuation bytes (10xxxxxx), and each 11110xxx adds a unit.
        const HIGH: u64 = 0x8080_8080_8080_8080;
        while let Some(word) = bytes.get(from..from + 8) {
            let x = u64::from_le_bytes(word.try_into().expect("8 bytes"));
            let continuation = (x & HIGH & !(x << 1)).count_ones() as usize;
            let mut units = 8 - continuation;
            if unit == OffsetUnit::Utf16 {
                units += (x & (x << 1) & (x << 2) & (x << 3) & HIGH).count_ones() as usize;
            }
            if at + units > offset {
                break;
            }
            (at, from) = (at + units, from + 8);
        }
        for (i, &b) in bytes[from..].iter().enumerate() {
            if !starts_char(b) {
                continue;
            }
            if at == offset {
                return Ok(from + i);
            }
            if at > offset {
                break;
            }
            at += if unit == OffsetUnit::Utf16 && b >= 0xF0 {
                2
            } else {
                1
            };
        }
        // Past `offset` without landing on it: only a UTF-16 offset can
        // fall between the two units of a character.
        Err(OffsetError::InsideSurrogatePair)
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
        let cp = self.checkpoints();
        let block = byte / BLOCK;
        let (chars, utf16) = match cp.before.get(block) {
            Some(&(chars, utf16)) => {
                let (c, u) = count(&self.text.as_bytes()[block * BLOCK..byte]);
                (chars + c, utf16 + u)
            }
            // The end of a text whose length is a multiple of `BLOCK`.
            None => (cp.chars, cp.utf16),
        };
        match unit {
            OffsetUnit::Codepoint => chars,
            OffsetUnit::Utf16 => utf16,
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
            // A four-byte character across the first block's end.
            &format!("{}😀😀é", "a".repeat(62)),
        ]
        .into_iter()
        .map(str::to_string)
        .chain((0..80).map(|k| {
            // Long ASCII runs, the non-ASCII characters at every position
            // of a block.
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
