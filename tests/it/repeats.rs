//! Repeats (`--repeat K`) through the binary, against the mock chat server
//! scripted to answer each article differently from one request to the
//! next: the stability figures worked by hand from the scripted replies,
//! the cache counted at the server, majority snapshots and their
//! `unstable` mark, `compare` pooling every repeat, and deterministic
//! extractors asked once.

use crate::util;

use serde_json::{json, Value};
use util::chat_server::{completion, ChatRequest, ChatServer, Seen};
use util::Dir;

/// A reply quoting article `id` with `speaker` (`None`: no quote at all).
fn reply(id: &str, speaker: Option<&str>) -> util::chat_server::Answer {
    let quotes = match speaker {
        Some(s) => json!([{"content": format!("We will stay in town {id},"),
                           "speaker": s, "cue": "said", "kind": "direct"}]),
        None => json!([]),
    };
    completion(&json!({ "quotes": quotes }).to_string(), 10, 2)
}

/// What the model answers on the `attempt`-th request about an article:
/// - `a`: right, nothing, the wrong speaker, then right from then on;
/// - `b`: right every time;
/// - `c`: the wrong speaker, right, right, the wrong speaker, then nothing.
///
/// So with three repeats, per repeat (r0, r1, r2), end to end:
/// `a` TP/FP/FN 1/0/0, 0/0/1, 0/1/1; `b` 1/0/0 each time; `c` 0/1/1, 1/0/0,
/// 1/0/0; and the levels of the one gold quote of `a` (end to end, missed,
/// content only) and of `c` (content only, end to end, end to end) differ
/// between repeats, those of `b` do not.
fn script(req: &Seen, attempt: usize) -> util::chat_server::Answer {
    let id = req.id();
    let right = Some("the mayor");
    let wrong = Some("the council");
    let speaker = match (id.as_str(), attempt) {
        ("a", 1) => right,
        ("a", 2) => None,
        ("a", 3) => wrong,
        ("a", _) => right,
        ("b", _) => right,
        ("c", 1 | 4) => wrong,
        ("c", 2 | 3) => right,
        ("c", _) => None,
        _ => None,
    };
    reply(&id, speaker)
}

/// The repeats' end-to-end counts (TP, FP, FN) summed over the articles,
/// as the doc of [`script`] works them out.
const PER_REPEAT: [(u64, u64, u64); 3] = [(2, 1, 1), (2, 0, 1), (2, 1, 1)];

fn f1((tp, fp, fn_): (u64, u64, u64)) -> f64 {
    2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
}

fn project(server: &ChatServer) -> Dir {
    let dir = util::corpus::town_corpus(&["a", "b", "c"], "", true);
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n\n[extractors.llm]\nchat = \"{}\"\nmodel = \"mock\"\n\
             timeout = \"2s\"\nretries = 0\njobs = 2\n",
            server.base
        ),
    );
    dir
}

fn run(dir: &Dir, args: &[&str]) -> util::bin::Output {
    util::bin::quotecheck(dir.path()).args(args).output()
}

fn close(a: &Value, b: f64) -> bool {
    (a.as_f64().unwrap() - b).abs() < 1e-9
}

fn requests(server: &ChatServer) -> [usize; 3] {
    ["a", "b", "c"].map(|id| server.requests_for(id))
}

