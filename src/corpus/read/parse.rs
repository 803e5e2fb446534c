//! What both layouts share: reading a file's bytes, decoding UTF-8,
//! parsing JSON, each failure an [`Issue`] located in its file; and
//! turning a resolved article into an [`Item`].

use std::path::Path;

use serde_json::Value;

use super::limits::{read_file, show_limit, ReadLimits, ReadRefusal};
use super::Item;
use crate::corpus::id::ArticleId;
use crate::corpus::issue::{Issue, Severity};
use crate::corpus::model::{Article, Gold, Status};
use crate::corpus::records::json::{self, DuplicateKey};
use crate::corpus::records::Diagnostics;

/// Turns a resolved article into an item: broken if any error was found.
pub(super) fn finish(id: ArticleId, text: String, gold: Gold, mut diag: Diagnostics<'_>) -> Item {
    if diag.has_errors() {
        return Item::Broken {
            id: id.to_string(),
            issues: diag.issues,
        };
    }
    if gold.status == Status::Draft {
        diag.push(
            Severity::Note,
            "draft",
            "status",
            None,
            "draft gold: not scored unless --include-drafts",
        );
    }
    Item::Article {
        article: Article {
            id,
            text,
            gold: Some(gold),
        },
        issues: diag.issues,
    }
}

/// Reads the regular file at `path`, at most the article limit, or says
/// why not: larger than the limit (`too-large`), not a regular file
/// (`not-a-file`), or unreadable.
fn read_bytes(path: &Path, display: &str, id: &str) -> Result<Vec<u8>, Box<Issue>> {
    let limit = ReadLimits::current().max_article_bytes;
    read_file(path, limit)
        .map_err(|refusal| Box::new(refusal_issue(refusal, display, limit).article(id)))
}

/// The issue of a file [`read_file`] refused.
fn refusal_issue(refusal: ReadRefusal, display: &str, limit: u64) -> Issue {
    match refusal {
        ReadRefusal::TooLarge(size) => {
            too_large(display, &format!("the file is {size} bytes"), limit)
        }
        ReadRefusal::NotAFile(kind) => Issue::new(
            Severity::Error,
            "not-a-file",
            display,
            format!("it is {kind}, not a regular file, so it is not read"),
        )
        .hint("a corpus holds regular files only: put the file itself there"),
        ReadRefusal::Io(e) => Issue::new(
            Severity::Error,
            "unreadable",
            display,
            format!("cannot read the file: {e}"),
        ),
    }
}

/// The issue of an input larger than the limit: `what` says how large.
pub(crate) fn too_large(display: &str, what: &str, limit: u64) -> Issue {
    Issue::new(
        Severity::Error,
        "too-large",
        display,
        format!(
            "{what}, more than the limit of {} for one article; it is not read",
            show_limit(limit)
        ),
    )
    .hint("raise the limit with --max-article-bytes or `max_article_bytes` in quotecheck.toml if the article is real")
}

/// Reads an article text: UTF-8, no byte-order mark.
pub(super) fn read_text(path: &Path, display: &str, id: &str) -> Result<String, Box<Issue>> {
    let bytes = read_bytes(path, display, id)?;
    let text = utf8(bytes, display, Some(id), None)?;
    if text.starts_with('\u{feff}') {
        return Err(Box::new(
            Issue::new(
                Severity::Error,
                "byte-order-mark",
                display,
                "the text starts with a byte-order mark (U+FEFF)",
            )
            .article(id)
            .hint("save the file as UTF-8 without a BOM: it would shift every offset by one"),
        ));
    }
    Ok(text)
}

/// Decodes `bytes` (a file, or line `line` of a JSON-lines file).
pub(super) fn utf8(
    bytes: Vec<u8>,
    display: &str,
    id: Option<&str>,
    line: Option<usize>,
) -> Result<String, Box<Issue>> {
    String::from_utf8(bytes).map_err(|e| invalid_utf8(e.utf8_error(), display, id, line))
}

/// [`utf8`] borrowing `bytes`, checked with SIMD ([`crate::text::from_utf8`]).
pub(super) fn utf8_str<'a>(
    bytes: &'a [u8],
    display: &str,
    id: Option<&str>,
    line: Option<usize>,
) -> Result<&'a str, Box<Issue>> {
    crate::text::from_utf8(bytes).map_err(|e| invalid_utf8(e, display, id, line))
}

fn invalid_utf8(
    e: std::str::Utf8Error,
    display: &str,
    id: Option<&str>,
    line: Option<usize>,
) -> Box<Issue> {
    let at = e.valid_up_to();
    let mut issue = Issue::new(
        Severity::Error,
        "invalid-utf8",
        display,
        format!(
            "invalid UTF-8 at byte offset {at}{}",
            if line.is_some() { " of the line" } else { "" }
        ),
    )
    .hint("convert the file to UTF-8 (for example with `iconv -f latin1 -t utf-8`)");
    issue.article = id.map(str::to_string);
    issue.line = line;
    Box::new(issue)
}

/// Reads a gold file's JSON, and the keys written twice in it.
pub(super) fn read_json(
    path: &Path,
    display: &str,
    id: &str,
) -> Result<(Value, Vec<DuplicateKey>), Box<Issue>> {
    let text = utf8(read_bytes(path, display, id)?, display, Some(id), None)?;
    parse_json(&text, display, Some(id), None)
}

/// Parses JSON (a file, or line `line` of a JSON-lines file), locating a
/// problem at its line and column.
pub(super) fn parse_json(
    text: &str,
    display: &str,
    id: Option<&str>,
    line: Option<usize>,
) -> Result<(Value, Vec<DuplicateKey>), Box<Issue>> {
    json::parse(text).map_err(|p| {
        let mut issue = Issue::new(Severity::Error, p.code, display, p.message);
        issue.line = Some(line.unwrap_or(p.line));
        issue.column = Some(p.column);
        issue.article = id.map(str::to_string);
        issue.hint = Some(p.hint.into());
        Box::new(issue)
    })
}
