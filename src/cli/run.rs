//! `quotecheck run`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};

use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS};
use crate::align::Scheme;
use crate::corpus::Corpus;
use crate::extract::{check_name, Extractor, Replay};
use crate::report::{json, terminal};
use crate::run::{run as run_corpus, RunSettings, Selection};

/// Score extractors on a corpus and print the report.
///
/// Each extractor's predictions are matched one-to-one with the gold quotes
/// of every annotated article and scored as scoring.md defines: content,
/// end-to-end (content and speaker), cue and kind precision, recall and F1,
/// micro and macro, with speaker/cue/kind accuracy and per-kind figures.
/// An article on which an extractor failed (or that a replay lacks) is
/// scored as empty and listed.
///
/// Exit code 0 when every article was scored, 1 when an extractor failed on
/// some article, 2 when the corpus or a replay cannot be read or some
/// article of the corpus is invalid.
///
/// Examples:
///   quotecheck run --replay saved=runs/v1.jsonl
///   quotecheck run --corpus corpus --replay old=runs/v1 --replay new=runs/v2 --json report.json
///   quotecheck run --replay runs/model.jsonl --scheme exact --json - | jq .extractors[0].micro
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct RunArgs {
    /// The corpus: a folder of .txt/.json pairs, or a .jsonl / .jsonl.gz file.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,

    /// Score saved predictions: a folder of <id>.json files or a .jsonl file,
    /// as `[NAME=]PATH` (NAME defaults to the file name without extension).
    /// Repeat to score several.
    #[arg(long, value_name = "[NAME=]PATH")]
    replay: Vec<String>,

    /// How content is matched: `overlap` (token overlap ≥ 0.5), `overlap:θ`
    /// with θ in (0, 1], or `exact` (same tokens in the same order).
    #[arg(long, default_value = "overlap")]
    scheme: String,

    /// Also write the JSON report to PATH (`-` for standard output, which
    /// moves the terminal report to standard error).
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,

    /// Score articles whose gold is still a draft.
    #[arg(long)]
    include_drafts: bool,

    /// Score only the articles whose id matches GLOB (`*` within a path
    /// segment, `**` across segments, `?`, `[abc]`). Repeat to add patterns.
    #[arg(long, value_name = "GLOB")]
    articles: Vec<String>,

    /// How many articles to score at once (default: one per core). Results
    /// are the same for every value.
    #[arg(
        long,
        short = 'j',
        default_value_t = 0,
        value_name = "N",
        hide_default_value = true
    )]
    jobs: usize,

    /// How many of the worst articles to list per extractor.
    #[arg(long, default_value_t = 5, value_name = "N")]
    worst: usize,

    /// Colour the terminal report: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Splits `[NAME=]PATH` and checks the name.
fn replay_spec(spec: &str) -> anyhow::Result<(String, PathBuf)> {
    let (name, path) = match spec.split_once('=') {
        Some((name, path)) if !name.is_empty() => (name.to_string(), PathBuf::from(path)),
        _ => {
            let path = PathBuf::from(spec);
            let file = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default();
            let stem = file
                .trim_end_matches(".gz")
                .trim_end_matches(".jsonl")
                .to_string();
            (stem, path)
        }
    };
    check_name(&name).map_err(|e| {
        anyhow::anyhow!(
            "{e}\nhint: name it explicitly with --replay NAME={}",
            path.display()
        )
    })?;
    Ok((name, path))
}

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let scheme: Scheme = args
        .scheme
        .parse()
        .with_context(|| format!("invalid --scheme {:?}", args.scheme))?;
    if args.replay.is_empty() {
        bail!("no extractor to run\nhint: score saved predictions with --replay NAME=PATH");
    }
    let mut replays = Vec::new();
    for spec in &args.replay {
        let (name, path) = replay_spec(spec)?;
        if replays.iter().any(|r: &Replay| r.name() == name) {
            bail!(
                "two extractors are named {name:?}\nhint: name them apart with --replay NAME=PATH"
            );
        }
        replays.push(Replay::open(&name, &path)?);
    }
    let corpus = Corpus::open(&args.corpus).context("nothing was scored")?;
    let extractors: Vec<&dyn Extractor> = replays.iter().map(|r| r as &dyn Extractor).collect();
    let mut selection = Selection::default();
    for glob in &args.articles {
        let pattern = glob::Pattern::new(glob)
            .with_context(|| format!("invalid --articles pattern {glob:?}"))?;
        selection.patterns.push(pattern);
    }
    let settings = RunSettings {
        scheme,
        include_drafts: args.include_drafts,
        selection,
        jobs: args.jobs,
    };
    let result = run_corpus(&corpus, &extractors, &settings, &mut |_| {});

    let json_to_stdout = args.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if let Some(path) = &args.json {
        if json_to_stdout {
            json::write(&result, &mut std::io::stdout().lock())?;
        } else {
            let mut buf = Vec::new();
            json::write(&result, &mut buf)?;
            std::fs::write(path, buf)
                .with_context(|| format!("cannot write the JSON report to {}", path.display()))?;
        }
    }
    let color = |is_terminal: bool| match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut options = terminal::TerminalOptions {
        worst: args.worst,
        ..Default::default()
    };
    if json_to_stdout {
        options.color = color(std::io::stderr().is_terminal());
        terminal::write(&result, options, &mut std::io::stderr().lock())?;
    } else {
        options.color = color(std::io::stdout().is_terminal());
        let mut out = std::io::stdout().lock();
        terminal::write(&result, options, &mut out)?;
        out.flush()?;
    }
    Ok(if !result.corpus.broken.is_empty() {
        EXIT_BAD_INPUT
    } else if result
        .extractors
        .iter()
        .any(|e| e.failures().next().is_some())
    {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}
