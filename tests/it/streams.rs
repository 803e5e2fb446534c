//! The binary's manners with its standard streams: a reader that goes
//! early (`| head -1`, quitting `less`) stops the printing, not the work,
//! and the progress bar on a terminal shows progress.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::util::{self, bin, Dir};

/// What a command did when its standard output lost its reader.
struct Cut {
    /// What was read before the reader went.
    read: String,
    code: Option<i32>,
    stderr: String,
}

/// Runs `quotecheck ARGS` in `dir` with its standard output on a pipe,
/// reads `lines` lines of it, then closes the pipe: what it prints after
/// has no reader, as under `| head`.
fn cut_after(dir: &Dir, lines: usize, args: &[&str]) -> Cut {
    let mut child = bin::quotecheck(dir.path())
        .args(args)
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut read = String::new();
    for _ in 0..lines {
        stdout.read_line(&mut read).unwrap();
    }
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    Cut {
        read,
        code: out.status.code(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A project of 200 synthetic articles and a replay of them, so that a
/// run's full report is far larger than a pipe holds: a reader that goes
/// after one line surely leaves the rest unread.
fn big_project() -> Dir {
    let dir = Dir::new();
    let out = bin::quotecheck(dir.path())
        .args([
            "gen",
            "--articles",
            "200",
            "--corpus",
            "corpus",
            "--replay",
            "v.jsonl",
        ])
        .output();
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
    dir
}

const RUN: &[&str] = &[
    "run",
    "--replay",
    "v=v.jsonl",
    "--no-cache",
    "--worst",
    "200",
];

fn run_args(extra: &[&'static str]) -> Vec<&'static str> {
    RUN.iter().chain(extra).copied().collect()
}

#[test]
fn a_run_whose_reader_goes_still_ends_with_its_outcome() {
    let dir = big_project();
    let failing = run_args(&[
        "--diffs",
        "all",
        "--no-snapshots",
        "--min-f1",
        "0.99",
        "--json",
        "report.json",
        "--junit",
        "junit.xml",
    ]);
    let full = dir.run_expect(1, &failing);
    assert!(full.len() > 128 * 1024, "{} bytes", full.len());
    assert!(full.contains("gates: 1 failed"), "{full}");

    std::fs::remove_file(dir.join("report.json")).unwrap();
    std::fs::remove_file(dir.join("junit.xml")).unwrap();
    let cut = cut_after(&dir, 1, &failing);
    assert!(
        cut.read.starts_with("corpus corpus · 200 articles scored"),
        "{}",
        cut.read
    );
    assert_eq!(
        cut.code,
        Some(1),
        "a failed gate still fails:\n{}",
        cut.stderr
    );
    assert_eq!(cut.stderr, "", "no error for a reader that went");
    assert!(dir.join("report.json").exists() && dir.join("junit.xml").exists());

    // A passing run still passes.
    let cut = cut_after(
        &dir,
        1,
        &run_args(&["--diffs", "all", "--no-snapshots", "--min-f1", "0.1"]),
    );
    assert_eq!((cut.code, cut.stderr.as_str()), (Some(0), ""));

    // With the JSON report on standard output, the terminal report goes to
    // standard error: it is still written when the JSON's reader has gone.
    let cut = cut_after(
        &dir,
        1,
        &run_args(&[
            "--diffs",
            "all",
            "--no-snapshots",
            "--min-f1",
            "0.99",
            "--json",
            "-",
        ]),
    );
    assert_eq!(cut.read, "{\n");
    assert_eq!(cut.code, Some(1), "{}", cut.stderr);
    assert!(cut.stderr.contains("gates: 1 failed"), "{}", cut.stderr);
    assert!(!cut.stderr.contains("error"), "{}", cut.stderr);
}

#[test]
fn commands_that_print_stop_quietly_and_keep_their_verdict() {
    let dir = big_project();
    // 200 new snapshots, pending.
    dir.run_expect(1, &run_args(&["--update", "new", "--diffs", "none"]));
    let cut = cut_after(&dir, 1, &["pending", "--diff"]);
    assert!(cut.read.contains("new"), "{}", cut.read);
    assert_eq!((cut.code, cut.stderr.as_str()), (Some(0), ""));

    let article = cut.read.split_whitespace().nth(1).unwrap().to_string();
    let cut = cut_after(&dir, 0, &["show", &article, "--color", "never"]);
    assert_eq!((cut.code, cut.stderr.as_str()), (Some(0), ""));
    // diff's verdict (the replay does not match the gold) stands.
    let full = dir.run_expect(1, &["diff", &article, "--replay", "v=v.jsonl"]);
    let cut = cut_after(&dir, 0, &["diff", &article, "--replay", "v=v.jsonl"]);
    assert_eq!((cut.code, cut.stderr.as_str()), (Some(1), ""), "{full}");

    // accept lists what it accepts; with nobody reading, it still accepts
    // every one.
    let cut = cut_after(&dir, 0, &["accept", "--all"]);
    assert_eq!((cut.code, cut.stderr.as_str()), (Some(0), ""));
    let snapshots: Vec<String> = std::fs::read_dir(dir.join("snapshots/v"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(snapshots.len(), 200);
    assert!(
        snapshots.iter().all(|n| n.ends_with(".snap")),
        "{snapshots:?}"
    );

    // An invalid corpus stays invalid however little of the list is read.
    dir.write("corpus/zz-broken.txt", "Text.\n");
    dir.write("corpus/zz-broken.json", "{\"quotes\": [");
    let cut = cut_after(&dir, 0, &["validate"]);
    assert_eq!((cut.code, cut.stderr.as_str()), (Some(1), ""));
    let cut = cut_after(&dir, 0, &["fmt", "--check"]);
    assert_eq!((cut.code, cut.stderr.as_str()), (Some(1), ""));
}

/// The progress bar on a pseudo-terminal. 130 articles with gold and 10
/// without, and an extractor that takes 0.4 s on each of three articles of
/// the second batch of 64: while it works the bar keeps being drawn (the
/// spinner and elapsed time tick), its total is the 130 articles to be
/// scored, never the 140 entries, and its pace has no four decimals.
#[cfg(unix)]
#[test]
fn the_progress_bar_shows_progress_on_a_terminal() {
    if !util::need::script() {
        return;
    }
    let ids: Vec<String> = (0..130).map(|i| format!("a{i:03}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let dir = util::corpus::town_corpus(&ids, "", true);
    for i in 0..10 {
        dir.write(&format!("corpus/u{i}.txt"), "No gold here.\n");
    }
    dir.write(
        "slow.sh",
        r#"printf '%s\n' '{"quotecheck": 1, "name": "slow", "version": "1", "offsets": "codepoint"}'
while IFS= read -r line; do
  id=${line#*\"id\":\"}
  id=${id%%\"*}
  case "$id" in a064|a065|a066) sleep 0.4 ;; esac
  printf '{"id": "%s", "quotes": []}\n' "$id"
done
"#,
    );
    dir.write(
        "quotecheck.toml",
        "[extractors.slow]\ncommand = [\"sh\", \"slow.sh\"]\n",
    );
    let command = format!(
        "{} run --extractor slow --no-cache --no-snapshots --diffs none --jobs 1 >/dev/null",
        bin::BIN
    );
    let out = Command::new("script")
        .current_dir(dir.path())
        .env_clear()
        .env("TERM", "xterm")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen:?}");
    // Every redraw writes the whole line again.
    let in_flight = screen.matches("64/130 articles").count();
    assert!(
        in_flight >= 5,
        "the bar ticks while articles are in flight ({in_flight} draws):\n{screen:?}"
    );
    assert!(
        !screen.contains("/140"),
        "only the articles to be scored count:\n{screen:?}"
    );
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
    let four_decimals = screen.match_indices('.').any(|(at, _)| {
        digits(&screen[at + 1..]) >= 4
            && at > 0
            && screen[..at].ends_with(|c: char| c.is_ascii_digit())
    });
    assert!(!four_decimals, "{screen:?}");
}

/// compare's table is cut like any other output: it exits as it would
/// have, without a word about the pipe.
#[test]
fn compare_stops_printing_quietly_and_keeps_its_verdict() {
    let dir = big_project();
    let args = [
        "compare",
        "--extractor",
        "baseline",
        "--replay",
        "v=v.jsonl",
        "--resamples",
        "50",
    ];
    let whole = bin::quotecheck(dir.path()).args(args).output();
    let cut = cut_after(&dir, 0, &args);
    assert_eq!(cut.code, whole.code(), "{}", cut.stderr);
    assert_eq!(cut.stderr, "");
}
