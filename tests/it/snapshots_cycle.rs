//! Accepted snapshots through the real binary: the whole review cycle,
//! the update policies, CI, cleanup, interrupted and concurrent runs, and
//! the `.snap` files read back by insta.

use crate::util;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use util::dir::copy_tree;
use util::{bin, replay_of_corpus, repo, Dir};

/// What one command did.
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("exit: {}\n{}{}", self.code, self.stdout, self.stderr)
    }
}

/// A project folder: the project corpus (by absolute path) and a replay
/// of it, `v.jsonl`.
struct Project {
    dir: Dir,
    corpus: String,
}

impl Project {
    fn new() -> Project {
        let dir = Dir::new();
        dir.write("v.jsonl", replay_of_corpus());
        Project {
            dir,
            corpus: repo().join("corpus").display().to_string(),
        }
    }

    /// A command with a clean environment plus `env`.
    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        self.quotecheck(args, env).command()
    }

    fn quotecheck(&self, args: &[&str], env: &[(&str, &str)]) -> bin::Quotecheck {
        bin::quotecheck(self.dir.path())
            .envs(env.iter().copied())
            .args(args)
    }

    fn exec(&self, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Out {
        let out = self.quotecheck(args, env).stdin(stdin).output();
        Out {
            code: out.code().unwrap_or(-1),
            stdout: out.stdout(),
            stderr: out.stderr(),
        }
    }

    /// `quotecheck run` of the replay on the corpus, with `extra` flags.
    fn run(&self, code: i32, extra: &[&str], env: &[(&str, &str)]) -> Out {
        let mut args = vec![
            "run",
            "--corpus",
            &self.corpus,
            "--replay",
            "v=v.jsonl",
            "--worst",
            "0",
            "--diffs",
            "none",
            "--no-cache",
        ];
        args.extend_from_slice(extra);
        self.expect(code, &args, env)
    }

    fn expect(&self, code: i32, args: &[&str], env: &[(&str, &str)]) -> Out {
        let out = self.exec(args, env, "");
        assert_eq!(
            out.code,
            code,
            "`quotecheck {}` in {}\n{}\n--- output\n{}",
            args.join(" "),
            self.dir.path().display(),
            self.dir.listing(),
            out.all()
        );
        out
    }

    /// Every file under `snapshots/` with its content.
    fn files(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let root = self.dir.join("snapshots");
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    let rel = e.path().strip_prefix(&root).unwrap().display().to_string();
                    out.insert(rel, std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }

    fn names(&self) -> Vec<String> {
        self.files().into_keys().collect()
    }

    fn json(&self, file: &str) -> Value {
        self.dir.json(file)
    }

    /// The `snapshot` state of each article in a JSON report.
    fn states(&self, file: &str) -> BTreeMap<String, String> {
        self.json(file)["extractors"][0]["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["id"].as_str().unwrap().to_string(),
                    a["snapshot"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Rewrites the replay's line for `id` with `edit`.
    fn edit_replay(&self, id: &str, edit: impl Fn(&mut Value)) {
        let text = std::fs::read_to_string(self.dir.join("v.jsonl")).unwrap();
        let mut lines = String::new();
        for line in text.lines() {
            let mut v: Value = serde_json::from_str(line).unwrap();
            if v["id"] == id {
                edit(&mut v);
            }
            lines.push_str(&v.to_string());
            lines.push('\n');
        }
        self.dir.write("v.jsonl", lines);
    }
}

const ARTICLES: usize = 9;
const CHANGED: &str = "harbour-bridge-closure";

/// The damaged replay gives the first prediction of `CHANGED` a wrong
/// speaker; this gives it another one.
fn change_a_speaker(v: &mut Value) {
    v["quotes"][0]["speaker"] = json!({"text": "the harbour master"});
}

/// Every annotated article of the corpus in `state`.
fn every(state: &str) -> BTreeMap<String, String> {
    replay_of_corpus()
        .lines()
        .map(|l| {
            let id = serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string();
            (id, state.to_string())
        })
        .collect()
}

#[test]
fn the_whole_cycle_new_accept_change_ci_reject_accept() {
    let p = Project::new();

    // Without a folder for the extractor, snapshots are off.
    p.run(0, &["--json", "r.json"], &[]);
    assert_eq!(p.states("r.json"), every("none"));
    assert!(p.names().is_empty());
    assert!(p.json("r.json").get("snapshot_update").is_none());

    // --update new starts them: every article is new, written as pending,
    // and the run fails until they are accepted.
    let out = p.run(1, &["--update", "new", "--json", "r.json"], &[]);
    assert_eq!(p.states("r.json"), every("new"));
    assert_eq!(p.json("r.json")["snapshot_update"], "new");
    assert!(
        out.stdout.contains(&format!(
            "  v: {ARTICLES} new\n    new      bbc-libya-us-talks\n"
        )),
        "{}",
        out.all()
    );
    assert!(
        out.stdout.contains(&format!(
            "{ARTICLES} snapshot(s) not accepted, written as .snap.new\n  review them with `quotecheck review`"
        )),
        "{}",
        out.all()
    );
    let names = p.names();
    assert_eq!(names.len(), ARTICLES);
    assert!(names.iter().all(|n| n.ends_with(".snap.new")), "{names:?}");
    assert!(names.contains(&"v/world/lyon-musee-greve.snap.new".to_string()));

    // pending lists them; accept --all accepts them.
    let out = p.expect(0, &["pending"], &[]);
    assert!(
        out.stdout.contains("v  world/saginoura-bus      new      "),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains(&format!("{ARTICLES} pending snapshot(s)")));
    let out = p.expect(0, &["accept", "--all"], &[]);
    assert!(out
        .stdout
        .contains(&format!("{ARTICLES} snapshot(s) accepted")));
    let accepted = p.files();
    assert!(
        accepted.keys().all(|n| n.ends_with(".snap")),
        "{accepted:?}"
    );

    // Accepted: the run passes, imperfect as the replay is, on CI too.
    let out = p.run(0, &["--json", "r.json"], &[]);
    assert_eq!(p.states("r.json"), every("unchanged"));
    assert!(out.stdout.contains(&format!("  v: {ARTICLES} unchanged\n")));
    p.run(0, &[], &[("CI", "true")]);
    assert_eq!(p.files(), accepted);

    // One changed prediction: that article is changed, its new rendering
    // pending, and the diff names the quote and shows the speakers.
    p.edit_replay(CHANGED, change_a_speaker);
    let out = p.run(1, &["--json", "r.json"], &[]);
    let mut expected = every("unchanged");
    expected.insert(CHANGED.into(), "changed".into());
    assert_eq!(p.states("r.json"), expected);
    let diff_head = format!(
        "--- snapshots/v/{CHANGED}.snap (accepted)\n+++ snapshots/v/{CHANGED}.snap.new (pending)\n@@ "
    );
    assert!(out.stdout.contains(&diff_head), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("-  speaker  \"Somebody Else\"\n+  speaker  \"the harbour master\"\n"),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("    changed  harbour-bridge-closure  +1 -1 lines  "));
    let mut now = accepted.clone();
    let pending = format!("v/{CHANGED}.snap.new");
    now.insert(pending.clone(), p.files()[&pending].clone());
    assert_eq!(p.files(), now, "only the pending file is new");

    // pending --diff prints the same diff without asking.
    let out = p.expect(0, &["pending", "--diff"], &[]);
    assert!(out
        .stdout
        .starts_with(&format!("v  {CHANGED}  changed  +1 -1 lines  ")));
    assert!(out.stdout.contains(&format!("v · {CHANGED} · changed · ")));
    assert!(out.stdout.contains(&diff_head));
    assert!(out.stdout.contains("+  speaker  \"the harbour master\"\n"));

    // Under CI nothing is written and the run fails, naming the command
    // to run locally; JUnit fails the article with the diff.
    let before = p.files();
    let out = p.run(1, &["--junit", "junit.xml"], &[("CI", "true")]);
    assert_eq!(p.files(), before, "CI wrote nothing");
    assert!(
        out.stdout
            .contains("1 snapshot(s) not accepted (CI is set, so nothing was written)\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "  run `quotecheck run --corpus {} --replay v=v.jsonl --worst 0 --diffs none --no-cache --junit junit.xml` locally, review with `quotecheck review`, and commit snapshots/\n",
            p.corpus
        )),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains(&format!("+++ v on {CHANGED} (this run, not written)\n")));
    let junit = std::fs::read_to_string(p.dir.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let failing: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failing.len(), 1, "{junit}");
    assert_eq!(failing[0].attribute("type"), Some("snapshot"));
    assert_eq!(
        failing[0].parent().unwrap().attribute("name"),
        Some(CHANGED)
    );
    let text = failing[0].text().unwrap();
    assert!(
        text.contains("+  speaker  \"the harbour master\""),
        "{text}"
    );

    // QUOTECHECK_UPDATE=no writes nothing either, locally.
    p.run(1, &[], &[("QUOTECHECK_UPDATE", "no")]);
    assert_eq!(p.files(), before);

    // Reject: the pending file goes, the accepted one stays.
    let out = p.expect(0, &["reject", CHANGED], &[]);
    assert!(out.stdout.contains("1 snapshot(s) rejected"));
    assert_eq!(p.files(), accepted);
    let out = p.expect(2, &["reject", CHANGED], &[]);
    assert!(out
        .stderr
        .contains("no pending snapshot for \"harbour-bridge-closure\""));

    // Run again and accept that one article by id: the run passes.
    p.run(1, &[], &[]);
    p.expect(0, &["accept", CHANGED], &[]);
    assert!(p.names().iter().all(|n| n.ends_with(".snap")));
    assert_ne!(p.files(), accepted);
    p.run(0, &[], &[("CI", "1")]);

    // Back to the old output: changed again, and an unchanged article's
    // stale pending file is removed by the next local run.
    p.dir.write("v.jsonl", replay_of_corpus());
    p.run(1, &[], &[]);
    p.run(1, &["--articles", "harbour-*"], &[]);
    p.expect(0, &["accept", "--all"], &[]);
    assert_eq!(p.files(), accepted);
}

#[test]
fn update_always_writes_accepted_snapshots_directly() {
    let p = Project::new();
    let out = p.run(0, &["--update", "always", "--json", "r.json"], &[]);
    assert!(out.stdout.contains(&format!(
        "wrote {ARTICLES} snapshot(s) as accepted (update always)"
    )));
    assert_eq!(p.states("r.json"), every("new"));
    assert_eq!(p.json("r.json")["snapshot_update"], "always");
    assert!(p.names().iter().all(|n| n.ends_with(".snap")));
    assert_eq!(p.names().len(), ARTICLES);

    // The environment variable, even on CI: an explicit request.
    p.edit_replay(CHANGED, change_a_speaker);
    p.run(0, &[], &[("CI", "true"), ("QUOTECHECK_UPDATE", "always")]);
    p.run(0, &["--json", "r.json"], &[("CI", "true")]);
    assert_eq!(p.states("r.json"), every("unchanged"));

    // A bad policy is bad input.
    let out = p.run(2, &[], &[("QUOTECHECK_UPDATE", "sometimes")]);
    assert!(out
        .stderr
        .contains("QUOTECHECK_UPDATE: \"sometimes\" is not an update policy"));
    let out = p.run(2, &["--update", "maybe"], &[]);
    assert!(
        out.stderr.contains("is not an update policy"),
        "{}",
        out.all()
    );
    // --no-snapshots turns them off.
    p.edit_replay(CHANGED, |v| v["quotes"] = json!([]));
    p.run(
        0,
        &["--no-snapshots", "--json", "r.json"],
        &[("CI", "true")],
    );
    assert_eq!(p.states("r.json"), every("none"));
    p.run(1, &[], &[("CI", "true")]);
}

#[test]
fn a_run_under_another_scheme_does_not_compare() {
    let p = Project::new();
    p.run(0, &["--update", "always"], &[]);
    let accepted = p.files();
    let out = p.run(
        0,
        &["--scheme", "exact", "--json", "r.json"],
        &[("CI", "true")],
    );
    assert_eq!(p.states("r.json"), every("none"));
    assert!(
        out.stdout.contains(&format!(
            "    note: {ARTICLES} snapshot(s) were made under scheme overlap:0.5, not this run's: not compared (`--update always` remakes them)\n"
        )),
        "{}",
        out.stdout
    );
    p.run(0, &["--scheme", "exact"], &[]);
    assert_eq!(p.files(), accepted, "nothing written");
    // The header says which scheme.
    let snap = &accepted[&format!("v/{CHANGED}.snap")];
    assert!(snap.contains("\n  scheme: \"overlap:0.5\"\n"), "{snap}");
    // `always` remakes them under the new scheme.
    p.run(0, &["--scheme", "exact", "--update", "always"], &[]);
    p.run(
        0,
        &["--scheme", "exact", "--json", "r.json"],
        &[("CI", "true")],
    );
    assert!(p.states("r.json").values().all(|s| s != "none"));
    assert!(p.files()[&format!("v/{CHANGED}.snap")].contains("\n  scheme: exact\n"));
}

#[test]
fn unreferenced_snapshots_are_reported_and_deleted_on_full_runs_only() {
    let dir = Dir::new();
    for id in [
        "bbc-libya-us-talks",
        "harbour-bridge-closure",
        "kestrel-bank-rates",
    ] {
        for ext in ["txt", "json"] {
            let name = format!("{id}.{ext}");
            dir.write(
                &format!("corpus/{name}"),
                std::fs::read(repo().join("corpus").join(&name)).unwrap(),
            );
        }
    }
    dir.write("v.jsonl", replay_of_corpus());
    dir.write("quotecheck.toml", "[extractors.v]\nreplay = \"v.jsonl\"\n");
    let p = Project {
        dir,
        corpus: "corpus".into(),
    };
    let run = |code: i32, extra: &[&str]| {
        let mut args = vec!["run", "--worst", "0", "--diffs", "none"];
        args.extend_from_slice(extra);
        p.expect(code, &args, &[])
    };
    run(0, &["--update", "always"]);
    assert_eq!(p.names().len(), 3);
    // Nothing is unreferenced yet.
    let out = run(0, &[]);
    assert!(!out.stdout.contains("unreferenced"), "{}", out.stdout);

    // An article leaves the corpus; an extractor leaves the configuration.
    std::fs::remove_file(p.dir.join("corpus/kestrel-bank-rates.txt")).unwrap();
    std::fs::remove_file(p.dir.join("corpus/kestrel-bank-rates.json")).unwrap();
    p.dir.write("snapshots/old/x.snap", "---\n---\n");
    p.dir.write("snapshots/old/world/y.snap.new", "---\n---\n");
    let out = run(0, &[]);
    assert!(
        out.stdout.contains(
            "3 unreferenced snapshot file(s) (their article or extractor is gone):\n  snapshots/v/kestrel-bank-rates.snap\n  snapshots/old/ (2 file(s); no configured extractor is named old)\n  delete them with `quotecheck run --unreferenced delete` (on a full run)\n"
        ),
        "{}",
        out.stdout
    );
    // Not on a filtered run: nothing is said, nothing deleted.
    let before = p.files();
    let out = run(0, &["--articles", "bbc-*", "--unreferenced", "delete"]);
    assert!(!out.stdout.contains("unreferenced"), "{}", out.stdout);
    assert!(
        out.stderr.contains("deletes nothing on a filtered run"),
        "{}",
        out.stderr
    );
    assert_eq!(p.files(), before);
    // Other extractors' folders are judged only when the run ran the
    // configured set.
    let out = run(0, &["--extractor", "v", "--replay", "w=v.jsonl"]);
    assert!(out
        .stdout
        .contains("  snapshots/v/kestrel-bank-rates.snap\n"));
    assert!(!out.stdout.contains("snapshots/old/"), "{}", out.stdout);
    // --unreferenced ignore says nothing.
    let out = run(0, &["--unreferenced", "ignore"]);
    assert!(!out.stdout.contains("unreferenced"), "{}", out.stdout);
    // A full run deletes them.
    let out = run(0, &["--unreferenced", "delete"]);
    assert!(
        out.stdout.contains(
            "deleted 3 unreferenced snapshot file(s) (their article or extractor is gone):\n"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(
        p.names(),
        ["v/bbc-libya-us-talks.snap", "v/harbour-bridge-closure.snap"]
    );
    assert!(!p.dir.join("snapshots/old").exists());
}

/// A run killed while it writes a snapshot (here by the file size limit,
/// which kills it with SIGXFSZ in the middle of writing the temporary
/// file) leaves the accepted snapshot as it was.
#[cfg(unix)]
#[test]
fn an_interrupted_write_leaves_the_old_snapshot() {
    let p = Project::new();
    // Accept an empty rendering: a small file.
    p.edit_replay(CHANGED, |v| v["quotes"] = json!([]));
    p.run(0, &["--update", "always", "--articles", CHANGED], &[]);
    let old = p.files();
    let path = format!("v/{CHANGED}.snap");
    assert!(old[&path].len() < 1024, "{}", old[&path]);

    // The real rendering is several kilobytes; files may grow to 2 KiB.
    p.dir.write("v.jsonl", replay_of_corpus());
    let script = format!(
        "ulimit -f 4; exec \"$0\" run --corpus '{}' --replay v=v.jsonl --no-cache --articles {CHANGED} --update always",
        p.corpus
    );
    let status = Command::new("sh")
        .current_dir(p.dir.path())
        .env_clear()
        .args(["-c", &script, bin::BIN])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the write was cut off");
    assert_eq!(p.files()[&path], old[&path], "the old snapshot is intact");
    // What is left is a hidden temporary file, which nothing reads, and
    // the unlocked lock file, which the next command takes over.
    let leftovers: Vec<String> = p.names().into_iter().filter(|n| n != &path).collect();
    assert!(
        leftovers
            .iter()
            .all(|n| n.starts_with("v/.tmp-") || n == ".lock"),
        "{leftovers:?}"
    );
    let out = p.expect(0, &["pending"], &[]);
    assert!(out.stdout.starts_with("no pending snapshots"));
    // `pending` names what the killed run left.
    assert!(
        out.stdout
            .contains("1 temporary file(s) left by an interrupted write"),
        "{}",
        out.stdout
    );

    // Without the limit the same run completes.
    p.run(0, &["--update", "always", "--articles", CHANGED], &[]);
    assert!(p.files()[&path].len() > 2048);
    assert!(!p.dir.join("snapshots/.lock").exists());
    // It removed the temporary file the killed run left in that folder.
    let names = p.names();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
}

#[test]
fn a_run_waits_for_the_lock_of_its_snapshot_folder() {
    let p = Project::new();
    let store = quotecheck::snapshot::store::Store::new(p.dir.join("snapshots"));
    let lock = store.lock(&mut |_| panic!("nobody holds it")).unwrap();
    assert!(p.dir.join("snapshots/.lock").exists());

    let mut child = p
        .command(
            &[
                "run",
                "--corpus",
                &p.corpus,
                "--replay",
                "v=v.jsonl",
                "--update",
                "new",
            ],
            &[],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(1500) {
        assert!(child.try_wait().unwrap().is_none(), "the run did not wait");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(p.names().iter().all(|n| n == ".lock"), "{:?}", p.names());
    drop(lock);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("waiting for another quotecheck run using snapshots/ to finish"),
        "{stderr}"
    );
    assert_eq!(p.names().len(), ARTICLES);
    assert!(
        !p.dir.join("snapshots/.lock").exists(),
        "released and removed"
    );
}

#[test]
fn concurrent_runs_on_one_folder_do_not_corrupt_it() {
    let p = Project::new();
    p.run(0, &["--update", "always"], &[]);
    let accepted = p.files();
    p.edit_replay(CHANGED, change_a_speaker);
    // Two writers and a reviewer at once, three times over.
    for _ in 0..3 {
        let spawn = |extra: &[&str]| {
            let mut args = vec![
                "run",
                "--corpus",
                &p.corpus,
                "--replay",
                "v=v.jsonl",
                "--no-cache",
                "--jobs",
                "1",
            ];
            args.extend_from_slice(extra);
            p.command(&args, &[])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        };
        let runs = [spawn(&["--update", "new"]), spawn(&["--update", "new"])];
        let review = p.exec(&["reject", "--all"], &[], "");
        assert_eq!(review.code, 0, "{}", review.all());
        for mut r in runs {
            assert_eq!(r.wait().unwrap().code(), Some(1));
        }
        // The reviewer ran before, between or after the writers: the
        // pending file may or may not be there; everything else is as
        // accepted, and every file is whole.
        let mut files = p.files();
        if let Some(text) = files.remove(&format!("v/{CHANGED}.snap.new")) {
            let parsed = quotecheck::snapshot::store::SnapshotFile::parse(&text).unwrap();
            assert!(parsed.body.contains("\"the harbour master\""), "{text}");
        }
        assert_eq!(files, accepted);
    }
}

#[test]
fn review_takes_scripted_answers() {
    let p = Project::new();
    p.run(1, &["--update", "new", "--articles", "world/*"], &[]);
    let out = p.exec(&["review"], &[], "a\nr\nx\ns\n");
    assert_eq!(out.code, 0, "{}", out.all());
    let o = &out.stdout;
    for expected in [
        "[1/3] v · world/bremen-hansewerft · new\n--- snapshots/v/world/bremen-hansewerft.snap (none accepted)\n+++ snapshots/v/world/bremen-hansewerft.snap.new (pending)\n@@ -0,0 +1,",
        "accept (a), reject (r), skip (s), accept all remaining (A) or quit (q)? a\naccepted\n",
        "[2/3] v · world/lyon-musee-greve · new\n",
        "? r\nrejected\n",
        "[3/3] v · world/saginoura-bus · new\n",
        "? x\n\"x\": answer a, r, s, A or q\naccept (a), reject (r), skip (s), accept all remaining (A) or quit (q)? s\nskipped\n",
        "review: 1 accepted, 1 rejected, 1 skipped\n1 snapshot(s) still pending: `quotecheck pending` lists them\n",
    ] {
        assert!(o.contains(expected), "missing {expected:?} in\n{o}");
    }
    assert_eq!(
        p.names(),
        [
            "v/world/bremen-hansewerft.snap",
            "v/world/saginoura-bus.snap.new"
        ]
    );
    // The end of the input skips the rest.
    let out = p.exec(&["review"], &[], "");
    assert!(out
        .stdout
        .contains("(end of input: the rest are skipped)\n"));
    assert!(out
        .stdout
        .contains("review: 0 accepted, 0 rejected, 1 skipped\n"));
    let out = p.exec(&["review", "--extractor", "other"], &[], "");
    assert!(out.stdout.starts_with("no pending snapshots in snapshots/"));
    let out = p.exec(&["review"], &[], "q\n");
    assert!(out
        .stdout
        .contains("review: 0 accepted, 0 rejected, 1 skipped\n"));
}

/// The interactive review on a real terminal: `script` gives it a
/// pseudo-terminal and types the answers, one key each, without Enter.
#[cfg(unix)]
#[test]
fn review_on_a_pseudo_terminal() {
    if !util::need::script() {
        return;
    }
    let p = Project::new();
    p.run(1, &["--update", "new", "--articles", "world/*"], &[]);
    let mut child = Command::new("script")
        .current_dir(p.dir.path())
        .env_clear()
        .env("TERM", "dumb")
        .args([
            "-q",
            "-e",
            "-c",
            &format!("{} review", bin::BIN),
            "/dev/null",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for answer in ["a", "r", "q"] {
        std::thread::sleep(Duration::from_millis(300));
        std::io::Write::write_all(&mut stdin, answer.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("review: 1 accepted, 1 rejected, 1 skipped"),
        "{stdout}"
    );
    // One key answered, with no Enter after it.
    assert!(stdout.contains("or quit (q)? a\naccepted\n"), "{stdout}");
    // On a terminal, diffs are coloured.
    assert!(
        stdout.contains("\u{1b}[1m--- snapshots/v/world/bremen-hansewerft.snap"),
        "{stdout}"
    );
    assert_eq!(
        p.names(),
        [
            "v/world/bremen-hansewerft.snap",
            "v/world/saginoura-bus.snap.new"
        ]
    );
}

#[test]
fn snap_files_are_read_back_by_insta() {
    let p = Project::new();
    p.run(1, &["--update", "new", "--articles", "bbc-*"], &[]);
    let pending = p.dir.join("snapshots/v/bbc-libya-us-talks.snap.new");
    let snap = insta::Snapshot::from_file(&pending).unwrap();
    assert_eq!(
        snap.metadata().expression(),
        Some("v on bbc-libya-us-talks")
    );
    assert_eq!(snap.metadata().source(), Some("quotecheck run"));
    p.expect(0, &["accept", "--all"], &[]);
    let path = p.dir.join("snapshots/v/bbc-libya-us-talks.snap");
    let snap = insta::Snapshot::from_file(&path).unwrap();
    let ours =
        quotecheck::snapshot::store::SnapshotFile::parse(&std::fs::read_to_string(&path).unwrap())
            .unwrap();
    let text = snap.contents().as_text().unwrap().to_string();
    assert_eq!(text, ours.body.trim_end());
    assert!(text.starts_with("p@"), "{text}");
    assert_eq!(snap.snapshot_name(), Some("bbc-libya-us-talks"));
    // insta's comparison agrees: the same rendering matches.
    let again = insta::Snapshot::from_file(&path).unwrap();
    assert!(snap
        .contents()
        .as_text()
        .unwrap()
        .matches_latest(again.contents().as_text().unwrap()));
}

#[test]
fn merged_shards_keep_the_snapshot_states_and_gate() {
    let p = Project::new();
    p.run(0, &["--update", "always"], &[]);
    p.edit_replay(CHANGED, change_a_speaker);
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let file = format!("part-{k}.json");
        let out = p.exec(
            &[
                "run",
                "--corpus",
                &p.corpus,
                "--replay",
                "v=v.jsonl",
                "--shard",
                &shard,
                "--json",
                &file,
            ],
            &[("CI", "true")],
            "",
        );
        assert!(out.code == 0 || out.code == 1, "{}", out.all());
    }
    let out = p.expect(
        1,
        &["merge", "part-1.json", "part-2.json", "--json", "r.json"],
        &[("CI", "true")],
    );
    let mut expected = every("unchanged");
    expected.insert(CHANGED.into(), "changed".into());
    assert_eq!(p.states("r.json"), expected);
    assert!(
        out.stdout
            .contains("1 snapshot(s) not accepted (CI is set, so nothing was written)"),
        "{}",
        out.stdout
    );
}

/// Dogfooding: every built-in extractor has accepted snapshots of the
/// project corpus in `snapshots/<name>/`, and `cargo test` fails when its
/// output changes without an accepted snapshot.
#[test]
fn builtin_extractors_match_their_accepted_snapshots() {
    for name in quotecheck::extract::BUILTINS {
        let folder = repo().join("snapshots").join(name);
        assert!(
            folder.is_dir(),
            "{} is missing: run `quotecheck run --extractor {name} --no-cache --update new` and review",
            folder.display()
        );
        let out = bin::quotecheck(&repo())
            .env("CI", "true")
            .args(["run", "--extractor", name, "--no-cache", "--json", "-"])
            .args(["--diffs", "none", "--color", "never"])
            .output()
            .0;
        assert!(
            out.status.success(),
            "the output of {name} changed without an accepted snapshot:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        for a in report["extractors"][0]["articles"].as_array().unwrap() {
            assert_eq!(a["snapshot"], "unchanged", "{name} on {}", a["id"]);
        }
    }
}

/// One `$ …` line of a session and the output the page shows for it.
struct Step {
    command: String,
    expected: String,
}

/// The sessions of a page: ```text blocks whose first line is `$ …`.
fn sessions(page: &str) -> Vec<(std::ops::Range<usize>, Vec<Step>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = page[at..].find("```text\n").map(|i| at + i + 8) {
        let close = open + page[open..].find("```").unwrap();
        at = close + 3;
        let block = &page[open..close];
        if !block.starts_with("$ ") {
            continue;
        }
        let mut steps: Vec<Step> = Vec::new();
        for line in block.split_inclusive('\n') {
            match line.strip_prefix("$ ") {
                Some(command) => steps.push(Step {
                    command: command.trim_end().to_string(),
                    expected: String::new(),
                }),
                None => steps.last_mut().unwrap().expected.push_str(line),
            }
        }
        out.push((open..close, steps));
    }
    out
}

/// The sessions of docs/snapshots.md are real: they are run in order in a
/// project folder set up as the page describes, and each command must
/// print exactly what the page shows. `review` gets the answers the page
/// shows. Set QUOTECHECK_BLESS_DOCS=1 to rewrite the page's outputs after
/// a deliberate change (then read the diff).
#[test]
fn docs_snapshots_page_sessions_are_real() {
    let path = repo().join("docs/snapshots.md");
    let page = std::fs::read_to_string(&path).unwrap();
    let dir = Dir::new();
    copy_tree(&repo().join("corpus"), &dir.join("corpus"));
    copy_tree(
        &repo().join("docs/examples/snapshots"),
        &dir.join("docs/examples/snapshots"),
    );
    let toml_at = page.find("```toml\n").unwrap() + 8;
    let toml = &page[toml_at..toml_at + page[toml_at..].find("```").unwrap()];
    dir.write("quotecheck.toml", toml);

    let found = sessions(&page);
    assert!(found.len() >= 5, "the page has its sessions");
    let mut mismatches = Vec::new();
    let mut blocks = Vec::new();
    for (range, steps) in &found {
        let mut block = String::new();
        for step in steps {
            let mut words = step.command.split_whitespace().peekable();
            let mut env = vec![("NO_COLOR".to_string(), "1".to_string())];
            while let Some((k, v)) = words.peek().and_then(|w| w.split_once('=')) {
                env.push((k.to_string(), v.to_string()));
                words.next();
            }
            let program = words.next().unwrap();
            let args: Vec<&str> = words.collect();
            let actual = match program {
                "cp" => {
                    let target = dir.join(args[1]);
                    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                    std::fs::copy(dir.join(args[0]), target).unwrap();
                    String::new()
                }
                "quotecheck" => {
                    let answers: String = step
                        .expected
                        .lines()
                        .filter_map(|l| l.split_once(" or quit (q)? ").map(|(_, a)| a))
                        .map(|a| format!("{a}\n"))
                        .collect();
                    bin::quotecheck(dir.path())
                        .envs(env.iter().map(|(k, v)| (k, v)))
                        .args(&args)
                        .stdin(answers)
                        .output()
                        .stdout()
                }
                other => panic!("the page runs {other:?}, which this test cannot"),
            };
            if actual != step.expected {
                mismatches.push(format!(
                    "`{}` printed:\n{actual}\nthe page shows:\n{}",
                    step.command, step.expected
                ));
            }
            block.push_str(&format!("$ {}\n{actual}", step.command));
        }
        blocks.push((range.clone(), block));
    }
    // The snapshot file the page shows is the start of the real one.
    let shown_at = page.find("```text\n---\nsource: quotecheck run").unwrap() + 8;
    let shown = &page[shown_at..shown_at + page[shown_at..].find("…\n").unwrap()];
    let real = std::fs::read_to_string(dir.join("snapshots/mine/chef-nunez-apology.snap")).unwrap();
    assert!(
        real.starts_with(shown),
        "the page shows\n{shown}\nthe file is\n{real}"
    );
    if std::env::var_os("QUOTECHECK_BLESS_DOCS").is_some() {
        let mut blessed = page.clone();
        // Back to front, so that the ranges stay valid.
        for (range, block) in blocks.into_iter().rev() {
            blessed.replace_range(range, &block);
        }
        std::fs::write(&path, blessed).unwrap();
    } else {
        assert!(
            mismatches.is_empty(),
            "docs/snapshots.md is stale (QUOTECHECK_BLESS_DOCS=1 rewrites it):\n{}",
            mismatches.join("\n")
        );
    }
}

#[test]
fn a_damaged_snapshot_is_reported_and_replaced_only_by_accepting() {
    let p = Project::new();
    p.run(0, &["--update", "always", "--snapshots", "snaps"], &[]);
    let path = p.dir.join(&format!("snaps/v/{CHANGED}.snap"));
    std::fs::write(&path, "not a snapshot\n").unwrap();
    let out = p.run(2, &["--snapshots", "snaps", "--json", "r.json"], &[]);
    assert!(
        out.stdout.contains(&format!(
            "error: snaps/v/{CHANGED}.snap cannot be read (it does not start with a `---` header): accept its pending snapshot, or rewrite it with --update always\n"
        )),
        "{}",
        out.all()
    );
    assert_eq!(p.states("r.json")[CHANGED], "changed");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a snapshot\n");
    // --extractor narrows the commands; another name finds nothing.
    let out = p.expect(
        2,
        &["accept", CHANGED, "--snapshots", "snaps", "-e", "w"],
        &[],
    );
    assert!(out.stderr.contains("no pending snapshot"), "{}", out.all());
    let out = p.expect(0, &["pending", "--snapshots", "snaps", "-e", "v"], &[]);
    assert!(
        out.stdout.starts_with(&format!("v  {CHANGED}  changed")),
        "{}",
        out.stdout
    );
    p.expect(
        0,
        &["accept", CHANGED, "--snapshots", "snaps", "-e", "v"],
        &[],
    );
    p.run(0, &["--snapshots", "snaps"], &[("CI", "true")]);
    // A bad extractor name is refused before anything is read.
    let out = p.expect(2, &["pending", "-e", "../x"], &[]);
    assert!(
        out.stderr.contains("extractor name \"../x\""),
        "{}",
        out.all()
    );
}

/// `quotecheck::testing` asserts through insta the very files `quotecheck
/// run` writes: snapshots accepted with the command line pass, and a
/// change fails the test naming the article.
#[cfg(feature = "testing")]
#[test]
fn rust_tests_assert_the_snapshots_the_command_line_accepted() {
    use quotecheck::extract::Replay;
    use quotecheck::testing::{assert_min_f1, CorpusCheck};

    let p = Project::new();
    p.run(0, &["--update", "always"], &[]);
    let root = p.dir.join("snapshots");
    let replay = Replay::open("v", p.dir.join("v.jsonl")).unwrap();
    let result = CorpusCheck::new(&replay, &p.corpus)
        .snapshots(&root)
        .min_f1(0.5)
        .assert();
    assert_min_f1(&result, 0.5);
    let low = std::panic::catch_unwind(|| assert_min_f1(&result, 0.9)).unwrap_err();
    let message = low.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("v: end-to-end F1 0.528 is below the minimum 0.900"),
        "{message}"
    );

    // insta accepts anything when asked to; then there is nothing to see.
    let accepting = std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always" || v == "unseen")
        || std::env::var_os("INSTA_FORCE_PASS").is_some();
    if accepting {
        util::need::unavailable(
            "insta to compare snapshots, which INSTA_UPDATE=always/unseen or INSTA_FORCE_PASS \
             turns off (the rest of the test, changed snapshots failing, is not run)",
        );
        return;
    }
    p.edit_replay(CHANGED, change_a_speaker);
    let replay = Replay::open("v", p.dir.join("v.jsonl")).unwrap();
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        CorpusCheck::new(&replay, &p.corpus)
            .snapshots(&root)
            .assert();
    }))
    .unwrap_err();
    let message = failed.downcast_ref::<String>().unwrap();
    assert!(
        message.contains(&format!(
            "1 of {ARTICLES} article(s) of v differ from their accepted snapshots in {}/v/: {CHANGED}\n",
            root.display()
        )),
        "{message}"
    );
    // And under another scheme it refuses to compare.
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        CorpusCheck::new(&replay, &p.corpus)
            .snapshots(&root)
            .articles("bbc-*")
            .scheme(quotecheck::align::Scheme::Exact)
            .assert();
    }))
    .unwrap_err();
    let message = failed.downcast_ref::<String>().unwrap();
    assert_eq!(
        message,
        "the snapshot of bbc-libya-us-talks was made under scheme overlap:0.5, this check uses exact"
    );
}

/// An error the extractor reports for an article is kept in the article's
/// snapshot like any output: once accepted, the same error passes (exit 0,
/// listed as accepted, a passing JUnit case); a different error, or output
/// where the error was, is a change that fails the run.
#[test]
fn an_accepted_error_passes_and_a_changed_one_fails() {
    let p = Project::new();
    let original = replay_of_corpus();
    let with_error = |message: &str| -> String {
        let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
        let id = serde_json::from_str::<Value>(&lines[0]).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        lines[0] = json!({"id": id, "error": message}).to_string();
        lines.join("\n") + "\n"
    };
    let first = "bbc-libya-us-talks";
    p.dir
        .write("v.jsonl", with_error("3 quotation marks found"));
    p.run(1, &["--update", "new"], &[]);
    p.expect(0, &["accept", "--all"], &[]);
    let accepted = &p.files()[&format!("v/{first}.snap")];
    assert!(
        accepted.ends_with("---\nfailed · error\n  3 quotation marks found\n"),
        "{accepted}"
    );

    let out = p.run(
        0,
        &["--json", "r.json", "--junit", "j.xml"],
        &[("CI", "true")],
    );
    assert!(
        out.stdout.contains(&format!(
            "failed as accepted (does not fail the run): {first}"
        )),
        "{}",
        out.all()
    );
    let report = p.json("r.json");
    let article = &report["extractors"][0]["articles"][0];
    assert_eq!(article["id"], first);
    assert_eq!(article["error"], "3 quotation marks found");
    assert_eq!(article["snapshot"], "unchanged");
    let junit = std::fs::read_to_string(p.dir.join("j.xml")).unwrap();
    let case = &junit[junit.find(&format!("name=\"{first}\"")).unwrap()..];
    let case = &case[..case.find("</testcase>").unwrap()];
    assert!(!case.contains("<failure"), "{case}");
    assert!(
        case.contains("failed as its accepted snapshot says"),
        "{case}"
    );
    // quotecheck::testing agrees: the accepted error passes.
    #[cfg(feature = "testing")]
    {
        let replay = quotecheck::extract::Replay::open("v", p.dir.join("v.jsonl")).unwrap();
        quotecheck::testing::CorpusCheck::new(&replay, &p.corpus)
            .snapshots(p.dir.join("snapshots"))
            .assert();
    }

    // Another error is a change, with a diff.
    p.dir
        .write("v.jsonl", with_error("5 quotation marks found"));
    let out = p.run(1, &["--snapshot-diffs", "all"], &[("CI", "true")]);
    assert!(
        out.stdout.contains("-  3 quotation marks found")
            && out.stdout.contains("+  5 quotation marks found"),
        "{}",
        out.all()
    );
    // So is output where the error was.
    p.dir.write("v.jsonl", &original);
    let out = p.run(1, &["--json", "r.json"], &[("CI", "true")]);
    assert_eq!(p.states("r.json")[first], "changed", "{}", out.all());
}
