//! quotecheck's own end by a signal (`SIGINT`, `SIGTERM`, `SIGHUP`): the
//! workers' process groups are ended first (TERM, then KILL after a grace
//! period; `extract::worker::end_all`), then quotecheck ends as the signal
//! would have ended it, so a shell sees the usual status (130, 143, 129).
//!
//! Workers lead process groups of their own, so a terminal's Ctrl-C no
//! longer reaches them directly: this handler is what passes it on.
//! Report and snapshot files need nothing here: they are written
//! atomically, so an interrupted run leaves the old file or the new one.
//!
//! Two paths end the process, whichever comes first: a thread woken by
//! the signal, and the command's own return ([`exit_if_signalled`]): once
//! the workers are gone a run may finish at once, and it must not then
//! exit as if nothing had happened.

#[cfg(unix)]
use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(unix)]
use std::sync::{Arc, OnceLock};

/// The signal received, set by the signal handler itself (0: none).
#[cfg(unix)]
static RECEIVED: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// How long workers have to exit after `SIGTERM`.
#[cfg(unix)]
const GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// Installs the handler, on a thread of its own. Without it (it could not
/// be installed) a signal ends quotecheck as before and the workers see
/// their standard input close.
pub(super) fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use signal_hook::iterator::Signals;

        let received = RECEIVED.get_or_init(|| Arc::new(AtomicUsize::new(0)));
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            let value = usize::try_from(signal).unwrap_or(0);
            let _ = signal_hook::flag::register_usize(signal, Arc::clone(received), value);
        }
        let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("quotecheck-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    end(signal);
                }
            });
    }
}

/// Ends the process by the signal received, if one was: called when a
/// command returns.
pub(super) fn exit_if_signalled() {
    #[cfg(unix)]
    if let Some(signal) = RECEIVED
        .get()
        .map(|r| r.load(Ordering::SeqCst))
        .filter(|&s| s != 0)
    {
        end(i32::try_from(signal).unwrap_or(signal_hook::consts::SIGTERM));
    }
}

/// Ends every worker's group, then the process, by `signal`.
#[cfg(unix)]
fn end(signal: i32) -> ! {
    crate::extract::worker::end_all(GRACE);
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    // A signal whose default is not to end the process.
    std::process::exit(128 + signal)
}
