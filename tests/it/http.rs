//! HTTP endpoints, against a real server on 127.0.0.1 started by each test:
//! retries with back-off on 429 and 5xx, other statuses failing at once,
//! time-outs, bad bodies, the handshake URL, and headers read from the
//! environment whose values never reach a report.
//!
//! The server is the tests' own small one (`util::http_server`).

use crate::util;

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use quotecheck::corpus::{Corpus, OffsetUnit};
use quotecheck::extract::{Extractor, Http};
use quotecheck::run::{run, ExtractorResult, RunSettings};
use quotecheck::score::Criterion;
use serde_json::{json, Value};
use util::http_server::{Answer, Request as Seen, Server};
use util::Dir;

const IDS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

/// Texts start with this before the quote: one code point, two UTF-16 units.
const SMILE: &str = "🙂 ";

fn corpus(ids: &[&str]) -> Dir {
    util::corpus::town_corpus(ids, SMILE, false)
}

/// The article a request to the endpoint is for.
trait ArticleId {
    fn id(&self) -> &str;
}

impl ArticleId for Seen {
    fn id(&self) -> &str {
        self.body["id"].as_str().unwrap_or("")
    }
}

/// A local server answering with `handler(request, attempt)`, where
/// `attempt` counts the requests seen with the same method for the same
/// article (from 1).
fn start(handler: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> Server {
    Server::start(|req| format!("{} {}", req.method, req.id()), handler)
}

fn requests_for(server: &Server, id: &str) -> usize {
    server.seen().iter().filter(|s| s.id() == id).count()
}

/// The right answer for a request: its quote, offsets in `unit`.
fn good(req: &Seen, unit: OffsetUnit) -> Answer {
    let text = req.body["text"].as_str().unwrap();
    let open = text.find('"').unwrap() + 1;
    let close = open + text[open..].find('"').unwrap();
    let at = |byte: usize| match unit {
        OffsetUnit::Utf16 => text[..byte].encode_utf16().count(),
        OffsetUnit::Utf8 => byte,
        OffsetUnit::Codepoint => text[..byte].chars().count(),
    };
    let body =
        json!({"id": req.id(), "quotes": [{"content": {"start": at(open), "end": at(close)}}]});
    (200, body.to_string(), vec![])
}

fn endpoint(server: &Server) -> Http {
    Http::new("model", format!("{}/extract", server.url))
        .with_version("1")
        .timeout(Duration::from_secs(2))
        .retries(2)
        .retry_delay(Duration::from_millis(10))
}

fn run_on(dir: &Dir, e: &dyn Extractor) -> ExtractorResult {
    let corpus = Corpus::open(dir.join("corpus")).unwrap();
    let settings = RunSettings {
        jobs: 3,
        ..RunSettings::default()
    };
    run(&corpus, &[e], &settings, &mut |_| {})
        .extractors
        .remove(0)
}

/// `id status` for every article, and the failure messages by id.
fn outcome(r: &ExtractorResult) -> (Vec<String>, HashMap<String, String>) {
    for a in &r.articles {
        if a.failure.is_none() {
            assert_eq!(
                a.score.counts(Criterion::Content).tp,
                1,
                "{} was scored",
                a.id
            );
        }
    }
    (
        r.articles
            .iter()
            .map(|a| format!("{} {}", a.id, a.status()))
            .collect(),
        r.failures()
            .map(|a| (a.id.clone(), a.failure.as_ref().unwrap().message.clone()))
            .collect(),
    )
}

#[test]
fn busy_and_failing_servers_are_retried_other_statuses_are_not() {
    let server = start(|req, attempt| match (req.id(), attempt) {
        ("b", 1) => (500, "try again".into(), vec![]),
        ("c", _) => (404, "no such model".into(), vec![]),
        ("d", 1) => (429, "slow down".into(), vec![("Retry-After", "0".into())]),
        ("e", _) => (503, "".into(), vec![]),
        _ => good(req, OffsetUnit::Codepoint),
    });
    let dir = corpus(&IDS);
    let (statuses, messages) = outcome(&run_on(&dir, &endpoint(&server)));
    assert_eq!(
        statuses,
        ["a ok", "b ok", "c error", "d ok", "e error", "f ok"]
    );
    assert_eq!(requests_for(&server, "b"), 2, "500, then 200");
    assert_eq!(requests_for(&server, "c"), 1, "404 is not retried");
    assert_eq!(requests_for(&server, "d"), 2, "429, then 200");
    assert_eq!(
        requests_for(&server, "e"),
        3,
        "503 three times: 1 + 2 retries"
    );
    assert!(
        messages["c"].ends_with("/extract answered 404 Not Found: no such model"),
        "{}",
        messages["c"]
    );
    assert!(
        messages["e"].contains("answered 503 Service Unavailable (after 3 attempts)"),
        "{}",
        messages["e"]
    );
    let seen = server.seen();
    assert!(seen
        .iter()
        .all(|s| s.method == "POST" && s.path == "/extract"));
    assert!(seen
        .iter()
        .all(|s| s.header("content-type") == Some("application/json")));
}

#[test]
fn a_slow_answer_times_out_and_is_not_retried() {
    let server = start(|req, _| {
        if req.id() == "b" {
            std::thread::sleep(Duration::from_secs(3));
        }
        good(req, OffsetUnit::Codepoint)
    });
    let dir = corpus(&IDS);
    let started = Instant::now();
    let e = endpoint(&server).timeout(Duration::from_millis(500));
    let (statuses, messages) = outcome(&run_on(&dir, &e));
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert_eq!(
        statuses,
        ["a ok", "b timeout", "c ok", "d ok", "e ok", "f ok"]
    );
    assert!(
        messages["b"].contains("did not answer within 500ms"),
        "{}",
        messages["b"]
    );
    assert_eq!(requests_for(&server, "b"), 1);
}

#[test]
fn an_unreachable_server_fails_articles_after_retries() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let e = Http::new("model", format!("http://127.0.0.1:{port}/extract"))
        .retries(1)
        .retry_delay(Duration::from_millis(1));
    let dir = corpus(&IDS[..2]);
    let r = run_on(&dir, &e);
    let (statuses, messages) = outcome(&r);
    assert_eq!(statuses, ["a error", "b error"]);
    assert!(
        messages["a"].starts_with(&format!("cannot reach http://127.0.0.1:{port}/extract")),
        "{}",
        messages["a"]
    );
    assert!(
        messages["a"].ends_with("(after 2 attempts)"),
        "{}",
        messages["a"]
    );
}

