//! The snapshot diff: an article's accepted rendering against the one a run
//! made, so that a reviewer sees exactly which quotes changed.
//!
//! Renderings are blocks (one per prediction) separated by blank lines, so
//! every hunk header names the block its first change is in, as `git diff`
//! names the function. Predictions are named by the position they start
//! at (`p@519`), so one prediction more or less renames no other; renderings
//! made before named them by rank (`p1`, `p2`, …), which is why block
//! headers are compared without a rank name, and an accepted rendering
//! with such names is renamed before it is compared
//! ([`super::rename_legacy`]):
//!
//! ```text
//! --- snapshots/mine/bbc-libya-us-talks.snap (accepted)
//! +++ snapshots/mine/bbc-libya-us-talks.snap.new (pending)
//! @@ -12,7 +12,7 @@ p@262 · matched q4
//!    content  the Libyan government supported dialogue with the US but only if
//!             it was free from preconditions
//! -  speaker  "A spokesman" @245-256 ✓
//! +  speaker  none
//!    cue      "said" @257-261
//! ```

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;

use similar::{capture_diff_slices, group_diff_ops, Algorithm, DiffOp, DiffTag};

use super::gold_diff::{emphasis, DiffLine, Hunk, LineTag};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// How an article's rendering compares with its accepted snapshot.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SnapshotState {
    /// The rendering is the accepted one (the article passes, whatever its
    /// score against the gold).
    Unchanged,
    /// The rendering differs from the accepted one.
    Changed,
    /// There is no accepted snapshot yet.
    New,
    /// Not compared: snapshots are off for the extractor, the extractor
    /// failed on the article, or the snapshot was made under another scheme.
    #[default]
    None,
}

impl SnapshotState {
    /// `unchanged`, `changed`, `new` or `none`, as the JSON report writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotState::Unchanged => "unchanged",
            SnapshotState::Changed => "changed",
            SnapshotState::New => "new",
            SnapshotState::None => "none",
        }
    }

    /// Whether the rendering differs from what is accepted (`changed` or `new`).
    pub fn is_change(self) -> bool {
        matches!(self, SnapshotState::Changed | SnapshotState::New)
    }
}

impl fmt::Display for SnapshotState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The accepted rendering of an article against a new one, as a unified
/// diff whose hunk headers name the block (the prediction) they are in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotDiff {
    old_label: String,
    new_label: String,
    hunks: Vec<Hunk>,
    sections: Vec<String>,
    added: usize,
    removed: usize,
}

/// Builds the diff of `old` (the accepted rendering; `None` when there is
/// none) against `new`, labelled `old_label` and `new_label` in the
/// `---`/`+++` headers.
///
/// ```
/// use quotecheck::snapshot::snapshot_diff;
///
/// let old = "p1 · matched q1\n  speaker  \"she\" @16-19\n  kind     direct\n";
/// let new = "p1 · matched q1\n  speaker  none\n  kind     direct\n";
/// let diff = snapshot_diff(Some(old), new, "a.snap", "a.snap.new");
/// assert_eq!(
///     diff.to_string(),
///     "--- a.snap
/// +++ a.snap.new
/// @@ -1,3 +1,3 @@ p1 · matched q1
///  p1 · matched q1
/// -  speaker  \"she\" @16-19
/// +  speaker  none
///    kind     direct
/// "
/// );
/// assert_eq!((diff.added(), diff.removed()), (1, 1));
/// ```
pub fn snapshot_diff(
    old: Option<&str>,
    new: &str,
    old_label: &str,
    new_label: &str,
) -> SnapshotDiff {
    let old_lines: Vec<&str> = old.map_or_else(Vec::new, |o| o.lines().collect());
    let new_lines: Vec<&str> = new.lines().collect();
    let ops = line_ops(&old_lines, &new_lines);
    let mut hunks = Vec::new();
    let mut sections = Vec::new();
    let (mut added, mut removed) = (0, 0);
    for group in group_diff_ops(ops, CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let mut lines = Vec::new();
        let mut section = None;
        for op in &group {
            let (tag, o, n) = op.as_tag_tuple();
            if tag != DiffTag::Equal && section.is_none() {
                section = Some(if n.is_empty() {
                    section_of(&old_lines, o.start)
                } else {
                    section_of(&new_lines, n.start)
                });
            }
            lines.extend(op_lines(op, &old_lines, &new_lines));
            removed += o.len() * usize::from(tag != DiffTag::Equal);
            added += n.len() * usize::from(tag != DiffTag::Equal);
        }
        hunks.push(Hunk {
            old_start: start(&old_range),
            old_len: old_range.len(),
            new_start: start(&new_range),
            new_len: new_range.len(),
            lines,
        });
        sections.push(section.unwrap_or_default());
    }
    SnapshotDiff {
        old_label: old_label.to_string(),
        new_label: new_label.to_string(),
        hunks,
        sections,
        added,
        removed,
    }
}

