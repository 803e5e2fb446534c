//! What a test needs from the machine beyond Rust: programs and set-ups
//! that may be missing. Knows how to look for them, not what the tests
//! that need them check.

use super::dir::repo;

/// Makes sure `examples/textacy/.venv` holds spaCy, textacy and the model,
/// by running `examples/textacy/setup.sh` (quick when it is ready; safe to
/// run from several test binaries at once). Panics with set-up's output if
/// it fails: tests of the textacy example are never skipped.
pub fn textacy_ready() {
    static READY: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    READY.get_or_init(|| {
        let script = repo().join("examples/textacy/setup.sh");
        let out = std::process::Command::new("bash")
            .arg(&script)
            .output()
            .unwrap_or_else(|e| panic!("cannot run bash {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "the textacy example could not be set up ({} exited with {}):\n{}{}\n\
             hint: run examples/textacy/setup.sh by hand to see why; it needs python3 with \
             the venv module and access to the Python package index",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    });
}
