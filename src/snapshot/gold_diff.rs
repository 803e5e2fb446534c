//! The gold diff: the gold rendering against the aligned predictions, as a
//! unified diff with word-level highlighting.

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;

use anstyle::{AnsiColor, Style};
use similar::{capture_diff_slices, Algorithm, DiffTag};

use crate::align::{Alignment, GoldVerdict, PredictionVerdict, Scheme};
use crate::corpus::{GoldQuote, Prediction};

use super::view::{Block, Field, View};
use super::wrap::{char_width, escape};

/// What the headers of a diff name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiffLabels<'a> {
    /// The article id.
    pub article: &'a str,
    /// The extractor (or run) whose predictions are compared with the gold.
    pub extractor: &'a str,
}

/// Which side of the diff a line belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineTag {
    /// On both sides (` `).
    Context,
    /// Only on the gold side (`-`).
    Removed,
    /// Only on the prediction side (`+`).
    Added,
}

impl LineTag {
    /// The character a unified diff starts the line with.
    pub fn prefix(self) -> char {
        match self {
            LineTag::Context => ' ',
            LineTag::Removed => '-',
            LineTag::Added => '+',
        }
    }
}

/// One line of a hunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    /// The side it is on.
    pub tag: LineTag,
    /// The line, without its prefix and newline.
    pub text: String,
    /// Byte ranges of `text` that differ from the paired line(s) on the
    /// other side: the words to highlight. Empty for context lines and for
    /// lines with no counterpart (a missed or spurious quote).
    pub emphasis: Vec<Range<usize>>,
}

/// A run of changed lines with its context: here always one whole block,
/// so every hunk names the quote it is about in its first line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    /// First line on the gold side (1-based; for an empty range, the line
    /// before it, as unified diffs count).
    pub old_start: usize,
    /// Lines on the gold side.
    pub old_len: usize,
    /// First line on the prediction side, counted the same way.
    pub new_start: usize,
    /// Lines on the prediction side.
    pub new_len: usize,
    /// The lines, in order.
    pub lines: Vec<DiffLine>,
}

/// The gold of one article against an extractor's predictions, aligned.
///
/// Both sides are made of the same blocks in the same order (see
/// [`gold_diff`]), so the diff of a matched pair is a change inside one
/// block, a missed quote a removed block and a spurious prediction an added
/// one. Every hunk is one whole block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldDiff {
    old_label: String,
    new_label: String,
    old: Vec<String>,
    new: Vec<String>,
    hunks: Vec<Hunk>,
    is_match: bool,
}

