//! The example sessions in the documentation are real: every ```text block
//! that starts with `$ quotecheck …` is run from the repository root and
//! its output must be exactly what the page shows.

use crate::util;

fn sessions(page: &str) -> Vec<(String, String)> {
    util::docs::sessions(&std::fs::read_to_string(util::repo().join(page)).unwrap())
}

/// Runs every session of `page`; with `QUOTECHECK_REGENERATE` set, first
/// rewrites the page with the real outputs (then review the diff).
fn check_page(page: &str) {
    if std::env::var_os("QUOTECHECK_REGENERATE").is_some() {
        regenerate(page);
    }
    let found = sessions(page);
    assert!(!found.is_empty(), "{page} has no example session");
    for (command, expected) in found {
        let stdout = run(&command);
        assert_eq!(
            stdout, expected,
            "{page}: `quotecheck {command}` printed something else"
        );
    }
}

fn run(command: &str) -> String {
    let args: Vec<&str> = command.split_whitespace().collect();
    util::bin::quotecheck(&util::repo())
        .inherit()
        .remove("CI")
        .env("NO_COLOR", "1")
        .args(&args)
        .output()
        .stdout()
}

fn regenerate(page: &str) {
    let path = util::repo().join(page);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("```text\n$ quotecheck ") {
        let start = at + "```text\n".len();
        out.push_str(&rest[..start]);
        let block = &rest[start..];
        let end = block.find("```").unwrap();
        let (command_line, _) = block.split_once('\n').unwrap();
        let command = command_line.strip_prefix("$ quotecheck ").unwrap();
        out.push_str(command_line);
        out.push('\n');
        out.push_str(&run(command));
        rest = &block[end..];
    }
    out.push_str(rest);
    std::fs::write(&path, out).unwrap();
}

#[test]
fn scoring_page_sessions_are_real() {
    check_page("docs/scoring.md");
}

#[test]
fn compare_page_sessions_are_real() {
    check_page("docs/compare.md");
}

#[test]
fn readme_sessions_are_real() {
    // Its compare session runs textacy (examples/textacy/).
    if !util::need::textacy() {
        return;
    }
    check_page("README.md");
}

#[test]
fn python_extractor_page_sessions_are_real() {
    if !util::need::textacy() {
        return;
    }
    check_page("docs/python-extractor.md");
}
