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
/// from the accepted snapshot (`changed`) or has none (`new`). With
/// --diff, each one's diff against the accepted snapshot is printed too,
/// without asking anything. Nothing is written.
///
/// Examples:
///   quotecheck pending
///   quotecheck pending --diff --extractor mine
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct PendingArgs {
    #[command(flatten)]
    at: Where,

    /// Print each pending snapshot's diff against the accepted one.
    #[arg(long)]
    diff: bool,

    /// Colour the diffs: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Review the pending snapshots one by one: accept, reject or skip each.
///
/// Each diff is shown, then the question: accept (a), reject (r), skip
/// (s) or quit (q). On a terminal it asks; otherwise it reads one answer
/// per line from standard input, so a review can be scripted (`printf
/// 'a\nr\n' | quotecheck review`); at the end of the input the rest are
/// skipped.
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
/// Name them by article id, or give --all.
///
/// Examples:
///   quotecheck accept bbc-libya-us-talks world/lyon-musee-greve
///   quotecheck accept --all --extractor mine
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct AcceptArgs {
    #[command(flatten)]
    which: Which,
}

/// Reject pending snapshots: delete each `.snap.new`, keep the `.snap`.
///
/// Name them by article id, or give --all.
///
/// Examples:
///   quotecheck reject bbc-libya-us-talks
///   quotecheck reject --all
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

    #[command(flatten)]
    at: Where,
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
    let width = pending
        .iter()
        .map(|p| p.entry.extractor.len() + p.entry.article.len())
        .max()
        .unwrap_or(0);
    for p in &pending {
        let name = format!("{}  {}", p.entry.extractor, p.entry.article);
        writeln!(out, "{name:<w$}  {}", p.summary(), w = width + 2)?;
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
    writeln!(
        out,
        "{} · {} · {}",
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
    Quit,
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
    let interactive = std::io::stdin().is_terminal();
    let mut input = std::io::stdin().lock();
    let total = entries.len();
    let (mut accepted, mut rejected, mut skipped) = (0, 0, 0);
    let mut quit = false;
    for (i, entry) in entries.into_iter().enumerate() {
        if quit {
            skipped += 1;
            continue;
        }
        let p = store.load_pending(entry)?;
        writeln!(out)?;
        write!(out, "[{}/{total}] ", i + 1)?;
        header(&mut out, &p)?;
        p.diff.write_colored(&mut out, color)?;
        let answer = loop {
            write!(out, "accept (a), reject (r), skip (s) or quit (q)? ")?;
            out.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                writeln!(out)?;
                if !interactive {
                    writeln!(out, "(end of input: the rest are skipped)")?;
                }
                break Answer::Quit;
            }
            if !interactive {
                // Echo scripted answers, so the transcript reads like a session.
                writeln!(out, "{}", line.trim())?;
            }
            match line.trim().to_ascii_lowercase().as_str() {
                "a" | "accept" | "y" | "yes" => break Answer::Accept,
                "r" | "reject" | "n" | "no" => break Answer::Reject,
                "s" | "skip" | "" => break Answer::Skip,
                "q" | "quit" => break Answer::Quit,
                other => writeln!(out, "{other:?}: answer a, r, s or q")?,
            }
        };
        let (extractor, article) = (&p.entry.extractor, &p.entry.article);
        match answer {
            Answer::Accept => {
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
    if which.all {
        return Ok(pending);
    }
    Ok(select_pending(&pending, &which.articles)?)
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
