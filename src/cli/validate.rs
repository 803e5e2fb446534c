//! `quotecheck validate`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::corpus::{validate, Severity};
use crate::session::UntilClosed;

/// Check a corpus against the format of docs/corpus.md and report every problem at once.
///
/// Every file is read and every check is run, so one run lists all the
/// problems of all the files: offsets out of range or inside a character,
/// `text` that disagrees with the article, duplicate ids and records,
/// unknown fields, gold without its text, ids that differ only in case or
/// are unsafe as file names, content without tokens, invalid UTF-8 and
/// malformed JSON. Notes (unannotated articles, drafts, nested quotations)
/// are listed apart; they are not errors.
///
/// Exit code 0 when the corpus is valid, 1 when errors were found, 2 when
/// the corpus cannot be read at all.
///
/// Examples:
///   quotecheck validate corpus/
///   quotecheck validate big-corpus.jsonl.gz --format json > problems.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ValidateArgs {
    /// The corpus: a folder of .txt/.json pairs, or a .jsonl / .jsonl.gz file.
    #[arg(default_value = "corpus")]
    corpus: PathBuf,

    /// How to print the result: `human` (default) or `json` (for tooling).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<u8> {
    let v = validate(&args.corpus).context("nothing was validated")?;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        Format::Human => {
            let (errors, warnings, notes) = (
                v.count(Severity::Error),
                v.count(Severity::Warning),
                v.count(Severity::Note),
            );
            for issue in v.issues.iter().filter(|i| i.severity != Severity::Note) {
                writeln!(out, "{issue}")?;
            }
            if notes > 0 {
                writeln!(out, "notes:")?;
                for issue in v.issues.iter().filter(|i| i.severity == Severity::Note) {
                    let what = issue
                        .record
                        .as_deref()
                        .map_or(String::new(), |r| format!(" (record {r:?})"));
                    writeln!(
                        out,
                        "  [{}] {}{what}: {}",
                        issue.code, issue.file, issue.message
                    )?;
                }
                writeln!(out)?;
            }
            let mut summary = format!(
                "{}: {} article{} ({} annotated, {} draft, {} unannotated, {} unreadable), {} gold records",
                v.corpus,
                v.articles,
                plural(v.articles),
                v.annotated, v.drafts, v.unannotated, v.broken, v.records
            );
            summary.push_str(&format!(
                "\n{}: {errors} error{}, {warnings} warning{}, {notes} note{}",
                if errors == 0 { "valid" } else { "invalid" },
                plural(errors),
                plural(warnings),
                plural(notes)
            ));
            writeln!(out, "{summary}")?;
        }
    }
    Ok(if v.is_valid() { EXIT_OK } else { EXIT_PROBLEMS })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