/// Builds the diff of an article's gold against its predictions, paired as
/// `alignment` pairs them (scoring.md §5).
///
/// Both sides are laid out as blocks of the same fields — position
/// (`at`), content, speaker, cue, kind — in one shared order: gold quotes
/// by position, each with its paired prediction opposite it, and spurious
/// predictions placed by their position among them (those without a
/// position last). A paired prediction is shown as the gold wherever the
/// scorer finds them equal (the same content tokens; a correct speaker, cue
/// or kind), so:
///
/// - a perfect match is no change at all;
/// - a wrong speaker, cue or kind is one `-`/`+` pair of lines, the `+`
///   line ending in `✗`;
/// - a near miss (similarity below 1) changes the position line, which
///   then gives the similarity against θ, and the content lines;
/// - a missed quote (`missed`, or `optional-missed`, which costs nothing)
///   is a `-` block; a spurious prediction a `+` block with the gold quote
///   it came closest to.
///
/// Predictions are named as in [`super::render_predictions`]. The result
/// depends only on the records, not on their order.
///
/// ```
/// use quotecheck::align::Scheme;
/// use quotecheck::corpus::{GoldQuote, Kind, PredMention, Prediction, Span};
/// use quotecheck::score::score_article;
/// use quotecheck::snapshot::{gold_diff, DiffLabels};
///
/// let text = "“We will stay,” she said.";
/// let gold = [GoldQuote {
///     id: "q1".into(),
///     kind: Some(Kind::Direct),
///     content: vec![Span::new(3, 15)],
///     speaker: None,
///     cue: Some(Span::new(24, 28)),
///     optional: false,
///     note: None,
/// }];
/// let predictions = [Prediction::at(Span::new(3, 15))
///     .with_cue(PredMention::at(text, Span::new(24, 28)))
///     .with_kind(Kind::Indirect)];
/// let scheme = Scheme::default();
/// let score = score_article(text, &gold, &predictions, &scheme);
/// let labels = DiffLabels { article: "a1", extractor: "mine" };
/// let diff = gold_diff(text, &gold, &predictions, &score.alignment, &scheme, labels);
/// assert!(!diff.is_match());
/// assert_eq!(
///     diff.to_string(),
///     "--- gold/a1
/// +++ mine/a1
/// @@ -1,6 +1,6 @@
///  q1 ⇄ p@1 · matched
///    at       @1-13
///    content  We will stay
///    speaker  none
///    cue      \"said\" @20-24
/// -  kind     direct
/// +  kind     indirect ✗
/// "
/// );
/// ```
///
/// # Panics
/// When `alignment` is not an alignment of `gold` and `predictions`, or a
/// span is out of range of `text` or not on character boundaries.
pub fn gold_diff(
    text: &str,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    alignment: &Alignment,
    scheme: &Scheme,
    labels: DiffLabels<'_>,
) -> GoldDiff {
    let view = View::new(text, gold, predictions, alignment, scheme);
    let mut builder = Builder::default();
    for entry in entries(&view) {
        match entry {
            Entry::Pair(g, p) => {
                let verdict = match view.pred_verdict(p) {
                    PredictionVerdict::OptionalMatch { .. } => "optional-match",
                    _ => "matched",
                };
                let header = format!("{} ⇄ {} · {verdict}", view.gold_name(g), view.pred_name(p));
                builder.pair(&header, &view.gold_fields(g), &view.paired_fields(g, p));
            }
            Entry::Gold(g) => {
                let verdict = if gold[g].optional {
                    "optional-missed (no penalty)"
                } else {
                    "missed"
                };
                builder.one_sided(
                    LineTag::Removed,
                    &Block {
                        header: format!("{} · {verdict}", view.gold_name(g)),
                        fields: view.gold_fields(g),
                    },
                );
            }
            Entry::Prediction(p) => {
                let mut fields = view.prediction_fields(p);
                fields.extend(view.nearest(p));
                builder.one_sided(
                    LineTag::Added,
                    &Block {
                        header: format!("{} · spurious", view.pred_name(p)),
                        fields,
                    },
                );
            }
        }
    }
    GoldDiff {
        old_label: format!("gold/{}", escape(labels.article)),
        new_label: format!("{}/{}", escape(labels.extractor), escape(labels.article)),
        old: builder.old,
        new: builder.new,
        hunks: builder.hunks,
        is_match: is_match(alignment),
    }
}

/// Every required gold quote matched with speaker, cue and kind right, and
/// no spurious prediction.
fn is_match(alignment: &Alignment) -> bool {
    let gold_ok = alignment.gold.iter().all(|v| match v {
        GoldVerdict::Matched {
            optional,
            speaker_correct,
            cue_correct,
            kind_correct,
            ..
        } => *optional || (*speaker_correct && *cue_correct && *kind_correct),
        GoldVerdict::Missed => false,
        GoldVerdict::OptionalMissed => true,
    });
    gold_ok
        && alignment
            .predictions
            .iter()
            .all(|v| !matches!(v, PredictionVerdict::Spurious))
}

enum Entry {
    /// A gold quote and the prediction paired with it.
    Pair(usize, usize),
    /// A gold quote paired with nothing.
    Gold(usize),
    /// A prediction paired with nothing.
    Prediction(usize),
}

