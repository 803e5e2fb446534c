//! `run --json` written as articles finish: a [`Reporter`] that spills each
//! article's entry to disk when it is scored and writes the report at the
//! end (`report::json_stream`), so that a run whose only full listing is
//! the JSON report keeps no article's result in memory.

use std::io::Write;

use super::writers::{Target, UntilClosed};
use super::{Outcome, Reporter, SessionError};
use crate::report::json_stream::JsonSpill;
use crate::run::RunEvent;

/// The JSON report, streamed.
#[derive(Debug)]
pub struct StreamedJson {
    target: Target,
    spill: Option<JsonSpill>,
    error: Option<std::io::Error>,
}

impl StreamedJson {
    /// The JSON report to `target`.
    pub fn new(target: Target) -> StreamedJson {
        StreamedJson {
            target,
            spill: Some(JsonSpill::new()),
            error: None,
        }
    }

    fn failed(&self, source: std::io::Error) -> SessionError {
        match &self.target {
            Target::Stdout => SessionError::Print(source),
            Target::File(path) => SessionError::Write {
                what: "write the JSON report to",
                path: path.clone(),
                source,
            },
        }
    }
}

impl Reporter for StreamedJson {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        let (
            RunEvent::ArticleDone {
                extractor, result, ..
            },
            Some(spill),
            None,
        ) = (event, self.spill.as_mut(), &self.error)
        else {
            return;
        };
        // The first failure to spill is the report's error, at the end.
        if let Err(e) = spill.add(extractor, result) {
            self.error = Some(e);
        }
    }

    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        if let Some(e) = self.error.take() {
            return Err(self.failed(e));
        }
        let Some(spill) = self.spill.take() else {
            return Ok(());
        };
        let write =
            |out: &mut dyn Write| spill.write(&outcome.report, outcome.snapshots.as_ref(), out);
        let written = match &self.target {
            Target::Stdout => {
                let mut out = UntilClosed::new(std::io::stdout().lock());
                write(&mut out).and_then(|()| out.flush())
            }
            Target::File(path) => crate::atomic::write_with(path, write),
        };
        written.map_err(|e| self.failed(e))
    }
}
