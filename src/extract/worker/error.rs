//! Why a worker process could not be started: [`SpawnError`], with the
//! ways a started process can fail to shake hands ([`Refusal`]).
//!
//! The messages name the command and end with the tail of the process's
//! stderr; what to do about them is [`SpawnError::hint`], kept out of the
//! message so that each report shows it where hints go.

use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::Duration;

use super::process::describe_exit;
use super::protocol::{show_duration, HandshakeError};
use crate::extract::Unavailable;

/// Why a worker process could not be started, or refused to shake hands.
#[derive(Clone, Debug, thiserror::Error)]
pub enum SpawnError {
    /// The configured command has no program.
    #[error("the command is empty")]
    EmptyCommand,
    /// The program could not be started at all (not found, not
    /// executable…).
    #[error("the worker `{command}` cannot be started{}: {error}", in_folder(cwd))]
    Start {
        /// The command, as shown in messages.
        command: String,
        /// The working folder it was to run in, when one was set.
        cwd: Option<PathBuf>,
        /// What the system said (shared, so the error can be kept and
        /// cloned for every article it fails).
        error: Arc<io::Error>,
    },
    /// The process started but gave no good handshake; it was killed.
    #[error("the worker `{command}` {refusal}; {}", stderr_or_nothing(stderr))]
    Refused {
        /// The command, as shown in messages.
        command: String,
        /// What it did instead of a good handshake.
        refusal: Refusal,
        /// The tail of its stderr, or `None` when it wrote nothing there.
        stderr: Option<String>,
    },
}

impl SpawnError {
    /// What to do next: run the command by hand and look at its first line.
    pub fn hint(&self) -> &'static str {
        "run the command by hand: its first line on stdout must be the handshake (docs/extractors.md, \"Worker processes\")"
    }
}

impl From<SpawnError> for Unavailable {
    /// A worker that cannot start makes its extractor unavailable, with the
    /// same message and hint.
    fn from(error: SpawnError) -> Unavailable {
        let hint = error.hint();
        Unavailable::new(error).with_hint(hint)
    }
}

/// What a started worker did instead of sending a good handshake.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Its first line is not a handshake of protocol.md.
    #[error("sent a bad handshake ({error}): {excerpt}")]
    BadHandshake {
        /// The rule it broke.
        error: HandshakeError,
        /// The line, cut.
        excerpt: String,
    },
    /// Its first line is over the `max_line` limit.
    #[error(
        "sent a first line of {len} bytes, over the limit of {max} bytes, instead of a handshake"
    )]
    FirstLineTooLong {
        /// The length of the line, in bytes.
        len: u64,
        /// The limit, in bytes.
        max: usize,
    },
    /// It exited (or closed its stdout) first.
    #[error("{} before its handshake", describe_exit(*status))]
    Exited {
        /// How it exited, when it did.
        status: Option<ExitStatus>,
    },
    /// It sent nothing within `handshake_timeout`.
    #[error("sent no handshake within {} (`handshake_timeout`)", show_duration(*timeout))]
    NoHandshake {
        /// The time-out.
        timeout: Duration,
    },
}

/// ` in <folder>`, or nothing.
fn in_folder(cwd: &Option<PathBuf>) -> String {
    cwd.as_ref()
        .map_or(String::new(), |c| format!(" in {}", c.display()))
}

/// The stderr part of a message.
fn stderr_or_nothing(stderr: &Option<String>) -> &str {
    stderr.as_deref().unwrap_or("it wrote nothing on stderr")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Extractor, Failure, FailureKind, Worker};

    #[test]
    fn an_unavailable_worker_keeps_its_reason_and_hint() {
        let why = Worker::new("w", Vec::<String>::new()).check().unwrap_err();
        assert_eq!(why.to_string(), "the command is empty");
        assert_eq!(why.hint(), Some(SpawnError::EmptyCommand.hint()));
        assert!(matches!(
            why.reason().downcast_ref::<SpawnError>(),
            Some(SpawnError::EmptyCommand)
        ));
        assert_eq!(
            Failure::from(why),
            Failure::new(FailureKind::Unavailable, "the command is empty")
        );
    }

    #[test]
    fn refusals_read_as_one_sentence() {
        let refused = |refusal, stderr: Option<&str>| {
            SpawnError::Refused {
                command: "python3 w.py".into(),
                refusal,
                stderr: stderr.map(String::from),
            }
            .to_string()
        };
        assert_eq!(
            refused(
                Refusal::NoHandshake {
                    timeout: Duration::from_secs(2)
                },
                None
            ),
            "the worker `python3 w.py` sent no handshake within 2s (`handshake_timeout`); it wrote nothing on stderr"
        );
        assert_eq!(
            refused(
                Refusal::BadHandshake {
                    error: HandshakeError::Missing { key: "name" },
                    excerpt: "{}".into()
                },
                Some("its stderr ends with:\n      | boom")
            ),
            "the worker `python3 w.py` sent a bad handshake (it has no `name`): {}; its stderr ends with:\n      | boom"
        );
    }
}
