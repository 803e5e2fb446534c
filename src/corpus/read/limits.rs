//! How much of its input a reader trusts: the largest article line, text
//! or gold file it reads (`--max-article-bytes`, `max_article_bytes` in
//! quotecheck.toml), and whether symbolic links that lead outside a corpus
//! folder are followed (`--follow-links`).
//!
//! Reading is bounded here, not after the fact: a file larger than the
//! limit is refused from its size before any byte is read, a line longer
//! than it is skipped without being kept (through a gzip decoder too, so
//! a small `.jsonl.gz` that expands to one huge line costs time, never
//! memory), and a file that is not a regular file (a FIFO, a device, a
//! socket) is never opened.
//!
//! The settings are process-wide, set once by the command line before it
//! reads anything, so that every reader of a command (the corpus, the
//! replays, the importers) obeys the same ones.

use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The default limit of one article line, text or gold file: 64 MiB.
pub const DEFAULT_MAX_ARTICLE_BYTES: u64 = 64 << 20;

static MAX_ARTICLE_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_ARTICLE_BYTES);
static FOLLOW_LINKS: AtomicBool = AtomicBool::new(false);

/// What readers accept; see the module doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// The largest article line, text or gold file read, in bytes.
    pub max_article_bytes: u64,
    /// Whether links that lead outside a corpus folder are followed.
    pub follow_links: bool,
}

impl Default for ReadLimits {
    fn default() -> ReadLimits {
        ReadLimits {
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            follow_links: false,
        }
    }
}

impl ReadLimits {
    /// The limits every reader of this process uses.
    pub fn current() -> ReadLimits {
        ReadLimits {
            max_article_bytes: MAX_ARTICLE_BYTES.load(Ordering::Relaxed),
            follow_links: FOLLOW_LINKS.load(Ordering::Relaxed),
        }
    }

    /// Makes these the limits of every reader of this process.
    pub fn apply(self) {
        MAX_ARTICLE_BYTES.store(self.max_article_bytes.max(1), Ordering::Relaxed);
        FOLLOW_LINKS.store(self.follow_links, Ordering::Relaxed);
    }
}

/// The limit in a message: `64 MiB`, or bytes when it is not a whole MiB.
pub fn show_limit(limit: u64) -> String {
    if limit >= 1 << 20 && limit % (1 << 20) == 0 {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{limit} bytes")
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadRefusal {
    /// It is larger than the limit (its size, or at least the limit + 1).
    TooLarge(u64),
    /// It is not a regular file: what it is.
    NotAFile(&'static str),
    /// Reading failed.
    Io(io::Error),
}

/// What a file that is not a regular file is, for messages.
pub fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// Reads the regular file at `path` (following links), at most `limit`
/// bytes: a larger one, or anything but a regular file, is refused
/// without reading it.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadRefusal> {
    let meta = std::fs::metadata(path).map_err(ReadRefusal::Io)?;
    if !meta.is_file() {
        return Err(ReadRefusal::NotAFile(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadRefusal::TooLarge(meta.len()));
    }
    let file = File::open(path).map_err(ReadRefusal::Io)?;
    // Checked on the opened file too: the path may have been replaced.
    let meta = file.metadata().map_err(ReadRefusal::Io)?;
    if !meta.is_file() {
        return Err(ReadRefusal::NotAFile(kind_of(meta.file_type())));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte more than allowed tells a file that grew from one that did not.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadRefusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadRefusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// One line read by [`read_line`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The end of the input.
    End,
    /// A line of this many bytes of input (its newline included) is in the
    /// buffer, without its newline.
    Read(u64),
    /// A line of this many bytes of input was longer than the limit and
    /// skipped: the buffer is empty.
    TooLong(u64),
}

/// Reads one line into `buf` (cleared first), keeping at most `limit`
/// bytes of it: the rest of a longer line is read and dropped, so memory
/// stays bounded by the limit whatever the input.
pub fn read_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>, limit: u64) -> io::Result<Line> {
    buf.clear();
    let mut consumed = 0u64;
    let mut too_long = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            let line_part = &chunk[..take];
            // Room for the limit and a CRLF, which is not counted.
            if (buf.len() + line_part.len()) as u64 > limit.saturating_add(2) {
                too_long = true;
                buf.clear();
                buf.shrink_to(0);
            } else {
                buf.extend_from_slice(line_part);
            }
        }
        consumed += take as u64;
        reader.consume(take);
        if done {
            break;
        }
    }
    if consumed == 0 {
        return Ok(Line::End);
    }
    if buf.ends_with(b"\n") {
        buf.pop();
        if buf.ends_with(b"\r") {
            buf.pop();
        }
    }
    if too_long || buf.len() as u64 > limit {
        buf.clear();
        return Ok(Line::TooLong(consumed));
    }
    Ok(Line::Read(consumed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_over_the_limit_is_skipped_and_the_next_one_read() {
        let input = b"short\n0123456789abcdef\r\nlast";
        let mut reader = io::BufReader::with_capacity(4, &input[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buf, 8).unwrap(), Line::Read(6));
        assert_eq!(buf, b"short");
        assert_eq!(
            read_line(&mut reader, &mut buf, 8).unwrap(),
            Line::TooLong(18)
        );
        assert!(buf.is_empty() && buf.capacity() <= 16);
        assert_eq!(read_line(&mut reader, &mut buf, 8).unwrap(), Line::Read(4));
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut reader, &mut buf, 8).unwrap(), Line::End);
        // Exactly the limit is allowed, its CRLF not counted.
        let mut reader = &b"12345678\r\n"[..];
        assert_eq!(read_line(&mut reader, &mut buf, 8).unwrap(), Line::Read(10));
    }

    #[test]
    fn files_over_the_limit_and_special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_file(&path, 10).unwrap().len(), 10);
        assert!(matches!(
            read_file(&path, 9),
            Err(ReadRefusal::TooLarge(10))
        ));
        assert!(matches!(
            read_file(dir.path(), 9),
            Err(ReadRefusal::NotAFile("a folder"))
        ));
    }
}
