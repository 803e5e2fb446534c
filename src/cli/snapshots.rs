//! `quotecheck pending`, `review`, `accept` and `reject`: the pending
//! snapshots a run left (`<article>.snap.new` beside `<article>.snap`).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};

use super::output::ColorChoice;
use super::EXIT_OK;
use crate::extract::check_name;
use crate::session::UntilClosed;
use crate::snapshot::store::{select_pending, Entry, Lock, PendingSnapshot, Store, DEFAULT_ROOT};
use crate::snapshot::Grade;

/// Where the snapshots are, and whose.
#[derive(Debug, clap::Args)]
pub struct Where {
    /// The snapshot folder.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_ROOT)]
    snapshots: PathBuf,

    /// Only the snapshots of the extractor NAME. Repeat for several.
    #[arg(long, short = 'e', value_name = "NAME")]
    extractor: Vec<String>,
}

impl Where {
    fn store(&self) -> anyhow::Result<Store> {
        for name in &self.extractor {
            check_name(name).map_err(anyhow::Error::msg)?;
        }
        Ok(Store::new(&self.snapshots))
    }

    fn pending(&self, store: &Store) -> anyhow::Result<Vec<Entry>> {
        store
            .pending(&self.extractor)
            .with_context(|| format!("cannot list {}", store.root().display()))
    }
}

/// List the pending snapshots: changed renderings, and new ones.
///
/// A pending snapshot (`<article>.snap.new`) is a rendering that differs
/// from the accepted snapshot (`changed`) or has none (`new`). Each one is
/// listed with its grade, which the run that wrote it found against the
/// gold: fixed, broke, mixed, neutral or new, and what changed ("broke: q3
/// lost its speaker"; docs/snapshots.md, "Grades"). With --diff, each
/// one's diff against the accepted snapshot is printed too, without asking
/// anything. Nothing is written.
///
/// Examples:
///   quotecheck pending
///   quotecheck pending --diff --extractor mine
///   quotecheck pending --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct PendingArgs {
    #[command(flatten)]
    at: Where,

    /// Print each pending snapshot's diff against the accepted one.
    #[arg(long, conflicts_with = "format")]
    diff: bool,

    /// `human`, or `json`: a list of {"extractor", "article", "state",
    /// "grade", "better", "worse"}.
    #[arg(long, value_enum, default_value_t = PendingFormat::Human)]
    format: PendingFormat,

    /// Colour the diffs: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Review the pending snapshots one by one: accept, reject or skip each.
///
/// Each one's grade and diff are shown, then the question: accept (a),
/// reject (r), skip (s), accept all remaining (A) or quit (q). On a
/// terminal one key answers; otherwise it reads one answer per line from
/// standard input, so a review can be scripted (`printf 'a\nr\n' |
/// quotecheck review`); at the end of the input the rest are skipped.
///
/// Examples:
///   quotecheck review
///   quotecheck review --extractor mine
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ReviewArgs {
    #[command(flatten)]
    at: Where,

    /// Colour the diffs: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Accept pending snapshots: each `.snap.new` replaces its `.snap`.
///
/// Name them by article id, or give --all; --only keeps to the snapshots of
/// some grades.
///
/// Examples:
///   quotecheck accept bbc-libya-us-talks world/lyon-musee-greve
///   quotecheck accept --all --extractor mine
///   quotecheck accept --all --only fixed --only neutral
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct AcceptArgs {
    #[command(flatten)]
    which: Which,
}

/// Reject pending snapshots: delete each `.snap.new`, keep the `.snap`.
///
/// Name them by article id, or give --all; --only keeps to the snapshots of
/// some grades.
///
/// Examples:
///   quotecheck reject bbc-libya-us-talks
///   quotecheck reject --all
///   quotecheck reject --all --only broke
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct RejectArgs {
    #[command(flatten)]
    which: Which,
}

/// Which pending snapshots.
#[derive(Debug, clap::Args)]
struct Which {
    /// Article ids, as `quotecheck pending` lists them (or --all).
    #[arg(value_name = "ARTICLE")]
    articles: Vec<String>,

    /// Every pending snapshot (of the --extractor ones, if given).
    #[arg(long, conflicts_with = "articles")]
    all: bool,

    /// Only the snapshots graded GRADE: fixed, broke, mixed, neutral or
    /// new. Repeat for several.
    #[arg(long, value_name = "GRADE", value_parser = parse_grade)]
    only: Vec<Grade>,

    #[command(flatten)]
    at: Where,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PendingFormat {
    Human,
    Json,
}

fn parse_grade(s: &str) -> Result<Grade, String> {
    Grade::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Grade::ALL.iter().map(|g| g.as_str()).collect();
        format!("unknown grade {s:?}: one of {}", names.join(", "))
    })
}

/// One line of `pending --format json`.
#[derive(serde::Serialize)]
struct PendingJson<'a> {
    extractor: &'a str,
    article: &'a str,
    state: crate::snapshot::SnapshotState,
    grade: Option<Grade>,
    better: Option<usize>,
    worse: Option<usize>,
}