#[test]
fn bad_bodies_fail_their_articles() {
    let server = start(|req, _| match req.id() {
        "a" => (200, "<html>oops</html>".into(), vec![]),
        "b" => (200, json!({"id": "zzz", "quotes": []}).to_string(), vec![]),
        "c" => (
            200,
            json!({"id": "c", "error": "model overloaded"}).to_string(),
            vec![],
        ),
        "d" => (200, json!({"id": "d", "quotes": 3}).to_string(), vec![]),
        "e" => (
            200,
            format!(
                "{{\"id\": \"e\", \"quotes\": [], \"pad\": \"{}\"}}",
                "x".repeat(5000)
            ),
            vec![],
        ),
        _ => good(req, OffsetUnit::Codepoint),
    });
    let dir = corpus(&IDS);
    let (statuses, messages) = outcome(&run_on(&dir, &endpoint(&server).max_body(4096)));
    assert_eq!(
        statuses,
        [
            "a invalid-output",
            "b invalid-output",
            "c error",
            "d invalid-output",
            "e output-too-large",
            "f ok"
        ]
    );
    assert!(messages["a"].contains("is not JSON") && messages["a"].contains("<html>oops</html>"));
    assert!(
        messages["b"].contains("for article \"zzz\", not \"b\""),
        "{}",
        messages["b"]
    );
    assert_eq!(messages["c"], "model overloaded");
    assert!(
        messages["d"].contains("`quotes` must be a list"),
        "{}",
        messages["d"]
    );
    assert!(
        messages["e"].contains("over the limit of 4096 bytes"),
        "{}",
        messages["e"]
    );
}

