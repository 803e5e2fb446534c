//! Worker processes (protocol.md): every fault of the protocol's table,
//! injected with tests/workers/faulty.py, fails exactly the articles it
//! concerns with the right status, and the rest are scored. Driven through
//! the library and through the real binary with a quotecheck.toml.

#[path = "it/util/mod.rs"]
mod util;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use quotecheck::corpus::Corpus;
use quotecheck::extract::{from_fn, Extractor, Worker};
use quotecheck::run::{run, ExtractorResult, RunSettings};
use quotecheck::score::Criterion;
use util::{need, repo, Dir};

const IDS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

/// A corpus of one short article per id, each with one gold quote that the
/// test worker finds when it behaves.
fn corpus(ids: &[&str]) -> Dir {
    util::corpus::town_corpus(ids, "", true)
}

/// The Python interpreter itself, for tests that checked `need::python3()`.
fn python() -> &'static str {
    need::python3_executable()
}

fn faulty_py() -> String {
    repo().join("tests/workers/faulty.py").display().to_string()
}

/// The test worker with `args`, with short time-outs.
fn faulty(args: &[&str]) -> Worker {
    let mut command = vec![python().to_string(), faulty_py()];
    command.extend(args.iter().map(|a| a.to_string()));
    Worker::new("faulty", command)
        .timeout(Duration::from_secs(2))
        .handshake_timeout(Duration::from_secs(2))
}

fn run_on(dir: &Dir, extractors: &[&dyn Extractor], jobs: usize) -> Vec<ExtractorResult> {
    let corpus = Corpus::open(dir.join("corpus")).unwrap();
    let settings = RunSettings {
        jobs,
        ..RunSettings::default()
    };
    run(&corpus, extractors, &settings, &mut |_| {}).extractors
}

fn run_one(worker: &Worker, jobs: usize) -> ExtractorResult {
    let dir = corpus(&IDS);
    run_on(&dir, &[worker], jobs).remove(0)
}