fn lock(store: &Store) -> anyhow::Result<Lock> {
    let root = store.root().display().to_string();
    store
        .lock(&mut |path| {
            eprintln!(
                "waiting for another quotecheck run using {root}/ to finish (lock file {})",
                path.display()
            )
        })
        .with_context(|| format!("cannot lock the snapshot folder {root}"))
}

const NEXT: &str =
    "review them with `quotecheck review`, or `quotecheck accept --all` / `quotecheck reject --all`";

pub fn run_pending(args: PendingArgs) -> anyhow::Result<u8> {
    let store = args.at.store()?;
    let entries = args.at.pending(&store)?;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    if entries.is_empty() {
        writeln!(out, "no pending snapshots in {}/", store.root().display())?;
        leftovers(&mut out, store.root())?;
        return Ok(EXIT_OK);
    }
    let color = args.color.enabled(std::io::stdout().is_terminal());
    let pending: Vec<PendingSnapshot> = entries
        .into_iter()
        .map(|e| store.load_pending(e))
        .collect::<Result<_, _>>()?;
    if args.format == PendingFormat::Json {
        let list: Vec<PendingJson> = pending
            .iter()
            .map(|p| PendingJson {
                extractor: &p.entry.extractor,
                article: &p.entry.article,
                state: p.state,
                grade: p.grading.as_ref().map(|g| g.grade),
                better: p.grading.as_ref().map(|g| g.better),
                worse: p.grading.as_ref().map(|g| g.worse),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let width = pending
        .iter()
        .map(|p| p.entry.extractor.len() + p.entry.article.len())
        .max()
        .unwrap_or(0);
    let summary_width = pending
        .iter()
        .map(|p| p.summary().chars().count())
        .max()
        .unwrap_or(0);
    for p in &pending {
        let name = format!("{}  {}", p.entry.extractor, p.entry.article);
        let line = format!(
            "{name:<w$}  {:<s$}  {}",
            p.summary(),
            p.grade_summary(),
            w = width + 2,
            s = summary_width
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "{} pending snapshot(s): {NEXT}", pending.len())?;
    leftovers(&mut out, store.root())?;
    if args.diff {
        for p in &pending {
            writeln!(out)?;
            header(&mut out, p)?;
            p.diff.write_colored(&mut out, color)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Lists the temporary files killed writers left in the snapshot folders.
fn leftovers(out: &mut dyn Write, root: &std::path::Path) -> std::io::Result<()> {
    let found = crate::atomic::leftovers_below(root);
    if !found.is_empty() {
        writeln!(
            out,
            "{} temporary file(s) left by an interrupted write, which nothing reads; the next write into their folder removes them:",
            found.len()
        )?;
        for path in found {
            writeln!(out, "  {}", path.display())?;
        }
    }
    Ok(())
}

fn header(out: &mut dyn Write, p: &PendingSnapshot) -> std::io::Result<()> {
    let grade = p.grade_summary();
    let grade = if grade.is_empty() {
        grade
    } else {
        format!(" · {grade}")
    };
    writeln!(
        out,
        "{} · {} · {}{grade}",
        p.entry.extractor, p.entry.article, p.state
    )?;
    if let Some(scheme) = &p.other_scheme {
        writeln!(
            out,
            "note: the accepted snapshot was made under scheme {scheme}, the pending one under another"
        )?;
    }
    Ok(())
}

/// An answer of the review.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    Accept,
    Reject,
    Skip,
    AcceptAll,
    Quit,
}

impl Answer {
    /// The answer a key or a line names (`A` alone accepts all remaining).
    fn parse(s: &str) -> Option<Answer> {
        if s == "A" {
            return Some(Answer::AcceptAll);
        }
        Some(match s.to_ascii_lowercase().as_str() {
            "a" | "accept" | "y" | "yes" => Answer::Accept,
            "r" | "reject" | "n" | "no" => Answer::Reject,
            "s" | "skip" | "" => Answer::Skip,
            "all" => Answer::AcceptAll,
            "q" | "quit" => Answer::Quit,
            _ => return None,
        })
    }
}

/// Where the answers of a review come from: single keys on a terminal
/// (raw mode for the one key, through `console`, which restores the mode
/// and passes Ctrl-C on as an interrupt), lines otherwise.
enum Answers<R> {
    Keys(console::Term),
    Lines(R),
}

impl<R: BufRead> Answers<R> {
    /// The next answer; `None` at the end of the input.
    fn next(&mut self, out: &mut dyn Write) -> std::io::Result<Option<Answer>> {
        loop {
            write!(
                out,
                "accept (a), reject (r), skip (s), accept all remaining (A) or quit (q)? "
            )?;
            out.flush()?;
            let given = match self {
                Answers::Keys(term) => match term.read_key()? {
                    console::Key::Char(c) => c.to_string(),
                    console::Key::Enter => String::new(),
                    console::Key::Escape => "q".to_string(),
                    _ => "?".to_string(),
                },
                Answers::Lines(input) => {
                    let mut line = String::new();
                    if input.read_line(&mut line)? == 0 {
                        writeln!(out)?;
                        writeln!(out, "(end of input: the rest are skipped)")?;
                        return Ok(None);
                    }
                    line.trim().to_string()
                }
            };
            // Echo the answer, so the transcript reads like a session.
            writeln!(out, "{given}")?;
            match Answer::parse(&given) {
                Some(answer) => return Ok(Some(answer)),
                None => writeln!(out, "{given:?}: answer a, r, s, A or q")?,
            }
        }
    }
}

pub fn run_review(args: ReviewArgs) -> anyhow::Result<u8> {
    let store = args.at.store()?;
    let _lock = lock(&store)?;
    let entries = args.at.pending(&store)?;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    if entries.is_empty() {
        writeln!(out, "no pending snapshots in {}/", store.root().display())?;
        leftovers(&mut out, store.root())?;
        return Ok(EXIT_OK);
    }
    let color = args.color.enabled(std::io::stdout().is_terminal());
    let term = console::Term::stdout();
    let mut answers = if std::io::stdin().is_terminal() && term.is_term() {
        Answers::Keys(term)
    } else {
        Answers::Lines(std::io::stdin().lock())
    };
    let total = entries.len();
    let (mut accepted, mut rejected, mut skipped) = (0, 0, 0);
    let mut quit = false;
    let mut accept_all = false;
    for (i, entry) in entries.into_iter().enumerate() {
        if quit {
            skipped += 1;
            continue;
        }
        let p = store.load_pending(entry)?;
        writeln!(out)?;
        write!(out, "[{}/{total}] ", i + 1)?;
        header(&mut out, &p)?;
        let answer = if accept_all {
            Answer::Accept
        } else {
            p.diff.write_colored(&mut out, color)?;
            match answers.next(&mut out)? {
                Some(Answer::AcceptAll) => {
                    accept_all = true;
                    Answer::Accept
                }
                Some(answer) => answer,
                None => Answer::Quit,
            }
        };
        let (extractor, article) = (&p.entry.extractor, &p.entry.article);
        match answer {
            Answer::Accept | Answer::AcceptAll => {
                store.accept(extractor, article)?;
                writeln!(out, "accepted")?;
                accepted += 1;
            }
            Answer::Reject => {
                store.reject(extractor, article)?;
                writeln!(out, "rejected")?;
                rejected += 1;
            }
            Answer::Skip => {
                writeln!(out, "skipped")?;
                skipped += 1;
            }
            Answer::Quit => {
                quit = true;
                skipped += 1;
            }
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "review: {accepted} accepted, {rejected} rejected, {skipped} skipped"
    )?;
    if skipped > 0 {
        writeln!(
            out,
            "{skipped} snapshot(s) still pending: `quotecheck pending` lists them"
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

impl Which {
    /// Fails, before anything is touched, when neither ids nor --all are
    /// given to `verb` (accept, reject).
    fn check(&self, verb: &str) -> anyhow::Result<()> {
        if self.articles.is_empty() && !self.all {
            bail!(
                "nothing to {verb}: give the ids of the articles to {verb}, as `quotecheck \
                 pending` lists them, or --all to {verb} every pending snapshot"
            );
        }
        Ok(())
    }
}

/// The pending snapshots `which` names; an error before anything is done
/// when an article has none.
fn setup(which: &Which, store: &Store) -> anyhow::Result<Vec<Entry>> {
    let pending = which.at.pending(store)?;
    let chosen = if which.all {
        pending
    } else {
        select_pending(&pending, &which.articles)?
    };
    if which.only.is_empty() {
        return Ok(chosen);
    }
    let mut kept = Vec::new();
    for e in chosen {
        let grade = store.load_pending(e.clone())?.grading.map(|g| g.grade);
        if grade.is_some_and(|g| which.only.contains(&g)) {
            kept.push(e);
        }
    }
    Ok(kept)
}

pub fn run_accept(args: AcceptArgs) -> anyhow::Result<u8> {
    args.which.check("accept")?;
    let store = args.which.at.store()?;
    let _lock = lock(&store)?;
    let entries = setup(&args.which, &store)?;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    for e in &entries {
        let path = store
            .accept(&e.extractor, &e.article)
            .with_context(|| format!("cannot accept {}", e.path.display()))?;
        writeln!(out, "accepted {}", path.display())?;
    }
    writeln!(out, "{} snapshot(s) accepted", entries.len())?;
    Ok(EXIT_OK)
}

pub fn run_reject(args: RejectArgs) -> anyhow::Result<u8> {
    args.which.check("reject")?;
    let store = args.which.at.store()?;
    let _lock = lock(&store)?;
    let entries = setup(&args.which, &store)?;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    for e in &entries {
        store
            .reject(&e.extractor, &e.article)
            .with_context(|| format!("cannot reject {}", e.path.display()))?;
        writeln!(out, "rejected {}", e.path.display())?;
    }
    writeln!(out, "{} snapshot(s) rejected", entries.len())?;
    Ok(EXIT_OK)
}