#[test]
fn the_handshake_url_gives_the_version_and_the_unit_of_offsets() {
    let server = start(|req, _| {
        if req.method == "GET" {
            let hello = json!({"quotecheck": 1, "name": "m", "version": "7", "offsets": "utf16"});
            return (200, hello.to_string(), vec![]);
        }
        good(req, OffsetUnit::Utf16)
    });
    let e = Http::new("model", format!("{}/extract", server.url))
        .handshake_url(format!("{}/hello", server.url));
    assert_eq!(e.version(), Some("7"));
    let dir = corpus(&IDS);
    let (statuses, _) = outcome(&run_on(&dir, &e));
    assert!(statuses.iter().all(|s| s.ends_with(" ok")), "{statuses:?}");
    // Without the handshake, the same answers are read as code points: wrong.
    let plain = Http::new("model", format!("{}/extract", server.url));
    let t = Instant::now();
    let r = run_on(&dir, &plain);
    eprintln!("plain {:?}", t.elapsed());
    assert_ne!(
        r.articles[0].predictions[0].content,
        run_on(&dir, &e).articles[0].predictions[0].content
    );
    eprintln!("e {:?}", t.elapsed());

    // A handshake that cannot be read makes the extractor unavailable.
    let nothing = start(|_, _| (404, "".into(), vec![]));
    let gone = Http::new("model", format!("{}/extract", server.url))
        .handshake_url(format!("{}/nowhere", nothing.url))
        .retry_delay(Duration::from_millis(1));
    let r = run_on(&dir, &gone);
    let (statuses, messages) = outcome(&r);
    assert!(
        statuses.iter().all(|s| s.ends_with(" unavailable")),
        "{statuses:?}"
    );
    let m = &messages["a"];
    assert!(
        m.contains("/nowhere could not be read") && m.contains("answered 404"),
        "{m}"
    );
    assert_eq!(r.issues[0].code, "unavailable");
}

#[test]
fn fingerprints_name_headers_but_never_their_values() {
    let e = || Http::new("m", "http://127.0.0.1:1/x").with_version("1");
    let fp = |h: Http| h.fingerprint().unwrap();
    let base = fp(e());
    assert_eq!(
        Http::new("m", "http://127.0.0.1:1/x").fingerprint(),
        None,
        "no version, no cache"
    );
    assert_ne!(
        base,
        fp(Http::new("m", "http://127.0.0.1:1/y").with_version("1"))
    );
    assert_ne!(base, fp(e().with_version("2")));
    assert_ne!(base, fp(e().offsets(OffsetUnit::Utf16)));
    let with = fp(e().header("Authorization", "Bearer one"));
    assert_ne!(base, with);
    assert_eq!(with, fp(e().header("Authorization", "Bearer two")));
    assert!(!with.contains("Bearer"));
}

// ---- through the binary

fn quotecheck(dir: &Dir, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let out = util::bin::quotecheck(dir.path())
        .envs(env.iter().copied())
        .args(args)
        .output();
    (out.code().unwrap(), out.lossy())
}

/// Every file under `dir`, read as text.
fn all_files(dir: &std::path::Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.push_str(&all_files(&p));
        } else {
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    out
}