/// The line operations turning `old` into `new`: blocks are matched
/// first (so that an inserted or removed prediction is one whole block),
/// then the lines of the blocks that differ.
fn line_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    let old_keys: Vec<&str> = old.iter().map(|l| key(l)).collect();
    let new_keys: Vec<&str> = new.iter().map(|l| key(l)).collect();
    if old_keys == new_keys && old != new {
        // Only names differ: show them.
        return capture_diff_slices(Algorithm::Myers, old, new);
    }
    let (old_blocks, new_blocks) = (blocks(&old_keys), blocks(&new_keys));
    let block_key = |keys: &[&str], b: &Range<usize>| keys[b.clone()].join("\n");
    let okeys: Vec<String> = old_blocks.iter().map(|b| block_key(&old_keys, b)).collect();
    let nkeys: Vec<String> = new_blocks.iter().map(|b| block_key(&new_keys, b)).collect();
    let lines = |bs: &[Range<usize>], r: Range<usize>, total: usize| -> Range<usize> {
        match (
            bs.get(r.start),
            r.end.checked_sub(1).and_then(|e| bs.get(e)),
        ) {
            (Some(first), Some(last)) if !r.is_empty() => first.start..last.end,
            _ => {
                let at = bs.get(r.start).map_or(total, |b| b.start);
                at..at
            }
        }
    };
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &okeys, &nkeys) {
        let (tag, ob, nb) = op.as_tag_tuple();
        let o = lines(&old_blocks, ob, old.len());
        let n = lines(&new_blocks, nb, new.len());
        match tag {
            DiffTag::Equal => push_equal(&mut out, o.start, n.start, o.len()),
            DiffTag::Delete => out.push(DiffOp::Delete {
                old_index: o.start,
                old_len: o.len(),
                new_index: n.start,
            }),
            DiffTag::Insert => out.push(DiffOp::Insert {
                old_index: o.start,
                new_index: n.start,
                new_len: n.len(),
            }),
            DiffTag::Replace => {
                for inner in capture_diff_slices(
                    Algorithm::Myers,
                    &old_keys[o.clone()],
                    &new_keys[n.clone()],
                ) {
                    match shift(inner, o.start, n.start) {
                        DiffOp::Equal {
                            old_index,
                            new_index,
                            len,
                        } => push_equal(&mut out, old_index, new_index, len),
                        other => out.push(other),
                    }
                }
            }
        }
    }
    out
}

/// Appends an equal run, merged with the one before it when they touch
/// (hunk context is counted per run).
fn push_equal(out: &mut Vec<DiffOp>, old_index: usize, new_index: usize, len: usize) {
    if len == 0 {
        return;
    }
    if let Some(DiffOp::Equal {
        old_index: o,
        new_index: n,
        len: l,
    }) = out.last_mut()
    {
        if *o + *l == old_index && *n + *l == new_index {
            *l += len;
            return;
        }
    }
    out.push(DiffOp::Equal {
        old_index,
        new_index,
        len,
    });
}

