//! The example sessions in the documentation are real: every ```text block
//! that starts with `$ quotecheck …` is run from the repository root and
//! its output must be exactly what the page shows.

mod util;

fn sessions(page: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(util::repo().join(page)).unwrap();
    let mut out = Vec::new();
    for block in text.split("```text\n").skip(1) {
        let block = &block[..block.find("```").unwrap()];
        if let Some(rest) = block.strip_prefix("$ quotecheck ") {
            let (command, output) = rest.split_once('\n').unwrap();
            out.push((command.to_string(), output.to_string()));
        }
    }
    out
}

fn check_page(page: &str) {
    let found = sessions(page);
    assert!(!found.is_empty(), "{page} has no example session");
    for (command, expected) in found {
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = assert_cmd::Command::cargo_bin("quotecheck")
            .unwrap()
            .current_dir(util::repo())
            .env_remove("CI")
            .env("NO_COLOR", "1")
            .args(&args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            stdout, expected,
            "{page}: `quotecheck {command}` printed something else"
        );
    }
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
    check_page("README.md");
}
