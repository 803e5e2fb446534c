//! quotecheck's own end by a signal (`SIGINT`, `SIGTERM`, `SIGHUP`): the
//! workers' process groups are ended first (TERM, then KILL after a grace
//! period; `extract::worker::end_all`), then quotecheck ends as the signal
//! would have ended it, so a shell sees the usual status (130, 143, 129).
//!
//! Workers lead process groups of their own, so a terminal's Ctrl-C no
//! longer reaches them directly: this handler is what passes it on.
//! Report and snapshot files need nothing here: they are written
//! atomically, so an interrupted run leaves the old file or the new one.

/// Installs the handler, on a thread of its own. Without it (it could not
/// be installed) a signal ends quotecheck as before and the workers see
/// their standard input close.
pub(super) fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use signal_hook::iterator::Signals;

        let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("quotecheck-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    crate::extract::worker::end_all(GRACE);
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    // A signal whose default is not to end the process.
                    std::process::exit(128 + signal);
                }
            });
    }
}

/// How long workers have to exit after `SIGTERM`.
#[cfg(unix)]
const GRACE: std::time::Duration = std::time::Duration::from_secs(1);