/// `op` with its indices moved by `old` and `new`.
fn shift(op: DiffOp, old: usize, new: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + old,
            new_index: new_index + new,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + old,
            old_len,
            new_index: new_index + new,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + old,
            new_index: new_index + new,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + old,
            old_len,
            new_index: new_index + new,
            new_len,
        },
    }
}

/// The line ranges of the blocks of a rendering: each block with the
/// blank line after it.
fn blocks(lines: &[&str]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < lines.len() {
        out.push(start..lines.len());
    }
    out
}

/// A line as compared: a block header without its rank name (`p12 ·
/// matched q3` as `· matched q3`, `p2 [x7] · spurious` as `[x7] ·
/// spurious`).
fn key(line: &str) -> &str {
    let Some(rest) = line.strip_prefix('p') else {
        return line;
    };
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && rest[digits..].starts_with(' ') {
        &rest[digits..]
    } else {
        line
    }
}

/// A unified diff's 1-based start line; for an empty range, the line before it.
fn start(range: &Range<usize>) -> usize {
    if range.is_empty() {
        range.start
    } else {
        range.start + 1
    }
}

/// The header line of the block line `i` is in (a block starts after a
/// blank line); a blank line itself belongs to the block after it.
fn section_of(lines: &[&str], i: usize) -> String {
    let mut j = i.min(lines.len().saturating_sub(1));
    while j + 1 < lines.len() && lines[j].is_empty() {
        j += 1;
    }
    while j > 0 && !lines[j - 1].is_empty() {
        j -= 1;
    }
    lines.get(j).map_or_else(String::new, |l| l.to_string())
}

fn op_lines(op: &DiffOp, old: &[&str], new: &[&str]) -> Vec<DiffLine> {
    let (tag, o, n) = op.as_tag_tuple();
    let line = |tag: LineTag, text: &str, emphasis: Vec<Range<usize>>| DiffLine {
        tag,
        text: text.to_string(),
        emphasis,
    };
    match tag {
        DiffTag::Equal => n
            .map(|i| line(LineTag::Context, new[i], Vec::new()))
            .collect(),
        DiffTag::Delete => o
            .map(|i| line(LineTag::Removed, old[i], Vec::new()))
            .collect(),
        DiffTag::Insert => n
            .map(|i| line(LineTag::Added, new[i], Vec::new()))
            .collect(),
        DiffTag::Replace => {
            let (old_marks, new_marks) = emphasis(&old[o.clone()], &new[n.clone()]);
            let removed = o
                .zip(old_marks)
                .map(|(i, m)| line(LineTag::Removed, old[i], m));
            let added = n
                .zip(new_marks)
                .map(|(i, m)| line(LineTag::Added, new[i], m));
            removed.chain(added).collect()
        }
    }
}

impl SnapshotDiff {
    /// Whether the two renderings differ.
    pub fn has_changes(&self) -> bool {
        !self.hunks.is_empty()
    }

    /// The hunks, in order.
    pub fn hunks(&self) -> &[Hunk] {
        &self.hunks
    }

    /// Lines only in the new rendering.
    pub fn added(&self) -> usize {
        self.added
    }

    /// Lines only in the accepted rendering.
    pub fn removed(&self) -> usize {
        self.removed
    }

    /// The plain unified diff; empty when the renderings are the same.
    pub fn unified(&self) -> String {
        let mut out = Vec::new();
        self.write_colored(&mut out, false)
            .expect("writing to a Vec cannot fail");
        String::from_utf8(out).expect("the diff is UTF-8")
    }

    /// Writes the unified diff, with ANSI colours when `color` is true (the
    /// same colours as the gold diff: removed lines red, added green, the
    /// words that differ bold and underlined).
    pub fn write_colored(&self, out: &mut dyn Write, color: bool) -> io::Result<()> {
        super::gold_diff::write_hunks(
            out,
            color,
            &self.old_label,
            &self.new_label,
            &self.hunks,
            &self.sections,
        )
    }
}

