//! `quotecheck extractors`.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_BAD_INPUT, EXIT_OK};
use crate::config::{ExtractorSpec, FILE_NAME};
use crate::extract::BUILTINS;
use crate::session::UntilClosed;
use crate::text::{printable, printable_line};

/// List the extractors quotecheck can run, and check that each can start.
///
/// Shows the extractors configured in quotecheck.toml and the built-in ones,
/// with what each is (built-in, replay, worker, HTTP) and whether it is
/// usable: a replay must be readable, a worker must start and answer the
/// handshake, an endpoint's handshake URL must answer; a built-in always is.
///
/// Exit code 0 when every extractor is usable, 2 otherwise.
///
/// Examples:
///   quotecheck extractors
///   quotecheck extractors --config ci/quotecheck.toml
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ExtractorsArgs {
    /// Read extractors from PATH instead of ./quotecheck.toml.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
}

pub fn run(args: ExtractorsArgs) -> anyhow::Result<u8> {
    let config = super::input::config(args.config.as_deref())?;
    let mut out = UntilClosed::new(std::io::stdout().lock());
    let source = config
        .path
        .clone()
        .unwrap_or_else(|| format!("no {FILE_NAME}: built-in extractors only"));
    writeln!(out, "extractors ({source}):")?;
    let mut failed = 0;
    for name in config.known_names() {
        let what = match config.extractors.get(&name) {
            Some(ExtractorSpec::Builtin(kind, None)) => format!("builtin {kind}"),
            Some(ExtractorSpec::Builtin(kind, Some(lang))) => {
                format!("builtin {kind}, language {}", lang.tag())
            }
            Some(ExtractorSpec::Replay(path)) => {
                format!("replay {}", config.base.join(path).display())
            }
            Some(ExtractorSpec::Worker(w)) => format!("worker {}", w.command.join(" ")),
            Some(ExtractorSpec::Http(h)) => format!("http {}", h.url),
            // The model follows, as its version.
            Some(ExtractorSpec::Chat(c)) => format!("chat {}", c.http.url),
            None if BUILTINS.contains(&name.as_str()) => "builtin".to_string(),
            None => "?".to_string(),
        };
        match config.build(&name) {
            Ok(e) => match e.check() {
                Ok(()) => {
                    let version = e
                        .version()
                        .map_or(String::new(), |v| format!(" {}", printable_line(v)));
                    let what = printable_line(&what);
                    writeln!(out, "  {name:<16} {what}{version}: ok")?;
                }
                Err(why) => {
                    failed += 1;
                    let why = why.to_string();
                    let first = printable_line(why.lines().next().unwrap_or(""));
                    let what = printable_line(&what);
                    writeln!(out, "  {name:<16} {what}: unavailable: {first}")?;
                    for line in why.lines().skip(1) {
                        writeln!(out, "  {:<16} {}", "", printable_line(line))?;
                    }
                }
            },
            Err(err) => {
                failed += 1;
                let err = format!("{err:#}");
                let (what, err) = (printable_line(&what), printable(&err));
                writeln!(out, "  {name:<16} {what}: unavailable: {err}")?;
            }
        }
    }
    Ok(if failed == 0 { EXIT_OK } else { EXIT_BAD_INPUT })
}