/// `id status` for every article, in corpus order.
fn statuses(r: &ExtractorResult) -> String {
    r.articles
        .iter()
        .map(|a| format!("{} {}", a.id, a.status()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn expect(r: &ExtractorResult, failed: &[(&str, &str)]) {
    let want: Vec<String> = IDS
        .iter()
        .map(|id| {
            let status = failed
                .iter()
                .find(|(f, _)| f == id)
                .map_or("ok", |(_, s)| s);
            format!("{id} {status}")
        })
        .collect();
    assert_eq!(statuses(r), want.join("\n"), "{:#?}", messages(r));
    // The articles that were answered are scored: one true positive each.
    for a in &r.articles {
        if a.failure.is_none() {
            assert_eq!(a.predictions.len(), 1, "{}", a.id);
            assert_eq!(a.score.counts(Criterion::Content).tp, 1, "{}", a.id);
        }
    }
}

fn messages(r: &ExtractorResult) -> BTreeMap<String, String> {
    r.failures()
        .map(|a| (a.id.clone(), a.failure.as_ref().unwrap().message.clone()))
        .collect()
}

fn message(r: &ExtractorResult, id: &str) -> String {
    messages(r).remove(id).unwrap_or_default()
}

fn issue_codes(r: &ExtractorResult) -> Vec<&str> {
    r.issues.iter().map(|i| i.code).collect()
}

#[test]
fn a_crash_fails_its_article_only_with_the_stderr_tail() {
    if !need::python3() {
        return;
    }
    for jobs in [1, 3] {
        let r = run_one(&faulty(&["--crash-on", "c"]), jobs);
        expect(&r, &[("c", "crashed")]);
        let m = message(&r, "c");
        assert!(m.contains("exited with status 3"), "{m}");
        assert!(m.contains("RuntimeError: dying on c"), "{m}");
    }
}

#[test]
fn a_hang_times_out_and_the_worker_is_restarted() {
    if !need::python3() {
        return;
    }
    let started = Instant::now();
    let w = faulty(&["--hang-on", "b"]).timeout(Duration::from_millis(700));
    let r = run_one(&w, 1);
    expect(&r, &[("b", "timeout")]);
    let m = message(&r, "b");
    assert!(m.contains("no answer within 700ms"), "{m}");
    assert!(m.contains("stuck on b"), "{m}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn garbage_and_wrong_shapes_are_invalid_output_with_the_line() {
    if !need::python3() {
        return;
    }
    let r = run_one(&faulty(&["--garbage-on", "b", "--wrong-shape-on", "e"]), 1);
    expect(&r, &[("b", "invalid-output"), ("e", "invalid-output")]);
    let m = message(&r, "b");
    assert!(m.contains("is not JSON"), "{m}");
    assert!(m.contains("oops, debugging output for b"), "{m}");
    let m = message(&r, "e");
    assert!(m.contains("`quotes` must be a list"), "{m}");
    assert!(m.contains(r#"{"id": "e", "quotes": 5}"#), "{m}");
}

#[test]
fn a_key_written_twice_is_a_warning_naming_it_and_the_last_counts() {
    if !need::python3() {
        return;
    }
    let plain = run_one(&faulty(&[]), 1);
    let r = run_one(&faulty(&["--duplicate-key-on", "c"]), 1);
    expect(&r, &[]);
    for (x, y) in plain.articles.iter().zip(&r.articles) {
        assert_eq!((&x.id, &x.predictions), (&y.id, &y.predictions));
    }
    let warned: Vec<_> = r
        .articles
        .iter()
        .flat_map(|a| a.issues.iter().map(move |i| (a.id.as_str(), i)))
        .filter(|(_, i)| i.code == "duplicate-key")
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    let (id, issue) = warned[0];
    assert_eq!(id, "c");
    assert!(
        issue.message.contains("`quotes` is written twice"),
        "{issue:?}"
    );
    assert_eq!(issue.article.as_deref(), Some("c"));
}

#[test]
fn an_error_response_fails_with_status_error() {
    if !need::python3() {
        return;
    }
    let w = faulty(&["--error-on", "d"]).env("MODE", "fast");
    let r = run_one(&w, 2);
    expect(&r, &[("d", "error")]);
    assert!(message(&r, "d").contains("cannot do d (MODE=fast"));
}

#[test]
fn pipelined_answers_out_of_order_give_the_same_results() {
    if !need::python3() {
        return;
    }
    let plain = run_one(&faulty(&[]), 1);
    // One process holding up to 4 articles, answering each batch backwards.
    let piped = faulty(&["--pipeline", "4", "--jitter"]).jobs(1);
    let r = run_one(&piped, 4);
    expect(&r, &[]);
    for (x, y) in plain.articles.iter().zip(&r.articles) {
        assert_eq!((&x.id, &x.predictions), (&y.id, &y.predictions));
    }
    assert_eq!(plain.totals, r.totals);
}

#[test]
fn faults_of_a_pipelined_worker_are_pinned_on_the_right_article() {
    if !need::python3() {
        return;
    }
    // One process holding up to 4 articles hangs on c, or dies on it. Which
    // of the articles it held caused it cannot be told: each is asked
    // again alone, and only c fails, whatever the timing.
    for (fault, status) in [("--hang-on", "timeout"), ("--crash-on", "crashed")] {
        let w = faulty(&["--pipeline", "4", fault, "c"])
            .jobs(1)
            .timeout(Duration::from_millis(700));
        let r = run_one(&w, 4);
        expect(&r, &[("c", status)]);
        assert!(r.issues.is_empty(), "{:?}", r.issues);
    }
}

#[test]
fn second_answers_and_unknown_ids_are_reported_and_ignored() {
    if !need::python3() {
        return;
    }
    let r = run_one(&faulty(&["--twice"]), 1);
    expect(&r, &[]);
    let codes = issue_codes(&r);
    assert!(codes.contains(&"duplicate-response"), "{codes:?}");
    assert!(codes.contains(&"unknown-response"), "{codes:?}");
    assert!(r
        .issues
        .iter()
        .any(|i| i.message.contains("\"nobody/asked\"")));
}

#[test]
fn a_bad_handshake_makes_the_extractor_unavailable_and_others_still_run() {
    if !need::python3() {
        return;
    }
    for (kind, says, stderr) in [
        (
            "bad-json",
            "sent a bad handshake (it is not JSON",
            "worker starting",
        ),
        ("no-offsets", "it has no `offsets`", "worker starting"),
        (
            "none",
            "sent no handshake within 1s",
            "loading a very large model",
        ),
        (
            "exit",
            "exited with status 1 before its handshake",
            "fatal: model file missing",
        ),
        ("stdout-closed", "before its handshake", "worker starting"),
    ] {
        let dir = corpus(&IDS);
        let bad = faulty(&["--handshake", kind]).handshake_timeout(Duration::from_secs(1));
        let other = from_fn("other", |_| Ok::<_, &str>(vec![]));
        let started = Instant::now();
        let results = run_on(&dir, &[&bad, &other], 2);
        assert!(started.elapsed() < Duration::from_secs(10), "{kind}");
        let expected: Vec<(&str, &str)> = IDS.iter().map(|id| (*id, "unavailable")).collect();
        expect(&results[0], &expected);
        assert_eq!(results[1].failures().count(), 0, "{kind}");
        let m = message(&results[0], "a");
        assert!(m.contains("faulty.py --handshake"), "{kind}: {m}");
        assert!(m.contains(says), "{kind}: {m}");
        assert!(m.contains(stderr), "{kind}: {m}");
        let issue = &results[0].issues[0];
        assert_eq!((issue.code, &issue.message), ("unavailable", &m));
        assert_eq!(bad.version(), None);
        assert_eq!(bad.fingerprint(), None);
    }
}

#[test]
fn restarts_are_bounded_then_the_extractor_is_unavailable() {
    if !need::python3() {
        return;
    }
    let w = faulty(&["--crash-on", "a", "--crash-on", "b", "--crash-on", "c"])
        .restarts(1)
        .jobs(1);
    let r = run_one(&w, 1);
    expect(
        &r,
        &[
            ("a", "crashed"),
            ("b", "crashed"),
            ("c", "unavailable"),
            ("d", "unavailable"),
            ("e", "unavailable"),
            ("f", "unavailable"),
        ],
    );
    assert!(message(&r, "c").contains("no worker process is left"));
    assert!(issue_codes(&r).contains(&"unavailable"));
}

#[test]
fn a_worker_that_exits_after_its_handshake_uses_up_its_restarts() {
    if !need::python3() {
        return;
    }
    let started = Instant::now();
    let w = faulty(&["--exit-after-handshake"]).jobs(1);
    let r = run_one(&w, 1);
    assert!(started.elapsed() < Duration::from_secs(10));
    // Whether an article reached a process before it was gone is a race;
    // either way none is scored, and once the restarts are used up the
    // rest are unavailable.
    for a in &r.articles {
        assert!(
            matches!(a.status(), "crashed" | "unavailable"),
            "{}",
            statuses(&r)
        );
    }
    assert_eq!(r.articles.last().unwrap().status(), "unavailable");
    assert!(message(&r, "f").contains("no worker process is left"));
}

/// Peak resident memory of this process, in KiB (Linux only).
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_huge_line_fails_its_article_and_memory_stays_bounded() {
    if !need::python3() {
        return;
    }
    let before = peak_kib();
    let w = faulty(&["--huge-on", "b", "--huge-mb", "100"])
        .max_line(1 << 20)
        .timeout(Duration::from_secs(20));
    let r = run_one(&w, 1);
    expect(&r, &[("b", "output-too-large")]);
    let m = message(&r, "b");
    assert!(m.contains("a line of 1048576"), "{m}");
    assert!(m.contains("bytes, over the limit of 1048576 bytes"), "{m}");
    if let (Some(before), Some(after)) = (before, peak_kib()) {
        let grown_mib = after.saturating_sub(before) / 1024;
        assert!(grown_mib < 32, "peak memory grew by {grown_mib} MiB");
    }
}

#[test]
fn a_flood_on_stderr_neither_blocks_nor_grows_messages() {
    if !need::python3() {
        return;
    }
    // 2 MiB of stderr per article, far more than a pipe holds.
    let w = faulty(&["--stderr-kb", "2048", "--error-on", "c"]).timeout(Duration::from_secs(10));
    let r = run_one(&w, 2);
    expect(&r, &[("c", "error")]);
    let m = message(&r, "c");
    assert!(
        m.contains("its stderr ends with:") && m.contains("noise noise"),
        "{m}"
    );
    assert!(m.len() < 4000, "{} bytes", m.len());
}

#[test]
fn results_do_not_depend_on_the_number_of_workers() {
    if !need::python3() {
        return;
    }
    let args = ["--jitter", "--error-on", "d"];
    let one = run_one(&faulty(&args).jobs(1), 1);
    let three = run_one(&faulty(&args).jobs(3), 3);
    let many = run_one(&faulty(&args), 4);
    for other in [&three, &many] {
        assert_eq!(statuses(&one), statuses(other));
        assert_eq!(one.totals, other.totals);
        for (x, y) in one.articles.iter().zip(&other.articles) {
            assert_eq!(x.predictions, y.predictions);
        }
    }
}

#[test]
fn fingerprints_follow_command_environment_and_version() {
    if !need::python3() {
        return;
    }
    let fp = |w: Worker| w.fingerprint().unwrap();
    let base = fp(faulty(&[]));
    assert_eq!(base, fp(faulty(&[])));
    assert_ne!(base, fp(faulty(&["--jitter"])), "arguments");
    assert_ne!(base, fp(faulty(&[]).env("MODE", "x")), "environment");
    assert_ne!(
        fp(faulty(&[]).env("MODE", "x")),
        fp(faulty(&[]).env("MODE", "y")),
        "environment values"
    );
    assert_ne!(base, fp(faulty(&["--version", "2"])), "version");
    // Secrets in the environment are not written into the cache key.
    assert!(!fp(faulty(&[]).env("TOKEN", "s3cret-value")).contains("s3cret-value"));
    let w = faulty(&["--version", "2.5"]);
    assert_eq!(w.version(), Some("2.5"));
    assert_eq!(w.handshake().unwrap().name, "faulty");
}

fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| !stat.contains(") Z "))
}

#[test]
#[cfg(target_os = "linux")]
fn dropping_a_worker_stops_its_processes() {
    if !need::python3() {
        return;
    }
    let pids = Dir::new();
    let pidfile = pids.path().display().to_string();
    for ignore_eof in [false, true] {
        let mut args = vec!["--pidfile", &pidfile];
        if ignore_eof {
            args.push("--ignore-eof");
        }
        let w = faulty(&args).jobs(2);
        let r = run_one(&w, 2);
        expect(&r, &[]);
        let started: Vec<String> = std::fs::read_dir(pids.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!started.is_empty());
        assert!(started.iter().all(|p| alive(p)));
        let t = Instant::now();
        drop(w);
        // A worker that ignores the end of its input is killed after a grace period.
        assert!(t.elapsed() < Duration::from_secs(5));
        for pid in &started {
            assert!(!alive(pid), "process {pid} still runs");
            std::fs::remove_file(pids.join(pid)).unwrap();
        }
    }
}

// ---- through the binary, with quotecheck.toml

/// Runs the binary in `dir` with a clean environment (but `PATH`, to find
/// python3) and returns the exit code, stdout and stderr.
fn quotecheck(dir: &Dir, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let out = util::bin::quotecheck(dir.path())
        .keep(&["PATH", "HOME"])
        .envs(env.iter().copied())
        .args(args)
        .output();
    (out.code().unwrap(), out.lossy())
}

fn toml_path(p: &Path) -> String {
    serde_json::to_string(&p.display().to_string()).unwrap()
}

fn report(dir: &Dir) -> serde_json::Value {
    dir.json("r.json")
}

fn report_statuses(report: &serde_json::Value, extractor: usize) -> Vec<String> {
    report["extractors"][extractor]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{} {}",
                a["id"].as_str().unwrap(),
                a["status"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn the_binary_runs_configured_workers_and_reports_their_faults() {
    if !need::python3() {
        return;
    }
    let dir = corpus(&IDS);
    let py = toml_path(&repo().join("tests/workers/faulty.py"));
    dir.write(
        "quotecheck.toml",
        format!(
            r#"corpus = "corpus"

[extractors.crashy]
command = [{python}, {py}, "--crash-on", "b", "--hang-on", "d", "--huge-on", "e", "--huge-mb", "8", "--error-on", "f"]
timeout = "1s"
handshake_timeout = "5s"
max_line = "1MiB"
env = {{ MODE = "slow" }}
cwd = "sub"

[extractors.broken]
command = [{python}, {py}, "--handshake", "exit"]
"#,
            python = toml_path(Path::new(python())),
        ),
    );
    dir.write("sub/.keep", "");
    let (code, out) = quotecheck(&dir, &["run", "--json", "r.json"], &[]);
    assert_eq!(code, 2, "an unavailable extractor exits 2\n{out}");
    assert!(out.contains("fatal: model file missing"), "{out}");
    let r = report(&dir);
    assert_eq!(r["extractors"][0]["name"], "broken");
    assert!(report_statuses(&r, 0)
        .iter()
        .all(|s| s.ends_with(" unavailable")));
    assert_eq!(
        report_statuses(&r, 1),
        [
            "a ok",
            "b crashed",
            "c ok",
            "d timeout",
            "e output-too-large",
            "f error"
        ]
    );
    assert_eq!(r["extractors"][1]["version"], "1");
    let failures = r["extractors"][1]["failures"].to_string();
    let sub = dir.join("sub").canonicalize().unwrap();
    assert!(failures.contains("MODE=slow"), "{failures}");
    assert!(failures.contains(&sub.display().to_string()), "{failures}");

    // Without the broken one, failed articles exit 1.
    let (code, out) = quotecheck(&dir, &["run", "--extractor", "crashy"], &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("b crashed: the worker exited with status 3"),
        "{out}"
    );
}

#[test]
fn the_binary_caches_worker_outputs_by_handshake_version() {
    if !need::python3() {
        return;
    }
    let dir = corpus(&IDS);
    let py = toml_path(&repo().join("tests/workers/faulty.py"));
    let config = |version: &str| {
        format!(
            "corpus = \"corpus\"\n[extractors.w]\ncommand = [{python}, {py}, \"--version\", \"{version}\"]\n",
            python = toml_path(Path::new(python())),
        )
    };
    dir.write("quotecheck.toml", config("1"));
    let cached = |dir: &Dir| -> usize {
        let (code, out) = quotecheck(dir, &["run", "--json", "r.json"], &[]);
        assert_eq!(code, 0, "{out}");
        report(dir)["extractors"][0]["articles"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["cached"] == true)
            .count()
    };
    assert_eq!(cached(&dir), 0);
    assert_eq!(cached(&dir), IDS.len(), "a rerun is served from the cache");
    dir.write("quotecheck.toml", config("2"));
    assert_eq!(
        cached(&dir),
        0,
        "a new version is never served stale output"
    );
}

#[test]
fn the_python_example_worker_runs_end_to_end() {
    if !need::python3() {
        return;
    }
    let config = repo().join("examples/python-worker/quotecheck.toml");
    // Through the library, as `quotecheck run` builds it.
    let parsed = quotecheck::config::Config::read(&config).unwrap();
    let worker = parsed.build("python-example").unwrap();
    assert_eq!(worker.version(), Some("1.0"));
    let corpus = Corpus::open(repo().join("corpus")).unwrap();
    let result = run(
        &corpus,
        &[worker.as_ref()],
        &RunSettings::default(),
        &mut |_| {},
    );
    let e = &result.extractors[0];
    assert_eq!(e.failures().count(), 0, "{:#?}", messages(e));
    assert!(e.totals.micro(Criterion::Content).f1 > 0.3);

    // Through the binary, from another folder.
    let dir = Dir::new();
    let (code, out) = quotecheck(
        &dir,
        &[
            "run",
            "--config",
            config.to_str().unwrap(),
            "--json",
            "r.json",
        ],
        &[],
    );
    assert_eq!(code, 0, "{out}");
    let r = report(&dir);
    assert_eq!(r["extractors"][0]["name"], "python-example");
    let mut json = Vec::new();
    quotecheck::report::json::write(&result, &mut json).unwrap();
    let library: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        r["extractors"][0]["micro"],
        library["extractors"][0]["micro"]
    );
}

#[test]
fn worker_and_endpoint_settings_are_checked_when_read() {
    let cases = [
        ("command = []", "`command` is empty"),
        ("command = [\"w\"]\ntimeout = \"30\"", "`timeout`: \"30\" is not a duration"),
        ("command = [\"w\"]\ntimeout = \"0s\"", "`timeout` must be longer than 0"),
        ("command = [\"w\"]\nhandshake_timeout = \"soon\"", "`handshake_timeout`: \"soon\" is not a duration"),
        ("command = [\"w\"]\njobs = 0", "`jobs` must be at least 1"),
        ("command = [\"w\"]\nmax_line = \"64 furlongs\"", "is not a size"),
        ("command = [\"w\"]\nmax_line = -1", "a size must be positive"),
        ("command = [\"w\"]\nheaders = { A = \"b\" }", "`headers` only applies to `url` and `chat` extractors"),
        (
            "url = \"http://x\"\nrestarts = 1\ncwd = \".\"",
            "`cwd`, `restarts` only apply to `command` extractors",
        ),
        (
            "replay = \"r\"\nretries = 1\nenv = { A = \"b\" }",
            "`env` only applies to `command` extractors; `retries` only applies to `url` and `chat` extractors",
        ),
        ("url = \"localhost:8000\"", "`url` must start with http:// or https://"),
        ("url = \"http://x\"\noffsets = \"bytes\"", "`offsets` is \"bytes\""),
        ("url = \"http://x\"\nheaders = { \"Bad Name\" = \"v\" }", "\"Bad Name\" is not a valid header name"),
        ("url = \"http://x\"\nheaders = { A = \"env:\" }", "names no variable"),
        ("url = \"http://x\"\narticle_timeout = \"0s\"", "`article_timeout` must be longer than 0"),
        ("command = [\"w\"]\narticle_timeout = \"1s\"", "`article_timeout` only applies to `url` and `chat` extractors"),
    ];
    let dir = Dir::new();
    for (table, says) in cases {
        dir.write("q.toml", format!("[extractors.x]\n{table}\n"));
        let err = quotecheck::config::Config::read(&dir.join("q.toml")).unwrap_err();
        assert!(err.to_string().contains(says), "{table}\n→ {err}");
    }
    // Good settings read, with their units.
    dir.write(
        "q.toml",
        "[extractors.w]\ncommand = [\"w\"]\ntimeout = \"1.5s\"\nhandshake_timeout = \"2m\"\nmax_line = \"1MiB\"\nrestarts = 0\njobs = 2\nenv = { A = \"b\" }\ncwd = \"sub\"\n\n[extractors.h]\nurl = \"https://example.org/x\"\nversion = \"3\"\noffsets = \"utf16\"\nheaders = { X-Model = \"small\" }\nretries = 0\nretry_delay = \"0ms\"\nmax_line = 1000\n",
    );
    let config = quotecheck::config::Config::read(&dir.join("q.toml")).unwrap();
    let quotecheck::config::ExtractorSpec::Worker(w) = &config.extractors["w"] else {
        panic!("`w` is a worker")
    };
    assert_eq!(w.max_line.unwrap().0, 1 << 20);
    assert_eq!(config.build("h").unwrap().version(), Some("3"));
    assert_eq!(
        quotecheck::config::parse_duration("1.5s").unwrap(),
        Duration::from_millis(1500)
    );
}

#[test]
fn a_stray_line_on_stdout_is_one_clear_problem_and_articles_still_score() {
    if !need::python3() {
        return;
    }
    let dir = corpus(&IDS);
    let py = toml_path(&repo().join("tests/workers/faulty.py"));
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n[extractors.w]\ncommand = [{python}, {py}, \"--stray-line\"]\n",
            python = toml_path(Path::new(python())),
        ),
    );
    // Two worker processes print in an order of their own: the line shown
    // must not depend on it.
    let (code, out) = quotecheck(
        &dir,
        &["run", "--no-cache", "--jobs", "2", "--json", "r.json"],
        &[],
    );
    assert_eq!(code, 0, "every article is answered\n{out}");
    assert_eq!(
        report_statuses(&report(&dir), 0),
        IDS.map(|id| format!("{id} ok"))
    );
    let rule = "a worker writes only protocol lines on standard output; log to standard error";
    assert_eq!(out.matches(rule).count(), 1, "{out}");
    assert!(out.contains("working on a"), "{out}");
    assert!(!out.contains("second time"), "{out}");
    assert!(!out.contains("invalid-output"), "{out}");
    let issues = report(&dir)["extractors"][0]["issues"].clone();
    assert_eq!(issues.as_array().unwrap().len(), 1, "{issues}");
    assert_eq!(issues[0]["code"], "stray-output");
}

/// A copy of the test worker in `dir` (so that a test may edit it), run as
/// `worker.py` from the configuration's folder, with `cache_inputs`.
fn copied_worker(dir: &Dir, cache_inputs: &str) {
    dir.write(
        "worker.py",
        std::fs::read(repo().join("tests/workers/faulty.py")).unwrap(),
    );
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n[extractors.w]\ncommand = [{python}, \"worker.py\"]\ncache_inputs = {cache_inputs}\n",
            python = toml_path(Path::new(python())),
        ),
    );
}

/// Runs the binary; the number of outputs served from the cache, and the
/// terminal report.
fn cached_run(dir: &Dir) -> (usize, String) {
    let (code, out) = quotecheck(dir, &["run", "--json", "r.json"], &[]);
    assert_eq!(code, 0, "{out}");
    let n = report(dir)["extractors"][0]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["cached"] == true)
        .count();
    (n, out)
}

#[test]
fn the_cache_never_serves_a_changed_worker_script_or_cache_input() {
    if !need::python3() {
        return;
    }
    let dir = corpus(&IDS);
    dir.write("model/weights.txt", "1");
    dir.write("model/vocab/words.txt", "a b c");
    dir.write("lexicon.txt", "said");
    copied_worker(&dir, r#"["model", "lexicon.txt"]"#);
    let (n, out) = cached_run(&dir);
    assert_eq!(n, 0, "{out}");
    assert!(!out.contains("from the cache"), "{out}");
    let (n, out) = cached_run(&dir);
    assert_eq!(n, IDS.len(), "unchanged: served from the cache\n{out}");
    assert!(
        out.contains("6 of 6 outputs from the cache · --no-cache to rerun"),
        "{out}"
    );

    // The script is edited: the worker is asked again.
    let script = std::fs::read_to_string(dir.join("worker.py")).unwrap();
    dir.write("worker.py", format!("{script}\n# edited\n"));
    assert_eq!(cached_run(&dir).0, 0, "an edited script is run again");
    assert_eq!(cached_run(&dir).0, IDS.len());

    // A file of cache_inputs, deep in a listed folder, or a listed file.
    dir.write("model/vocab/words.txt", "a b c d");
    assert_eq!(cached_run(&dir).0, 0, "an edited input in a folder");
    assert_eq!(cached_run(&dir).0, IDS.len());
    dir.write("model/vocab/more.txt", "");
    assert_eq!(cached_run(&dir).0, 0, "a new file in a listed folder");
    dir.write("lexicon.txt", "told");
    assert_eq!(cached_run(&dir).0, 0, "an edited listed file");
    assert_eq!(cached_run(&dir).0, IDS.len());
}

#[test]
fn a_missing_cache_input_is_a_configuration_error_naming_it() {
    if !need::python3() {
        return;
    }
    let dir = corpus(&IDS);
    copied_worker(&dir, r#"["models/absent.bin"]"#);
    let (code, out) = quotecheck(&dir, &["run"], &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("extractor \"w\""), "{out}");
    assert!(
        out.contains("`cache_inputs`:")
            && out.contains("models/absent.bin")
            && out.contains("does not exist"),
        "{out}"
    );
    // `cache --help` says what the key covers.
    let (code, help) = quotecheck(&dir, &["cache", "--help"], &[]);
    assert_eq!(code, 0, "{help}");
    for covered in ["the script", "cache_inputs", "handshake"] {
        assert!(help.contains(covered), "{help}");
    }
}

// ---- process groups: nothing a worker started outlives quotecheck

/// The pids written by `faulty.py --pidfile` in `pids`.
#[cfg(target_os = "linux")]
fn started(pids: &Dir) -> Vec<String> {
    std::fs::read_dir(pids.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Whether the process `pid` is gone, or goes within a few seconds: it was
/// signalled, and a loaded machine may take a moment to run its end.
#[cfg(target_os = "linux")]
fn ends(pid: &str) -> bool {
    let t = Instant::now();
    while alive(pid) {
        if t.elapsed() > Duration::from_secs(5) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

/// A configuration of one worker, `faulty.py` with `args`, and `timeout`.
#[cfg(target_os = "linux")]
fn worker_config(dir: &Dir, args: &[&str], timeout: &str) {
    let args: Vec<String> = args.iter().map(|a| toml_path(Path::new(a))).collect();
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n[extractors.w]\ncommand = [{python}, {py}, {args}]\ntimeout = \"{timeout}\"\nhandshake_timeout = \"30s\"\n",
            python = toml_path(Path::new(python())),
            py = toml_path(&repo().join("tests/workers/faulty.py")),
            args = args.join(", "),
        ),
    );
}

#[test]
#[cfg(target_os = "linux")]
fn a_workers_children_end_with_a_time_out_and_with_the_run() {
    if !need::python3() {
        return;
    }
    // A worker that ignores SIGTERM gets SIGKILL after the grace period.
    for extra in [None, Some("--ignore-term")] {
        let dir = corpus(&IDS);
        let pids = Dir::new();
        let pidfile = pids.path().display().to_string();
        let mut args = vec!["--pidfile", &pidfile, "--spawn-child", "--hang-on", "c"];
        args.extend(extra);
        worker_config(&dir, &args, "1s");
        let (code, out) = quotecheck(&dir, &["run", "--no-cache", "--json", "r.json"], &[]);
        assert_eq!(code, 1, "{out}");
        assert!(report_statuses(&report(&dir), 0).contains(&"c timeout".to_string()));
        // The first worker and its child, killed at the time-out; the
        // restarted worker and its child, ended with the run.
        let started = started(&pids);
        assert_eq!(started.len(), 4, "{started:?}\n{out}");
        for pid in &started {
            assert!(
                ends(pid),
                "process {pid} outlived quotecheck ({extra:?})\n{out}"
            );
        }
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_signal_to_quotecheck_ends_a_hung_worker_and_its_children() {
    if !need::python3() {
        return;
    }
    for (signal, extra) in [
        (libc::SIGTERM, None),
        (libc::SIGINT, None),
        (libc::SIGHUP, None),
        (libc::SIGTERM, Some("--ignore-term")),
    ] {
        let dir = corpus(&IDS);
        let pids = Dir::new();
        let pidfile = pids.path().display().to_string();
        let mut args = vec!["--pidfile", &pidfile, "--spawn-child", "--hang-on", "a"];
        args.extend(extra);
        worker_config(&dir, &args, "600s");
        let mut child = util::bin::quotecheck(dir.path())
            .keep(&["PATH", "HOME"])
            .args(["run", "--no-cache"])
            .command()
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // The worker and its child have started; the worker hangs on `a`.
        let t = Instant::now();
        while started(&pids).len() < 2 {
            assert!(t.elapsed() < Duration::from_secs(30), "no worker started");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(300));
        let started = started(&pids);
        assert!(started.iter().all(|p| alive(p)), "{started:?}");
        let pid = i32::try_from(child.id()).unwrap();
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        let t = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "quotecheck did not end on signal {signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(signal), "{status:?}");
        for pid in &started {
            assert!(
                ends(pid),
                "process {pid} outlived quotecheck (signal {signal}, {extra:?})"
            );
        }
    }
}