impl fmt::Display for SnapshotDiff {
    /// The plain unified diff ([`SnapshotDiff::unified`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.unified())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_snapshot_is_all_additions_named_by_its_first_block() {
        let d = snapshot_diff(None, "p1 · spurious\n  at  @1-2\n", "x.snap", "x.snap.new");
        assert_eq!(
            d.unified(),
            "--- x.snap\n+++ x.snap.new\n@@ -0,0 +1,2 @@ p1 · spurious\n+p1 · spurious\n+  at  @1-2\n"
        );
        assert_eq!((d.added(), d.removed()), (2, 0));
    }

    #[test]
    fn equal_renderings_have_no_hunks() {
        let d = snapshot_diff(Some("a\n\nb\n"), "a\n\nb\n", "o", "n");
        assert!(!d.has_changes());
        assert_eq!(d.unified(), "");
    }

    #[test]
    fn hunks_name_the_block_of_their_first_change() {
        let old = "p1 · matched q1\n  at  @1-2\n  kind  direct\n  checks  ok\n  x\n  y\n\np2 · spurious\n  at  @5-9\n  kind  direct\n";
        let new = "p1 · matched q1\n  at  @1-2\n  kind  direct\n  checks  ok\n  x\n  y\n\np2 · spurious\n  at  @5-9\n  kind  indirect\n";
        let d = snapshot_diff(Some(old), new, "o", "n");
        assert_eq!(
            d.unified(),
            "--- o\n+++ n\n@@ -7,4 +7,4 @@ p2 · spurious\n \n p2 · spurious\n   at  @5-9\n-  kind  direct\n+  kind  indirect\n"
        );
        let lines = &d.hunks()[0].lines;
        let removed = lines.iter().find(|l| l.tag == LineTag::Removed).unwrap();
        assert_eq!(&removed.text[removed.emphasis[0].clone()], "direct");
    }

    #[test]
    fn an_added_block_is_named_after_itself() {
        let old = "p1 · matched q1\n  at  @1-2\n";
        let new = "p1 · matched q1\n  at  @1-2\n\np2 · spurious\n  at  @5-9\n";
        let d = snapshot_diff(Some(old), new, "o", "n");
        assert!(
            d.unified().contains("@@ -1,2 +1,5 @@ p2 · spurious\n"),
            "{d}"
        );
    }

    #[test]
    fn renamed_blocks_are_not_changes() {
        let old = "p1 · spurious\n  at  @1-2\n\np2 · matched q1\n  at  @5-9\n";
        let new = "p1 · spurious\n  at  @0-1\n\np2 · spurious\n  at  @1-2\n\np3 · matched q1\n  at  @5-9\n";
        let d = snapshot_diff(Some(old), new, "o", "n");
        assert_eq!(
            d.unified(),
            "--- o\n+++ n\n@@ -1,3 +1,6 @@ p1 · spurious\n+p1 · spurious\n+  at  @0-1\n+\n p2 · spurious\n   at  @1-2\n \n"
        );
    }

    #[test]
    fn names_alone_still_show() {
        let d = snapshot_diff(Some("p1 · spurious\n"), "p2 · spurious\n", "o", "n");
        assert!(d.has_changes());
    }

    #[test]
    fn colours_only_when_asked() {
        let d = snapshot_diff(Some("a b\n"), "a c\n", "o", "n");
        let mut plain = Vec::new();
        d.write_colored(&mut plain, false).unwrap();
        assert_eq!(String::from_utf8(plain).unwrap(), d.unified());
        let mut coloured = Vec::new();
        d.write_colored(&mut coloured, true).unwrap();
        assert!(String::from_utf8(coloured).unwrap().contains("\u{1b}["));
    }
}
