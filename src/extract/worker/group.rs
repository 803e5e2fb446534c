//! Worker process groups: each worker process leads a process group of its
//! own, and ending a worker ends the group — the worker and whatever it
//! started (a `subprocess.Popen`, a shell pipeline), so nothing it began
//! outlives it or quotecheck.
//!
//! Ending is polite first: `SIGTERM` to the group, up to a grace period for
//! the worker to exit, then `SIGKILL` to the group. The worker's exit is
//! watched without reaping it (`waitid` with `WNOWAIT`), so its pid, which
//! is the group's id, cannot be reused by another process before the
//! `SIGKILL` is sent.
//!
//! Every live group is listed here, so that [`end_all`] can end them when
//! quotecheck itself is told to stop (`SIGINT`, `SIGTERM`, `SIGHUP`: the
//! binary's signal handler calls it). Elsewhere than on Unix a worker is a
//! plain child process, killed on its own.

use std::collections::BTreeSet;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
#[cfg(unix)]
use std::thread;
use std::time::Duration;
#[cfg(unix)]
use std::time::Instant;

use super::process::lock;

/// How long a worker has to exit after `SIGTERM` before its group is
/// sent `SIGKILL`.
pub(super) const KILL_GRACE: Duration = Duration::from_millis(1000);

/// The process groups of the workers that run (their leaders' pids).
static LIVE: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

/// Set by [`end_all`]: quotecheck is ending, and a worker started now (a
/// restart racing the end) is ended at once.
static ENDING: AtomicBool = AtomicBool::new(false);

/// Makes the process that `cmd` starts the leader of a new process group.
/// A terminal's Ctrl-C no longer reaches it directly: quotecheck's own
/// handler passes the end on (see [`end_all`]).
pub(super) fn configure(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    #[cfg(not(unix))]
    let _ = cmd;
}

/// Lists the group of a process just started; once [`end_all`] ran, ends
/// it instead (its handshake then fails as an exit).
pub(super) fn register(child: &mut Child) {
    lock(&LIVE).insert(child.id());
    // `end_all` sets the flag before it reads the list: a process is
    // either in its list or sees the flag here.
    if ENDING.load(Ordering::SeqCst) {
        end(child, Duration::ZERO);
    }
}

/// Ends `child`'s group (`SIGTERM`, up to `grace` for the leader to exit,
/// `SIGKILL`) and reaps `child`. Also right after `child` exited on its
/// own: what it left running in its group is ended.
pub(super) fn end(child: &mut Child, grace: Duration) {
    let id = child.id();
    #[cfg(unix)]
    {
        if let Some(pgid) = unix::pid(id) {
            unix::signal(pgid, unix::Signal::TERM);
            let deadline = Instant::now() + grace;
            while !unix::exited(pgid) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(5));
            }
            unix::signal(pgid, unix::Signal::KILL);
        }
    }
    #[cfg(not(unix))]
    {
        let _ = grace;
        let _ = child.kill();
    }
    let _ = child.wait();
    lock(&LIVE).remove(&id);
}

/// Ends the groups of all workers that run, for quotecheck's own end by a
/// signal: `SIGTERM` to each, up to `grace` for their leaders to exit,
/// then `SIGKILL` to each. The processes are not reaped here: the process
/// is about to end.
pub fn end_all(grace: Duration) {
    ENDING.store(true, Ordering::SeqCst);
    let groups: Vec<u32> = lock(&LIVE).iter().copied().collect();
    #[cfg(unix)]
    {
        let pids: Vec<_> = groups.iter().filter_map(|&id| unix::pid(id)).collect();
        for &pgid in &pids {
            unix::signal(pgid, unix::Signal::TERM);
        }
        let deadline = Instant::now() + grace;
        while !pids.iter().all(|&p| unix::exited(p)) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        for &pgid in &pids {
            unix::signal(pgid, unix::Signal::KILL);
        }
    }
    #[cfg(not(unix))]
    let _ = (groups, grace);
}

#[cfg(unix)]
mod unix {
    use rustix::process::{kill_process_group, waitid, WaitId, WaitIdOptions};
    pub(super) use rustix::process::{Pid, Signal};

    pub(super) fn pid(id: u32) -> Option<Pid> {
        Pid::from_raw(i32::try_from(id).ok()?)
    }

    /// Sends `sig` to the group; a group that no longer exists is fine.
    pub(super) fn signal(pgid: Pid, sig: Signal) {
        let _ = kill_process_group(pgid, sig);
    }

    /// Whether the leader `pid` exited, without reaping it. A pid that is
    /// no longer our child was reaped already: it exited.
    pub(super) fn exited(pid: Pid) -> bool {
        let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
        !matches!(waitid(WaitId::Pid(pid), options), Ok(None))
    }
}
