//! Ids that people type: an unknown one gets the ids it probably meant as a
//! hint (`diff`, `show`, `accept`, `reject`), the examples of every
//! `--help` name articles that exist in corpus/, and `accept` / `reject`
//! say what to give when given nothing.

use crate::util;

use util::Dir;

/// The project's corpus, as an argument.
fn corpus() -> String {
    util::repo().join("corpus").display().to_string()
}

/// `quotecheck ARGS` in `dir`: exit code, stdout, stderr.
fn run(dir: &Dir, args: &[&str]) -> (i32, String, String) {
    let out = util::bin::quotecheck(dir.path()).args(args).output();
    (out.code().unwrap(), out.stdout(), out.stderr())
}

/// The `hint:` line of `stderr`.
fn hint(stderr: &str) -> &str {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("hint: "))
        .unwrap_or_else(|| panic!("no hint line in:\n{stderr}"))
}

#[test]
fn diff_and_show_suggest_the_ids_meant() {
    let dir = Dir::new();
    let corpus = corpus();
    for command in ["diff", "show"] {
        // The folder prefix left out, typing mistakes.
        for (typed, meant) in [
            ("lyon-musee-greve", "world/lyon-musee-greve"),
            ("world/lyon-muse-greve", "world/lyon-musee-greve"),
            ("bbc-lybia-us-talks", "bbc-libya-us-talks"),
            ("World/Saginoura-Bus", "world/saginoura-bus"),
        ] {
            let (code, stdout, stderr) = run(&dir, &[command, typed, "--corpus", &corpus]);
            assert_eq!(code, 2, "{command} {typed}: {stdout}{stderr}");
            assert!(
                stderr.starts_with(&format!("error: no article {typed:?} in {corpus}\n")),
                "{command} {typed}: {stderr}"
            );
            assert_eq!(
                hint(&stderr),
                format!("did you mean {meant}?"),
                "{command} {typed}"
            );
            assert_eq!(stdout, "", "{command} {typed}");
        }
        // Nothing near: what an id looks like, with one that exists.
        let (code, _, stderr) = run(
            &dir,
            &[command, "no-such-thing-at-all", "--corpus", &corpus],
        );
        assert_eq!(code, 2);
        assert_eq!(
            hint(&stderr),
            "ids are paths relative to the corpus without `.txt`, such as `bbc-libya-us-talks`",
            "{command}"
        );
    }
}

/// A snapshot folder with one pending snapshot, of `world/lyon-musee-greve`.
fn one_pending() -> Dir {
    let dir = Dir::new();
    let accepted =
        std::fs::read(util::repo().join("snapshots/baseline/world/lyon-musee-greve.snap")).unwrap();
    dir.write(
        "snapshots/baseline/world/lyon-musee-greve.snap.new",
        accepted,
    );
    dir
}

#[test]
fn accept_and_reject_suggest_the_pending_ids_meant() {
    for command in ["accept", "reject"] {
        let dir = one_pending();
        let before = dir.listing();
        let (code, stdout, stderr) = run(&dir, &[command, "lyon-musee-greve"]);
        assert_eq!(code, 2, "{command}: {stdout}{stderr}");
        assert!(
            stderr.starts_with("error: no pending snapshot for \"lyon-musee-greve\"\n"),
            "{command}: {stderr}"
        );
        assert_eq!(
            hint(&stderr),
            "did you mean world/lyon-musee-greve? `quotecheck pending` lists the pending snapshots",
            "{command}"
        );
        assert_eq!(dir.listing(), before, "{command} did something");
        // Several ids: each with its own suggestion; nothing near, none.
        let (code, _, stderr) = run(&dir, &[command, "world/lyon-musee-grve", "nothing-near"]);
        assert_eq!(code, 2);
        assert_eq!(
            hint(&stderr),
            "for \"world/lyon-musee-grve\", did you mean world/lyon-musee-greve? `quotecheck \
             pending` lists the pending snapshots",
            "{command}"
        );
        // The id meant does it.
        let (code, stdout, stderr) = run(&dir, &[command, "world/lyon-musee-greve"]);
        assert_eq!(code, 0, "{command}: {stdout}{stderr}");
        assert!(
            stdout.ends_with(&format!("1 snapshot(s) {command}ed\n")),
            "{stdout}"
        );
    }
}

