//! Running the real `quotecheck` binary, as a user would: a process of its
//! own in a folder, with a clean environment unless a test asks for more,
//! and what it printed. What a test expects of the output is the test's
//! business, not this module's.

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The binary cargo built for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_quotecheck");

/// One `quotecheck` command, about to run.
pub struct Quotecheck {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

/// `quotecheck` in `dir` with an empty environment: nothing of the test's
/// own environment (`CI`, `NO_COLOR`, `QUOTECHECK_*`) leaks into what it
/// prints.
pub fn quotecheck(dir: &Path) -> Quotecheck {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir).env_clear();
    Quotecheck { cmd, stdin: None }
}

impl Quotecheck {
    /// Adds arguments.
    pub fn args<S: AsRef<OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Quotecheck {
        self.cmd.args(args);
        self
    }

    /// Sets one environment variable.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Quotecheck {
        self.cmd.env(key, value);
        self
    }

    /// Sets environment variables.
    pub fn envs<K: AsRef<OsStr>, V: AsRef<OsStr>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Quotecheck {
        self.cmd.envs(vars);
        self
    }

    /// Passes on these variables of the test's own environment, those that
    /// are set (`PATH`, for instance, to find `python3`).
    pub fn keep(mut self, vars: &[&str]) -> Quotecheck {
        for var in vars {
            if let Some(v) = std::env::var_os(var) {
                self.cmd.env(var, v);
            }
        }
        self
    }

    /// Passes on the test's whole environment, as a shell would.
    pub fn inherit(mut self) -> Quotecheck {
        self.cmd.envs(std::env::vars_os());
        self
    }

    /// Removes one environment variable.
    pub fn remove(mut self, key: impl AsRef<OsStr>) -> Quotecheck {
        self.cmd.env_remove(key);
        self
    }

    /// Gives the command `input` on its standard input (otherwise it reads
    /// an empty one).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Quotecheck {
        self.stdin = Some(input.into());
        self
    }

    /// The command itself, for a test that spawns it and waits on it in
    /// its own way (standard input, if given, is not written).
    pub fn command(self) -> Command {
        self.cmd
    }

    /// Runs the command to its end.
    pub fn output(mut self) -> Output {
        let Some(input) = self.stdin else {
            return Output(self.cmd.output().unwrap());
        };
        let mut child = self
            .cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&input).unwrap();
        Output(child.wait_with_output().unwrap())
    }
}

/// What a finished command did.
pub struct Output(pub std::process::Output);

impl Output {
    /// The exit code; `None` when a signal ended the process.
    pub fn code(&self) -> Option<i32> {
        self.0.status.code()
    }

    /// Standard output, which must be UTF-8.
    pub fn stdout(&self) -> String {
        String::from_utf8(self.0.stdout.clone()).unwrap()
    }

    /// Standard error, which must be UTF-8.
    pub fn stderr(&self) -> String {
        String::from_utf8(self.0.stderr.clone()).unwrap()
    }

    /// Standard output then standard error, with anything that is not
    /// UTF-8 replaced.
    pub fn lossy(&self) -> String {
        format!(
            "{}{}",
            String::from_utf8_lossy(&self.0.stdout),
            String::from_utf8_lossy(&self.0.stderr)
        )
    }
}