#[test]
fn headers_come_from_the_environment_and_never_reach_a_report() {
    const SECRET: &str = "Bearer s3cret-token-4711";
    let server = start(|req, _| {
        if req.header("authorization") != Some(SECRET) {
            return (401, "who are you?".into(), vec![]);
        }
        match req.id() {
            // An error whose message would show a header if one leaked.
            "c" => (400, "bad request".into(), vec![]),
            _ => good(req, OffsetUnit::Codepoint),
        }
    });
    let dir = corpus(&IDS);
    dir.write(
        "quotecheck.toml",
        format!(
            r#"corpus = "corpus"

[extractors.model]
url = "{}/extract"
version = "2024-05"
headers = {{ Authorization = "env:QC_TEST_TOKEN", X-Model = "small" }}
timeout = "2s"
retries = 1
retry_delay = "10ms"
"#,
            server.url
        ),
    );
    let (code, out) = quotecheck(
        &dir,
        &["run", "--json", "r.json"],
        &[("QC_TEST_TOKEN", SECRET)],
    );
    assert_eq!(code, 1, "one article failed\n{out}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    let statuses: Vec<String> = report["extractors"][0]["articles"]
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
        .collect();
    assert_eq!(
        statuses,
        ["a ok", "b ok", "c error", "d ok", "e ok", "f ok"]
    );
    assert_eq!(report["extractors"][0]["version"], "2024-05");
    {
        let seen = server.seen();
        assert!(seen
            .iter()
            .all(|s| s.header("authorization") == Some(SECRET)));
        assert!(seen.iter().all(|s| s.header("x-model") == Some("small")));
    }
    // The token is nowhere: not in the output, the report, nor the cache.
    let secret = "s3cret-token-4711";
    assert!(!out.contains(secret), "{out}");
    assert!(!all_files(dir.path()).contains(secret));
    assert!(
        dir.join(".quotecheck/cache").is_dir(),
        "outputs were cached"
    );

    // A variable that is not set is named, and the run stops.
    let (code, out) = quotecheck(&dir, &["run", "--no-cache"], &[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("header `Authorization` is read from the environment variable QC_TEST_TOKEN, which is not set"),
        "{out}"
    );
}

/// A child process killed when dropped.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_python_example_served_over_http_scores_like_the_worker() {
    if !util::need::python3() {
        return;
    }
    let example = util::repo().join("examples/python-worker");
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let _server = Killed(
        std::process::Command::new("python3")
            .arg(example.join("serve.py"))
            .arg(port.to_string())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The example configuration, pointed at this port.
    let toml = std::fs::read_to_string(example.join("quotecheck-http.toml"))
        .unwrap()
        .replace(":8000/", &format!(":{port}/"));
    let dir = Dir::new();
    dir.write("quotecheck.toml", toml.replace("../../corpus", "corpus"));
    let config = quotecheck::config::Config::read(&dir.join("quotecheck.toml")).unwrap();
    let http = config.build("python-http").unwrap();
    assert_eq!(http.version(), Some("1.0"));
    let worker = quotecheck::config::Config::read(&example.join("quotecheck.toml"))
        .unwrap()
        .build("python-example")
        .unwrap();
    let corpus = Corpus::open(util::repo().join("corpus")).unwrap();
    let result = run(
        &corpus,
        &[http.as_ref(), worker.as_ref()],
        &RunSettings::default(),
        &mut |_| {},
    );
    let [over_http, worker] = &result.extractors[..] else {
        panic!()
    };
    assert_eq!(over_http.failures().count(), 0);
    assert_eq!(over_http.totals, worker.totals);
    for (x, y) in over_http.articles.iter().zip(&worker.articles) {
        assert_eq!(x.predictions, y.predictions);
    }
}

#[test]
fn an_error_body_is_shown_not_acted_on() {
    use crate::hostile_output::{assert_clean, HOSTILE, SHOWN};
    let server = start(|req, _| match req.id() {
        "a" => (500, HOSTILE.into(), vec![]),
        "b" => (400, HOSTILE.into(), vec![]),
        _ => good(req, OffsetUnit::Codepoint),
    });
    let dir = corpus(&IDS[..3]);
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n[extractors.model]\nurl = \"{}/extract\"\nversion = \"1\"\nretries = 0\n",
            server.url
        ),
    );
    for color in ["never", "always"] {
        let (code, out) = quotecheck(
            &dir,
            &[
                "run",
                "--color",
                color,
                "--markdown",
                "m.md",
                "--junit",
                "j.xml",
            ],
            &[],
        );
        assert_eq!(code, 1, "{}", quotecheck::text::printable(&out));
        assert_clean(
            &format!("terminal, --color {color}"),
            &out,
            color == "always",
        );
        assert_eq!(
            out.matches(SHOWN).count(),
            2,
            "{}",
            quotecheck::text::printable(&out)
        );
        for file in ["m.md", "j.xml"] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            assert_clean(file, &text, false);
            assert!(text.contains("evil.test"), "{file}");
        }
    }
}

