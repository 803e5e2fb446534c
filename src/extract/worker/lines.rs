//! Reading lines of bounded length from a stream: a line over the limit is
//! skipped as it streams, keeping only its first bytes, so one huge
//! response never costs more memory than the limit.

use std::io::{self, BufRead};

/// How much of a line over the limit is kept (to find its `id`).
pub(crate) const HEAD: usize = 4096;

/// One line read from a stream, without its line ending.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// A line within the limit.
    Full(Vec<u8>),
    /// A line over the limit: its first bytes and its whole length.
    TooLong {
        /// The first [`HEAD`] bytes.
        head: Vec<u8>,
        /// Its length in bytes.
        len: u64,
    },
}

/// Reads the next line of at most `max` bytes; `None` at the end of the
/// stream. A last line without a newline is still a line.
pub(crate) fn read_line<R: BufRead + ?Sized>(r: &mut R, max: usize) -> io::Result<Option<Line>> {
    let mut buf: Vec<u8> = Vec::new();
    // Set once the line is over the limit: its head and length so far.
    let mut over: Option<(Vec<u8>, u64)> = None;
    let mut seen_any = false;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(match over {
                Some((head, len)) => Some(Line::TooLong { head, len }),
                None if !seen_any => None,
                None => Some(Line::Full(finish(buf))),
            });
        }
        seen_any = true;
        let newline = memchr::memchr(b'\n', available);
        let chunk = &available[..newline.unwrap_or(available.len())];
        match &mut over {
            Some((head, len)) => {
                *len += chunk.len() as u64;
                let room = HEAD.saturating_sub(head.len());
                head.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            None if buf.len() + chunk.len() > max => {
                let mut head = std::mem::take(&mut buf);
                let len = (head.len() + chunk.len()) as u64;
                let room = HEAD.saturating_sub(head.len());
                head.extend_from_slice(&chunk[..chunk.len().min(room)]);
                head.truncate(HEAD);
                head.shrink_to_fit();
                over = Some((head, len));
            }
            None => {
                // Grow as usual, but never past the limit.
                if buf.capacity() - buf.len() < chunk.len() {
                    let want = (buf.capacity() * 2)
                        .max(buf.len() + chunk.len())
                        .min(max.max(buf.len() + chunk.len()));
                    buf.reserve_exact(want - buf.len());
                }
                buf.extend_from_slice(chunk);
            }
        }
        let used = chunk.len() + usize::from(newline.is_some());
        r.consume(used);
        if newline.is_some() {
            return Ok(Some(match over {
                Some((head, len)) => Line::TooLong { head, len },
                None => Line::Full(finish(buf)),
            }));
        }
    }
}

fn finish(mut line: Vec<u8>) -> Vec<u8> {
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn lines(input: &[u8], max: usize, capacity: usize) -> Vec<Line> {
        let mut r = BufReader::with_capacity(capacity, input);
        let mut out = Vec::new();
        while let Some(line) = read_line(&mut r, max).unwrap() {
            out.push(line);
        }
        out
    }

    #[test]
    fn lines_within_and_over_the_limit() {
        for capacity in [1, 3, 7, 64, 1 << 16] {
            let got = lines(b"abc\r\n\nhello world\nxyz", 5, capacity);
            assert_eq!(
                got,
                vec![
                    Line::Full(b"abc".to_vec()),
                    Line::Full(vec![]),
                    Line::TooLong {
                        head: b"hello world".to_vec(),
                        len: 11
                    },
                    Line::Full(b"xyz".to_vec()),
                ],
                "buffer of {capacity}"
            );
        }
    }

    #[test]
    fn a_huge_line_keeps_only_its_head() {
        let mut input = vec![b'x'; 1 << 20];
        input.extend_from_slice(b"\nnext\n");
        let got = lines(&input, 1000, 8192);
        match &got[0] {
            Line::TooLong { head, len } => {
                assert_eq!(*len, 1 << 20);
                assert_eq!(head.len(), HEAD);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(got[1], Line::Full(b"next".to_vec()));
    }
}