/// The shared order of both sides: gold quotes by position (with their
/// predictions), spurious predictions merged in by their first located
/// start (after gold quotes starting at the same place), then spurious
/// predictions without a location, in the alignment's order.
fn entries(view: &View<'_>) -> Vec<Entry> {
    let spurious: Vec<usize> = view
        .prediction_order()
        .iter()
        .copied()
        .filter(|&p| matches!(view.pred_verdict(p), PredictionVerdict::Spurious))
        .collect();
    let (located, unlocated): (Vec<usize>, Vec<usize>) = spurious
        .into_iter()
        .partition(|&p| view.prediction_start(p).is_some());
    let mut out = Vec::new();
    let mut located = located.into_iter().peekable();
    for &g in view.gold_order() {
        let start = view.gold_start(g);
        while let Some(p) = located.next_if(|&p| view.prediction_start(p) < Some(start)) {
            out.push(Entry::Prediction(p));
        }
        out.push(match view.alignment.gold[g] {
            GoldVerdict::Matched { prediction, .. } => Entry::Pair(g, prediction),
            _ => Entry::Gold(g),
        });
    }
    out.extend(located.chain(unlocated).map(Entry::Prediction));
    out
}

#[derive(Default)]
struct Builder {
    old: Vec<String>,
    new: Vec<String>,
    hunks: Vec<Hunk>,
}

impl Builder {
    /// A block on one side only: all its lines are changes.
    fn one_sided(&mut self, tag: LineTag, block: &Block) {
        let lines: Vec<DiffLine> = block
            .lines()
            .map(|l| DiffLine {
                tag,
                text: l.to_owned(),
                emphasis: Vec::new(),
            })
            .collect();
        self.push(lines);
    }

    /// A gold block and its prediction block, compared field by field so
    /// that each changed field's `-` lines sit right above its `+` lines.
    fn pair(&mut self, header: &str, old: &[Field], new: &[Field]) {
        debug_assert!(old
            .iter()
            .map(|f| f.label)
            .eq(new.iter().map(|f| f.label).take(old.len())));
        let mut lines = vec![DiffLine {
            tag: LineTag::Context,
            text: header.to_owned(),
            emphasis: Vec::new(),
        }];
        for (o, n) in old.iter().zip(new) {
            diff_lines(&o.lines, &n.lines, &mut lines);
        }
        // Fields only a prediction has (its fidelity) are added lines.
        for n in new.iter().skip(old.len()) {
            lines.extend(n.lines.iter().map(|text| DiffLine {
                tag: LineTag::Added,
                text: text.clone(),
                emphasis: Vec::new(),
            }));
        }
        self.push(lines);
    }

    /// Appends a block's lines to both sides, and a hunk if any changed.
    fn push(&mut self, lines: Vec<DiffLine>) {
        let (old_before, new_before) = (self.old.len(), self.new.len());
        for line in &lines {
            if line.tag != LineTag::Added {
                self.old.push(line.text.clone());
            }
            if line.tag != LineTag::Removed {
                self.new.push(line.text.clone());
            }
        }
        if lines.iter().all(|l| l.tag == LineTag::Context) {
            return;
        }
        let (old_len, new_len) = (self.old.len() - old_before, self.new.len() - new_before);
        let start = |before: usize, len: usize| if len == 0 { before } else { before + 1 };
        self.hunks.push(Hunk {
            old_start: start(old_before, old_len),
            old_len,
            new_start: start(new_before, new_len),
            new_len,
            lines,
        });
    }
}

/// The line diff of one field, each changed run with its words emphasized.
fn diff_lines(old: &[String], new: &[String], out: &mut Vec<DiffLine>) {
    let ops = capture_diff_slices(Algorithm::Myers, old, new);
    let mut i = 0;
    while i < ops.len() {
        let (tag, o, n) = ops[i].as_tag_tuple();
        if tag == DiffTag::Equal {
            out.extend(old[o].iter().map(|t| DiffLine {
                tag: LineTag::Context,
                text: t.clone(),
                emphasis: Vec::new(),
            }));
            i += 1;
            continue;
        }
        // A run of changes up to the next equal lines, as one replacement.
        let (mut o_end, mut n_end) = (o.end, n.end);
        i += 1;
        while i < ops.len() && ops[i].tag() != DiffTag::Equal {
            let (_, o2, n2) = ops[i].as_tag_tuple();
            (o_end, n_end) = (o2.end, n2.end);
            i += 1;
        }
        let (old_run, new_run) = (&old[o.start..o_end], &new[n.start..n_end]);
        let (old_emph, new_emph) = emphasis(old_run, new_run);
        for (tag, run, emph) in [
            (LineTag::Removed, old_run, old_emph),
            (LineTag::Added, new_run, new_emph),
        ] {
            out.extend(run.iter().zip(emph).map(|(t, e)| DiffLine {
                tag,
                text: t.clone(),
                emphasis: e,
            }));
        }
    }
}