#[test]
fn accept_and_reject_without_ids_or_all_say_to_give_one() {
    for command in ["accept", "reject"] {
        let dir = one_pending();
        let before = dir.listing();
        let (code, stdout, stderr) = run(&dir, &[command]);
        assert_eq!(code, 2, "{command}: {stdout}{stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: nothing to {command}: give the ids of the articles to {command}, as \
                 `quotecheck pending` lists them, or --all to {command} every pending snapshot\n"
            )
        );
        assert_eq!(dir.listing(), before, "{command} did something");
        // Ids and --all together are still refused by the parser.
        let (code, _, stderr) = run(&dir, &[command, "--all", "world/lyon-musee-greve"]);
        assert_eq!(code, 2);
        assert!(stderr.contains("cannot be used with"), "{stderr}");
    }
}

/// The commands whose positional arguments are article ids.
const ID_COMMANDS: [&str; 6] = ["diff", "show", "accept", "reject", "draft", "promote"];

/// The `quotecheck …` lines of the `Examples:` block of `help`, each split
/// into words (quotes around a word removed).
fn examples(help: &str) -> Vec<Vec<String>> {
    let Some((_, block)) = help.split_once("\nExamples:\n") else {
        return Vec::new();
    };
    block
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| {
            let command = l.trim().split(" # ").next().unwrap();
            let at = command.find("quotecheck ")?;
            Some(
                command[at..]
                    .split(" | ")
                    .next()
                    .unwrap()
                    .split_whitespace()
                    .map(|w| w.trim_matches('\'').to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn help_examples_name_articles_of_the_corpus() {
    let dir = Dir::new();
    let corpus = corpus();
    let (_, top, _) = run(&dir, &["--help"]);
    let commands: Vec<&str> = top
        .split_once("Commands:\n")
        .unwrap()
        .1
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() > 10, "{top}");
    let (mut ids, mut patterns) = (Vec::new(), Vec::new());
    for command in commands {
        let (code, help, _) = run(&dir, &[command, "--help"]);
        assert_eq!(code, 0);
        for words in examples(&help) {
            assert_eq!(words[1], command, "{words:?}");
            for (i, word) in words.iter().enumerate().skip(2) {
                let previous = &words[i - 1];
                if previous == "--articles" {
                    patterns.push((command, word.clone()));
                } else if ID_COMMANDS.contains(&command)
                    && !word.starts_with('-')
                    && (i == 2 || !previous.starts_with('-'))
                {
                    ids.push((command, word.clone()));
                }
            }
        }
    }
    assert!(
        ids.len() >= 6 && !patterns.is_empty(),
        "{ids:?} {patterns:?}"
    );
    for (command, id) in ids {
        let (code, stdout, stderr) = run(&dir, &["show", &id, "--corpus", &corpus]);
        assert_eq!(
            code, 0,
            "`{command} --help` shows the id {id:?}, which is not in corpus/: {stdout}{stderr}"
        );
    }
    for (command, pattern) in patterns {
        let (code, stdout, stderr) = run(
            &dir,
            &[
                "run",
                "--corpus",
                &corpus,
                "--articles",
                &pattern,
                "--no-snapshots",
                "--no-cache",
            ],
        );
        assert!(
            code == 0 || code == 1,
            "`{command} --help` shows --articles {pattern:?}: {stdout}{stderr}"
        );
        assert!(
            !stdout.contains(" 0 articles scored"),
            "`{command} --help` shows --articles {pattern:?}, which matches nothing in corpus/:\n{stdout}"
        );
    }
}
