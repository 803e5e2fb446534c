//! The one trait every consumer of a run implements.
//!
//! As nextest's runner feeds its reporters, a [`Session`](super::Session)
//! feeds each [`Reporter`] every [`RunEvent`] while the run goes, then the
//! [`Outcome`] once gates and snapshots have spoken. The progress bar, the
//! worst-article diffs, the rerun-failed record and every report file are
//! reporters; so is anything a library user writes.

use super::{Outcome, SessionError};
use crate::run::RunEvent;

/// Something that listens to a run: every hook has a no-op default.
pub trait Reporter {
    /// Called for each event of the run, in corpus order.
    fn on_event(&mut self, event: &RunEvent<'_>) {
        let _ = event;
    }

    /// Called once, when the run has ended and its outcome is known.
    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        let _ = outcome;
        Ok(())
    }
}

impl<R: Reporter + ?Sized> Reporter for &mut R {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        (**self).on_event(event)
    }

    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        (**self).on_outcome(outcome)
    }
}

impl<R: Reporter + ?Sized> Reporter for Box<R> {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        (**self).on_event(event)
    }

    fn on_outcome(&mut self, outcome: &Outcome) -> Result<(), SessionError> {
        (**self).on_outcome(outcome)
    }
}

/// A reporter made of a closure over events: see [`on_event`].
pub struct FnReporter<F>(F);

/// Turns a closure into a [`Reporter`] that sees every event.
pub fn on_event<F: FnMut(&RunEvent<'_>)>(f: F) -> FnReporter<F> {
    FnReporter(f)
}

impl<F: FnMut(&RunEvent<'_>)> Reporter for FnReporter<F> {
    fn on_event(&mut self, event: &RunEvent<'_>) {
        (self.0)(event)
    }
}