/// A token of a line for word highlighting.
struct Token<'a> {
    line: usize,
    range: Range<usize>,
    /// What is compared: the text, or `" "` for any whitespace and line
    /// breaks, so that re-wrapped text compares equal.
    key: &'a str,
}

/// Splits lines into words (runs of letters and digits), single wide
/// characters (scripts written without spaces), single other characters,
/// and whitespace, which a line break joins.
fn tokenize<S: AsRef<str>>(lines: &[S]) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        let line = line.as_ref();
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let mut end = i + c.len_utf8();
            let key_space = c.is_whitespace();
            if key_space {
                while let Some((j, d)) = chars.next_if(|&(_, d)| d.is_whitespace()) {
                    end = j + d.len_utf8();
                }
            } else if c.is_alphanumeric() && char_width(c) == 1 {
                while let Some((j, d)) =
                    chars.next_if(|&(_, d)| d.is_alphanumeric() && char_width(d) == 1)
                {
                    end = j + d.len_utf8();
                }
            }
            let after_space = out.last().is_some_and(|t| t.key == " ");
            if key_space && after_space {
                continue;
            }
            out.push(Token {
                line: li,
                range: i..end,
                key: if key_space { " " } else { &line[i..end] },
            });
        }
        if out.last().is_some_and(|t| t.key != " ") {
            out.push(Token {
                line: li,
                range: line.len()..line.len(),
                key: " ",
            });
        }
    }
    out
}

/// Byte ranges of one line.
pub(crate) type LineRanges = Vec<Range<usize>>;

/// For each line of two runs, the byte ranges that differ from the other
/// run, by a token diff of the runs taken as one text each. Shared by the
/// gold diff and the snapshot diff.
pub(crate) fn emphasis<S: AsRef<str>>(old: &[S], new: &[S]) -> (Vec<LineRanges>, Vec<LineRanges>) {
    let (ot, nt) = (tokenize(old), tokenize(new));
    let okeys: Vec<&str> = ot.iter().map(|t| t.key).collect();
    let nkeys: Vec<&str> = nt.iter().map(|t| t.key).collect();
    let mut old_marked = vec![false; ot.len()];
    let mut new_marked = vec![false; nt.len()];
    for op in capture_diff_slices(Algorithm::Myers, &okeys, &nkeys) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag != DiffTag::Equal {
            old_marked[o].iter_mut().for_each(|m| *m = true);
            new_marked[n].iter_mut().for_each(|m| *m = true);
        }
    }
    (ranges(old, &ot, &old_marked), ranges(new, &nt, &new_marked))
}

