//! The command line: parses flags, turns them into settings and calls the
//! library. Nothing here computes anything a library user could want.

mod cache;
mod compare;
mod curate;
mod diff;
mod export;
mod extractors;
mod gen;
mod import;
mod input;
mod merge;
mod output;
mod run;
mod select;
mod signals;
mod snapshots;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::text::printable;

pub use crate::session::{EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS};

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  problems found (an invalid corpus, a failed gate, a snapshot change
     not accepted)
  2  bad input or configuration: the command could not run

Documentation: README.md and docs/ in the quotecheck repository.";

/// Verify quote-attribution extractors against gold-standard corpora.
#[derive(Debug, Parser)]
#[command(name = "quotecheck", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,

    #[command(flatten)]
    input: input::InputArgs,
}

// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    Run(run::RunArgs),
    Extractors(extractors::ExtractorsArgs),
    Cache(cache::CacheArgs),
    Compare(compare::CompareArgs),
    Fmt(curate::FmtArgs),
    Stats(curate::StatsArgs),
    Draft(curate::DraftArgs),
    Promote(curate::PromoteArgs),
    Agree(curate::AgreeArgs),
    Show(curate::ShowArgs),
    Diff(diff::DiffArgs),
    Merge(merge::MergeArgs),
    Validate(validate::ValidateArgs),
    Import(import::ImportArgs),
    Export(export::ExportArgs),
    Pending(snapshots::PendingArgs),
    Review(snapshots::ReviewArgs),
    Accept(snapshots::AcceptArgs),
    Reject(snapshots::RejectArgs),
    /// Write a synthetic corpus and predictions for benchmarks (docs/performance.md).
    #[command(hide = true)]
    Gen(gen::GenArgs),
}

/// Runs the command line with the process arguments and returns the exit code.
pub fn main() -> ExitCode {
    /// Whether a broken pipe is anywhere in the error's chain: an
    /// `io::Error`, or the library's print error that wraps one.
    fn is_broken_pipe(err: &anyhow::Error) -> bool {
        err.chain().any(|e| {
            let io = match e.downcast_ref::<crate::session::SessionError>() {
                Some(crate::session::SessionError::Print(io)) => Some(io),
                _ => e.downcast_ref::<std::io::Error>(),
            };
            io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        })
    }

    let cli = Cli::parse();
    signals::install();
    cli.input.apply();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Extractors(args) => extractors::run(args),
        Command::Cache(args) => cache::run(args),
        Command::Compare(args) => compare::run_compare(args),
        Command::Fmt(args) => curate::fmt(args),
        Command::Stats(args) => curate::stats(args),
        Command::Draft(args) => curate::draft(args),
        Command::Promote(args) => curate::promote(args),
        Command::Agree(args) => curate::agree(args),
        Command::Show(args) => curate::show(args),
        Command::Diff(args) => diff::run_diff(args),
        Command::Merge(args) => merge::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::Pending(args) => snapshots::run_pending(args),
        Command::Review(args) => snapshots::run_review(args),
        Command::Accept(args) => snapshots::run_accept(args),
        Command::Reject(args) => snapshots::run_reject(args),
        Command::Gen(args) => gen::run(args),
    };
    signals::exit_if_signalled();
    match result {
        Ok(code) => ExitCode::from(code),
        // The reader of standard output has gone (`| head`, quitting
        // `less`): not worth a message. Every command prints through the
        // library's `UntilClosed`, so it finishes its work and ends with
        // its own exit code; one that got here stopped before its verdict,
        // and an unfinished command never passes.
        Err(err) if is_broken_pipe(&err) => ExitCode::from(EXIT_BAD_INPUT),
        // An error may quote input (a path, a worker's words): shown,
        // never acted on.
        Err(err) => {
            eprintln!("error: {}", printable(&format!("{err:#}")));
            if let Some(hint) = hint(&err) {
                eprintln!("hint: {}", printable(&hint));
            }
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// An error of the command line itself, with what to do about it: the
/// hint is printed on its own `hint:` line, as the library's are.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct Hinted {
    message: String,
    hint: String,
}

/// Fails with `message`, and `hint` on its own line.
pub(crate) fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    Hinted {
        message: message.into(),
        hint: hint.into(),
    }
    .into()
}

/// What to do about an error, when one of the errors in its chain says.
fn hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|e| {
        let owned = |h: &str| Some(h.to_string());
        if let Some(e) = e.downcast_ref::<Hinted>() {
            owned(&e.hint)
        } else if let Some(e) = e.downcast_ref::<crate::config::ConfigError>() {
            e.hint()
        } else if let Some(e) = e.downcast_ref::<crate::session::SessionError>() {
            e.hint().and_then(owned)
        } else if let Some(e) = e.downcast_ref::<crate::gate::BaselineError>() {
            owned(e.hint())
        } else if let Some(e) = e.downcast_ref::<crate::corpus::FindError>() {
            owned(e.hint())
        } else if let Some(e) = e.downcast_ref::<crate::snapshot::store::NoPending>() {
            owned(e.hint())
        } else if let Some(e) = e.downcast_ref::<crate::extract::Unavailable>() {
            e.hint().and_then(owned)
        } else if let Some(e) = e.downcast_ref::<crate::extract::worker::SpawnError>() {
            owned(e.hint())
        } else if let Some(e) = e.downcast_ref::<crate::extract::http::EndpointError>() {
            owned(e.hint())
        } else {
            None
        }
    })
}