#[test]
fn repeats_are_cached_by_index_and_their_stability_is_reported() {
    let server = ChatServer::start(script);
    let dir = project(&server);
    let report = ["--json", "report.json", "--no-snapshots"];

    // An ordinary run asks once per article …
    let out = run(&dir, &[&["run"][..], &report].concat());
    assert_eq!(requests(&server), [1, 1, 1], "{}", out.lossy());
    assert!(dir.json("report.json")["extractors"][0]
        .get("stability")
        .is_none());

    // … after which --repeat 3 asks each article exactly twice more:
    // repeat 0 is the ordinary run's cache entry.
    server.clear();
    let out = run(&dir, &[&["run", "--repeat", "3"][..], &report].concat());
    assert_eq!(requests(&server), [2, 2, 2], "{}", out.lossy());
    let json = dir.json("report.json");
    let e = &json["extractors"][0];
    let s = &e["stability"];
    assert_eq!(s["repeats"], 3, "{s:#}");
    assert_eq!(s["deterministic"], false);
    // The gold quotes of a and c flip, b's does not.
    assert_eq!(
        (s["flipped"].as_u64(), s["quotes"].as_u64()),
        (Some(2), Some(3))
    );
    assert!(close(&s["flip_rate"], 2.0 / 3.0));
    let f1s = PER_REPEAT.map(f1);
    let mean = f1s.iter().sum::<f64>() / 3.0;
    let sd = (f1s.iter().map(|f| (f - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    assert!(close(&s["f1_mean"], mean), "{s:#} vs {mean}");
    assert!(close(&s["f1_sd"], sd), "{s:#} vs {sd}");
    let (lo, hi) = (
        s["ci_low"].as_f64().unwrap(),
        s["ci_high"].as_f64().unwrap(),
    );
    assert!(lo <= mean && mean <= hi && lo >= 0.0 && hi <= 1.0, "{s:#}");
    assert!(lo < hi, "articles differ, so resamples do: {s:#}");
    // The main figures stay repeat 0's.
    assert!(close(&e["micro"]["attribution"]["f1"], f1(PER_REPEAT[0])));
    assert_eq!(e["micro"]["attribution"]["tp"], 2);
    assert_eq!(e["micro"]["attribution"]["fp"], 1);
    let text = out.stdout();
    let line = format!(
        "stability over 3 repeats: end-to-end F1 {mean:.3} ± {sd:.3} (95% interval {lo:.3}–{hi:.3}), flip rate 0.667 (2/3 gold quotes); figures below are repeat 0's"
    );
    assert!(text.contains(&line), "no {line:?} in\n{text}");

    // Everything is cached now; a fourth repeat asks once more each.
    server.clear();
    run(&dir, &[&["run", "--repeat", "3"][..], &report].concat());
    assert_eq!(requests(&server), [0, 0, 0]);
    assert_eq!(dir.json("report.json")["extractors"][0]["stability"], *s);
    // Stability does not merge: merge refuses the report rather than
    // writing one without it.
    let merged = run(&dir, &["merge", "report.json", "--json", "merged.json"]);
    assert_eq!(merged.code(), Some(2), "{}", merged.lossy());
    assert!(
        merged
            .stderr()
            .contains("report.json has the stability over repeats of llm (run with --repeat)"),
        "{}",
        merged.lossy()
    );
    assert!(!dir.join("merged.json").exists());
    run(&dir, &[&["run", "--repeat", "4"][..], &report].concat());
    assert_eq!(requests(&server), [1, 1, 1]);
}

/// The snapshot of `article` (accepted or, with `.new`, pending).
fn snapshot(dir: &Dir, name: &str) -> String {
    std::fs::read_to_string(dir.join(&format!("snapshots/llm/{name}")))
        .unwrap_or_else(|e| panic!("{name}: {e}\n{}", dir.listing()))
}

#[test]
fn snapshots_keep_the_majority_and_fail_only_beyond_the_instability_seen() {
    let server = ChatServer::start(script);
    let dir = project(&server);
    let quiet = ["--worst", "0", "--update", "new"];

    // Snapshots start from an ordinary run (attempt 1 of each article).
    run(&dir, &[&["run"][..], &quiet].concat());
    dir.run(&["accept", "--all"]);
    let accepted_a = snapshot(&dir, "a.snap");
    assert!(!accepted_a.contains("unstable"), "{accepted_a}");

    // Three repeats: a's renderings all differ, so repeat 0's (the accepted
    // one) is kept: unchanged. c's majority (2 of 3: right) is not what
    // was accepted (repeat 0: the wrong speaker): changed, and its pending
    // snapshot says how unstable it was.
    let out = run(&dir, &[&["run", "--repeat", "3"][..], &quiet].concat());
    assert_eq!(out.code(), Some(1), "{}", out.lossy());
    let text = out.stdout();
    assert!(text.contains("llm: 2 unchanged, 1 changed"), "{text}");
    assert!(text.contains("changed  c"), "{text}");
    assert_eq!(snapshot(&dir, "a.snap"), accepted_a);
    assert!(!dir.join("snapshots/llm/a.snap.new").exists());
    let pending = snapshot(&dir, "c.snap.new");
    assert!(
        pending.contains("\n  unstable: 2 of 3 repeats; records p@text\n"),
        "{pending}"
    );
    assert!(pending.contains("speaker ✓"), "the majority: {pending}");
    assert!(pending.contains("grade: fixed"), "{pending}");

    // Accepted with its mark, it passes again on the same repeats …
    dir.run(&["accept", "--all"]);
    assert!(snapshot(&dir, "c.snap").contains("unstable: 2 of 3 repeats"));
    let out = run(&dir, &[&["run", "--repeat", "3"][..], &quiet].concat());
    assert_eq!(out.code(), Some(0), "{}", out.lossy());

    // … and on four, although the majority moves to the wrong speaker
    // (2 of 4, repeat 0's): a repeat still renders what was accepted, and
    // it was accepted as unstable. a, accepted stable, keeps its majority.
    let out = run(&dir, &[&["run", "--repeat", "4"][..], &quiet].concat());
    assert_eq!(out.code(), Some(0), "{}", out.lossy());
    assert!(out.stdout().contains("llm: 3 unchanged"), "{}", out.lossy());

    // Beyond it — c asked afresh finds nothing in any repeat — it fails.
    let out = run(
        &dir,
        &[&["run", "--repeat", "3", "--no-cache"][..], &quiet].concat(),
    );
    assert_eq!(out.code(), Some(1), "{}", out.lossy());
    let text = out.stdout();
    assert!(text.contains("llm: 2 unchanged, 1 changed"), "{text}");
    assert!(text.contains("changed  c"), "{text}");
    assert!(
        !snapshot(&dir, "c.snap.new").contains("unstable"),
        "every repeat agreed"
    );
}

#[test]
fn compare_pools_every_repeat() {
    let server = ChatServer::start(script);
    let dir = project(&server);
    let out = run(
        &dir,
        &[
            "compare",
            "--extractor",
            "llm",
            "--extractor",
            "baseline",
            "--repeat",
            "3",
            "--json",
            "cmp.json",
        ],
    );
    assert_eq!(out.code(), Some(0), "{}", out.lossy());
    assert_eq!(requests(&server), [3, 3, 3]);
    let json = dir.json("cmp.json");
    let c = &json["comparison"];
    assert_eq!(c["repeats"], 3);
    // The pooled counts of the three repeats: TP 6, FP 2, FN 3.
    let pooled = PER_REPEAT
        .iter()
        .fold((0, 0, 0), |a, r| (a.0 + r.0, a.1 + r.1, a.2 + r.2));
    assert_eq!(pooled, (6, 2, 3));
    assert!(
        close(&c["extractors"][0]["attribution"]["f1"], f1(pooled)),
        "{c:#}"
    );
    assert!(out
        .stdout()
        .contains("every figure pools 3 repeats of each article"));
    // The baseline, deterministic, was run once and counts three times:
    // its pooled F1 is its own.
    let base = run(
        &dir,
        &[
            "run",
            "--extractor",
            "baseline",
            "--json",
            "b.json",
            "--no-snapshots",
        ],
    );
    assert!(base.code().is_some_and(|c| c <= 1), "{}", base.lossy());
    assert!(close(
        &c["extractors"][1]["attribution"]["f1"],
        dir.json("b.json")["extractors"][0]["micro"]["attribution"]["f1"]
            .as_f64()
            .unwrap()
    ));
}

#[test]
fn deterministic_extractors_are_asked_once_and_say_so() {
    let server = ChatServer::start(script);
    let dir = project(&server);
    // A replay saved from the model's first answers, and the baseline.
    run(&dir, &["run", "--extractor", "llm", "--no-snapshots"]);
    for id in ["a", "b", "c"] {
        dir.write(
            &format!("saved/{id}.json"),
            json!({"quotes": [{"content": {"text": format!("We will stay in town {id},")},
                               "speaker": "the mayor", "kind": "direct"}]})
            .to_string(),
        );
    }
    let out = run(
        &dir,
        &[
            "run",
            "--replay",
            "saved",
            "--extractor",
            "baseline",
            "--repeat",
            "3",
            "--json",
            "r.json",
            "--no-snapshots",
        ],
    );
    assert!(out.code().is_some_and(|c| c <= 1), "{}", out.lossy());
    let json = dir.json("r.json");
    for e in json["extractors"].as_array().unwrap() {
        let s = &e["stability"];
        assert_eq!(s["repeats"], 1, "{e:#}");
        assert_eq!(s["deterministic"], true);
        assert_eq!(s["flip_rate"], 0.0);
        assert_eq!(s["f1_sd"], 0.0);
        assert!(close(
            &s["f1_mean"],
            e["micro"]["attribution"]["f1"].as_f64().unwrap()
        ));
    }
    let note = "deterministic: asked once per article, whatever --repeat says (repeats: 1)";
    assert_eq!(out.stdout().matches(note).count(), 2, "{}", out.lossy());
}

#[test]
fn a_failed_repeat_counts_as_finding_nothing_and_is_asked_again() {
    // `a` fails on its second request (repeat 1) and answers after.
    let server = ChatServer::start(|req, attempt| match (req.id().as_str(), attempt) {
        ("a", 2) => util::chat_server::error(500, "down"),
        (id, _) => reply(id, Some("the mayor")),
    });
    let dir = project(&server);
    let args = ["run", "--repeat", "2", "--json", "r.json", "--no-snapshots"];
    let out = run(&dir, &args);
    // Repeat 0 answered everywhere: the run itself passes.
    assert_eq!(out.code(), Some(0), "{}", out.lossy());
    let s = &dir.json("r.json")["extractors"][0]["stability"];
    assert_eq!(s["failed_repeats"], 1, "{s:#}");
    // Repeat 1 found 2 of 3 quotes (F1 0.8), repeat 0 all of them.
    assert!(close(&s["f1_mean"], 0.9), "{s:#}");
    assert_eq!(
        (s["flipped"].as_u64(), s["quotes"].as_u64()),
        (Some(1), Some(3))
    );
    assert!(
        out.stdout()
            .contains(", 1 later repeats failed (counted as finding nothing);"),
        "{}",
        out.lossy()
    );
    // The failure was not cached: only it is asked again, and answers.
    server.clear();
    run(&dir, &args);
    assert_eq!(requests(&server), [1, 0, 0]);
    let s = &dir.json("r.json")["extractors"][0]["stability"];
    assert_eq!(
        (s["failed_repeats"].as_u64(), s["flipped"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(s["f1_sd"], 0.0);
}

/// Every snapshot file under `dir`, with its bytes.
fn snapshot_files(dir: &Dir) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("snapshots")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn snapshots_of_stable_repeats_are_byte_for_byte_those_without() {
    // The project's own baseline snapshots, rewritten if anything differed.
    let dir = Dir::new();
    util::dir::copy_tree(&util::dir::repo().join("corpus"), &dir.join("corpus"));
    util::dir::copy_tree(
        &util::dir::repo().join("snapshots/baseline"),
        &dir.join("snapshots/baseline"),
    );
    let before = snapshot_files(&dir);
    let out = run(&dir, &["run", "--repeat", "3", "--update", "always"]);
    assert!(
        out.stdout().contains("baseline: 9 unchanged"),
        "{}",
        out.lossy()
    );
    assert_eq!(snapshot_files(&dir), before);

    // A model that answers the same every time: the snapshots written with
    // repeats are those written without.
    let server = ChatServer::start(|req, _| reply(&req.id(), Some("the mayor")));
    let dir = project(&server);
    run(&dir, &["run", "--update", "always"]);
    let once = snapshot_files(&dir);
    assert_eq!(once.len(), 3, "{}", dir.listing());
    std::fs::remove_dir_all(dir.join("snapshots")).unwrap();
    let out = run(&dir, &["run", "--update", "always", "--repeat", "3"]);
    assert_eq!(server.requests_for("a"), 3, "{}", out.lossy());
    assert_eq!(snapshot_files(&dir), once);
}