/// Marked tokens as byte ranges per line. Whitespace alone is never
/// marked, and two marked words with nothing but whitespace and
/// punctuation between them make one range: `"it" @944-946` against
/// `"he" @12-14` highlights `it" @944-946`, not four fragments.
fn ranges<S: AsRef<str>>(lines: &[S], tokens: &[Token<'_>], marked: &[bool]) -> Vec<LineRanges> {
    let mut out: Vec<LineRanges> = vec![Vec::new(); lines.len()];
    for (t, _) in tokens
        .iter()
        .zip(marked)
        .filter(|(t, &m)| m && t.key != " ")
    {
        let line = &mut out[t.line];
        match line.last_mut() {
            Some(last)
                if !lines[t.line].as_ref()[last.end..t.range.start]
                    .chars()
                    .any(char::is_alphanumeric) =>
            {
                last.end = t.range.end;
            }
            _ => line.push(t.range.clone()),
        }
    }
    out
}

impl GoldDiff {
    /// Whether the predictions agree with the gold: every required gold
    /// quote is matched with its speaker, cue and kind right, and no
    /// prediction is spurious. Optional quotes never make this false.
    ///
    /// The diff may still have hunks when this is true: an optional quote
    /// missed, or matched with a wrong speaker, is shown but costs nothing.
    pub fn is_match(&self) -> bool {
        self.is_match
    }

    /// Whether the two sides differ at all.
    pub fn has_changes(&self) -> bool {
        !self.hunks.is_empty()
    }

    /// The hunks, one per block that differs, in order.
    pub fn hunks(&self) -> &[Hunk] {
        &self.hunks
    }

    /// The gold side in full, one line per line, each ending in a newline.
    pub fn gold_side(&self) -> String {
        lines_to_string(&self.old)
    }

    /// The prediction side in full, laid out opposite the gold side.
    pub fn prediction_side(&self) -> String {
        lines_to_string(&self.new)
    }

    /// The unified diff as plain text: `---`/`+++` headers naming
    /// `gold/<article>` and `<extractor>/<article>`, then the hunks. Empty
    /// when the sides do not differ.
    pub fn unified(&self) -> String {
        let mut out = Vec::new();
        self.write_colored(&mut out, false)
            .expect("writing to a Vec cannot fail");
        String::from_utf8(out).expect("the diff is UTF-8")
    }

    /// Writes the unified diff, with ANSI colours when `color` is true:
    /// removed lines red and added lines green, the words that differ
    /// inside a changed line in bold and underlined. Without colour the
    /// output is exactly [`GoldDiff::unified`].
    pub fn write_colored(&self, out: &mut dyn Write, color: bool) -> io::Result<()> {
        write_hunks(
            out,
            color,
            &self.old_label,
            &self.new_label,
            &self.hunks,
            &[],
        )
    }
}

/// Writes hunks as a unified diff between `old_label` and `new_label`, with
/// ANSI colours when `color` is true: removed lines red, added lines green,
/// the emphasized words bold and underlined. `sections`, when not empty,
/// gives a title for each hunk's `@@` line. Shared by the gold diff and the
/// snapshot diff so both look the same.
pub(crate) fn write_hunks(
    out: &mut dyn Write,
    color: bool,
    old_label: &str,
    new_label: &str,
    hunks: &[Hunk],
    sections: &[String],
) -> io::Result<()> {
    if hunks.is_empty() {
        return Ok(());
    }
    let paint = |style: Style, text: &str| {
        if color && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    };
    let bold = Style::new().bold();
    writeln!(out, "{}", paint(bold, &format!("--- {old_label}")))?;
    writeln!(out, "{}", paint(bold, &format!("+++ {new_label}")))?;
    for (n, hunk) in hunks.iter().enumerate() {
        let header = format!(
            "@@ -{},{} +{},{} @@",
            hunk.old_start, hunk.old_len, hunk.new_start, hunk.new_len
        );
        let section = sections
            .get(n)
            .filter(|s| !s.is_empty())
            .map_or(String::new(), |s| format!(" {s}"));
        writeln!(
            out,
            "{}{section}",
            paint(AnsiColor::Cyan.on_default(), &header)
        )?;
        for line in &hunk.lines {
            let base = match line.tag {
                LineTag::Context => Style::new(),
                LineTag::Removed => AnsiColor::Red.on_default(),
                LineTag::Added => AnsiColor::Green.on_default(),
            };
            let strong = base.bold().underline();
            // Segments of one style, painted one escape sequence each.
            let mut segments: Vec<(Style, String)> = vec![(base, line.tag.prefix().into())];
            let mut at = 0;
            for r in &line.emphasis {
                segments.push((base, line.text[at..r.start].to_owned()));
                segments.push((strong, line.text[r.clone()].to_owned()));
                at = r.end;
            }
            segments.push((base, line.text[at..].to_owned()));
            let mut text = String::new();
            let mut run: Option<(Style, String)> = None;
            for (style, s) in segments {
                match &mut run {
                    Some((current, buf)) if *current == style => buf.push_str(&s),
                    _ => {
                        if let Some((style, buf)) = run.take() {
                            text.push_str(&paint(style, &buf));
                        }
                        run = Some((style, s));
                    }
                }
            }
            if let Some((style, buf)) = run {
                text.push_str(&paint(style, &buf));
            }
            writeln!(out, "{text}")?;
        }
    }
    Ok(())
}

impl fmt::Display for GoldDiff {
    /// The plain unified diff ([`GoldDiff::unified`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.unified())
    }
}

fn lines_to_string(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out
}