#[test]
fn article_timeout_bounds_every_try_and_wait_of_an_article() {
    // A Retry-After past the bound: no wait is begun, the article fails at
    // once with what the server said and why it was not retried.
    let server = start(|req, _| match req.id() {
        "a" => (503, "busy".into(), vec![("Retry-After", "30".to_string())]),
        _ => good(req, OffsetUnit::Codepoint),
    });
    let dir = corpus(&IDS[..2]);
    let e = endpoint(&server).timeout(Duration::from_secs(1)).retries(3);
    let started = Instant::now();
    let (statuses, messages) = outcome(&run_on(&dir, &e));
    assert!(started.elapsed() < Duration::from_secs(3), "no 30 s wait");
    assert_eq!(statuses, ["a error", "b ok"]);
    assert!(
        messages["a"].contains("answered 503 Service Unavailable: busy")
            && messages["a"].contains(
                "(after 1 attempt(s); waiting 30s (the server asked for 30s with Retry-After) would pass `article_timeout` (4s))"
            ),
        "{}",
        messages["a"]
    );
    assert_eq!(requests_for(&server, "a"), 1);

    // Slow failing answers: each try is retried until the bound, and the
    // last one is cut short at it.
    let server = start(|req, _| match req.id() {
        "a" => {
            std::thread::sleep(Duration::from_millis(600));
            (503, "busy".into(), vec![])
        }
        _ => good(req, OffsetUnit::Codepoint),
    });
    let e = endpoint(&server)
        .timeout(Duration::from_secs(1))
        .retries(10)
        .article_timeout(Duration::from_millis(1500));
    let started = Instant::now();
    let (statuses, messages) = outcome(&run_on(&dir, &e));
    assert!(started.elapsed() < Duration::from_millis(2800));
    assert_eq!(statuses, ["a timeout", "b ok"]);
    assert!(
        messages["a"].contains("left of `article_timeout` (1.5s), after 3 attempt(s)"),
        "{}",
        messages["a"]
    );
    assert_eq!(requests_for(&server, "a"), 3);
}

#[test]
fn article_timeout_is_read_from_the_configuration() {
    let server = start(|req, _| match req.id() {
        "a" => (
            429,
            "slow down".into(),
            vec![("Retry-After", "5".to_string())],
        ),
        _ => good(req, OffsetUnit::Codepoint),
    });
    let dir = corpus(&IDS[..2]);
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n[extractors.model]\nurl = \"{}/extract\"\nversion = \"1\"\nretries = 5\narticle_timeout = \"2s\"\n",
            server.url
        ),
    );
    let (code, out) = quotecheck(&dir, &["run"], &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("(after 1 attempt(s); waiting 5s (the server asked for 5s with Retry-After) would pass `article_timeout` (2s))"),
        "{out}"
    );
}

#[test]
fn a_key_written_twice_in_a_response_is_a_warning_and_the_last_counts() {
    let server = start(|req, _| match req.id() {
        "b" => {
            let (status, right, headers) = good(req, OffsetUnit::Codepoint);
            let right: Value = serde_json::from_str(&right).unwrap();
            let body = format!(
                r#"{{"id": "b", "quotes": [], "quotes": {}}}"#,
                right["quotes"]
            );
            (status, body, headers)
        }
        _ => good(req, OffsetUnit::Codepoint),
    });
    let dir = corpus(&IDS[..3]);
    let r = run_on(&dir, &endpoint(&server));
    let (statuses, _) = outcome(&r);
    assert_eq!(statuses, ["a ok", "b ok", "c ok"]);
    let warned: Vec<_> = r
        .articles
        .iter()
        .flat_map(|a| a.issues.iter().map(move |i| (a.id.as_str(), i)))
        .filter(|(_, i)| i.code == "duplicate-key")
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0].0, "b");
    assert!(
        warned[0].1.message.contains("`quotes` is written twice"),
        "{:?}",
        warned[0].1
    );
}
