//! The chat adapter against a real OpenAI-compatible server with a real
//! model: llama-cpp-python's server (`examples/llm/serve.sh`) serving
//! SmolLM2-135M-Instruct from the virtualenv that `examples/llm/setup.sh`
//! makes (which `.ci/run` runs first). What is checked is the protocol,
//! the reports and the cache, not the tiny model's quality: each article
//! is answered (read as quotes, or `invalid-output` when the model wrote
//! something else), structured output worked or fell back as
//! docs/llm-extractors.md says, usage, cost and latency come from the
//! server's replies, and a second run, with the server stopped, answers
//! every article from the cache.
//!
//! The server runs in a process group of its own, which a guard kills when
//! the test ends, however it ends.

use crate::util;

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use util::{need, Dir};

/// The model's name in requests (`--model_alias` in `serve.sh`).
const MODEL: &str = "smollm2-135m";

/// How long the server may take to load the model and answer.
const START: Duration = Duration::from_secs(120);

/// The route the adapter posts to, as the server's access log shows it.
const ROUTE: &str = "\"POST /v1/chat/completions HTTP/1.1\"";

/// llama-cpp-python's server, started by `examples/llm/serve.sh` in a
/// process group of its own; dropping it kills the group.
struct LlamaServer {
    child: Child,
    /// Where the server writes its standard output and error.
    log: PathBuf,
    /// `http://127.0.0.1:PORT/v1`.
    base: String,
}

impl LlamaServer {
    /// Starts the server on a free port of 127.0.0.1, logging to `log`,
    /// and waits until it answers.
    fn start(log: &Path) -> LlamaServer {
        let port = free_port();
        let out = File::create(log).unwrap();
        let mut cmd = Command::new("bash");
        cmd.arg(util::repo().join("examples/llm/serve.sh"))
            .arg(port.to_string())
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .process_group(0);
        #[cfg(target_os = "linux")]
        // SAFETY: prctl is async-signal-safe, and the closure allocates
        // nothing. It makes the kernel kill the server if this test's
        // thread dies without running the guard (the test binary killed).
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("bash runs examples/llm/serve.sh");
        let mut server = LlamaServer {
            child,
            log: log.to_path_buf(),
            base: format!("http://127.0.0.1:{port}/v1"),
        };
        server.wait_until_it_answers(port);
        server
    }

    fn wait_until_it_answers(&mut self, port: u16) {
        let started = Instant::now();
        let models = format!("http://127.0.0.1:{port}/v1/models");
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "the llama-cpp-python server exited with {status} before answering:\n{}",
                    self.log_text()
                );
            }
            if let Ok(mut reply) = ureq::get(&models).call() {
                let body: Value =
                    serde_json::from_str(&reply.body_mut().read_to_string().unwrap()).unwrap();
                assert_eq!(body["data"][0]["id"], MODEL, "{body:#}");
                return;
            }
            assert!(
                started.elapsed() < START,
                "the llama-cpp-python server did not answer within {START:?}:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The status of every chat request the server logged, in order.
    fn chat_statuses(&self) -> Vec<u16> {
        self.log_text()
            .lines()
            .filter_map(|line| line.split_once(ROUTE))
            .map(|(_, status)| status.split_whitespace().next().unwrap().parse().unwrap())
            .collect()
    }

    /// Kills the server's process group and reaps the server.
    fn stop(&mut self) {
        let group = self.child.id() as libc::pid_t;
        // SAFETY: kill has no memory effects; the group is the server's own
        // (process_group(0) made its pid the group's id).
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

impl Drop for LlamaServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port of 127.0.0.1 that nothing listens on now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The gold span of `needle`, the first place it occurs in `text`, in
/// codepoints.
fn span(text: &str, needle: &str) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let start = text[..at].chars().count();
    json!({"start": start, "end": start + needle.chars().count(), "text": needle})
}

/// A gold quote: kind, content, speaker, cue, as they occur in the text.
type Gold = (&'static str, &'static str, &'static str, &'static str);

/// Three short articles and their gold: a direct and an indirect quote, a
/// direct one, and an indirect one.
fn corpus(dir: &Dir) -> Vec<&'static str> {
    let articles: [(&str, &str, &[Gold]); 3] = [
        (
            "harbour",
            "The harbour will close for a week. “We have no choice,” said Ana Ruiz, \
             the port director. She said the repairs would start on Monday.\n",
            &[
                ("direct", "We have no choice,", "Ana Ruiz", "said"),
                (
                    "indirect",
                    "the repairs would start on Monday",
                    "She",
                    "said",
                ),
            ],
        ),
        (
            "school",
            "“Classes resume in May,” the principal told parents on Friday.\n",
            &[("direct", "Classes resume in May,", "the principal", "told")],
        ),
        (
            "rates",
            "Kestrel Bank raised its rates again. Its chief economist said inflation \
             was still too high.\n",
            &[(
                "indirect",
                "inflation was still too high",
                "Its chief economist",
                "said",
            )],
        ),
    ];
    for (id, text, quotes) in &articles {
        let records: Vec<Value> = quotes
            .iter()
            .enumerate()
            .map(|(i, (kind, content, speaker, cue))| {
                // The cue after the content: "said" of "… choice,” said".
                let content_span = span(text, content);
                let after = text
                    .char_indices()
                    .nth(content_span["end"].as_u64().unwrap() as usize)
                    .map_or(text.len(), |(b, _)| b);
                let cue_at = text[after..].find(cue).map(|b| b + after);
                let cue_span = match cue_at {
                    Some(b) => {
                        let start = text[..b].chars().count();
                        json!({"start": start, "end": start + cue.chars().count(), "text": cue})
                    }
                    None => span(text, cue),
                };
                json!({
                    "id": format!("q{}", i + 1), "kind": kind,
                    "content": content_span,
                    "speaker": span(text, speaker),
                    "cue": cue_span,
                })
            })
            .collect();
        dir.write(&format!("corpus/{id}.txt"), text);
        dir.write(
            &format!("corpus/{id}.json"),
            json!({ "quotes": records }).to_string(),
        );
    }
    articles.iter().map(|(id, _, _)| *id).collect()
}

/// The configuration: the server at `base`, a short answer, one request
/// at a time (the server answers one at a time anyway).
fn write_config(dir: &Dir, base: &str) {
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n\n[extractors.smollm2]\nchat = \"{base}\"\nmodel = \"{MODEL}\"\n\
             temperature = 0\nseed = 1\nmax_tokens = 128\njobs = 1\ntimeout = \"600s\"\n\
             article_timeout = \"900s\"\nretries = 1\nretry_delay = \"100ms\"\n\
             price_per_million = {{ prompt = 0.15, completion = 0.60 }}\n"
        ),
    );
}

fn run(dir: &Dir) -> (util::bin::Output, Value) {
    let out = util::bin::quotecheck(dir.path())
        .env("NO_COLOR", "1")
        .args(["run", "--extractor", "smollm2", "--json", "report.json"])
        .output();
    assert!(
        matches!(out.code(), Some(0 | 1)),
        "quotecheck run failed:\n{}\n{}",
        out.lossy(),
        dir.listing()
    );
    let report = dir.json("report.json");
    (out, report)
}

#[test]
fn a_real_model_behind_llama_cpp_python_is_asked_scored_and_cached() {
    if need::llama_server().is_none() {
        return;
    }
    let dir = Dir::new();
    let ids = corpus(&dir);
    let mut server = LlamaServer::start(&dir.join("server.log"));
    write_config(&dir, &server.base);

    let (out, report) = run(&dir);
    // Shown with --nocapture, and when the test fails: the model's figures.
    eprintln!("{}", out.stdout());
    let e = &report["extractors"][0];
    assert_eq!(e["name"], "smollm2", "{e:#}");
    assert_eq!(e["version"], MODEL, "{e:#}");
    let articles = e["articles"].as_array().unwrap();
    assert_eq!(articles.len(), ids.len(), "{e:#}");

    // Every article got an answer the adapter read: quotes, or a reply
    // without them (the tiny model may write anything). Nothing failed on
    // the way: no HTTP error, no time-out.
    let mut all_ok = true;
    for a in articles {
        let status = a["status"].as_str().unwrap();
        assert!(
            status == "ok" || status == "invalid-output",
            "{}: {a:#}\n{}",
            a["id"],
            server.log_text()
        );
        all_ok &= status == "ok";
        assert_eq!(a["cached"], false, "{a:#}");
    }
    assert_eq!(
        out.code(),
        Some(if all_ok { 0 } else { 1 }),
        "{}",
        out.lossy()
    );

    // Structured output worked, or the server refused it and the run fell
    // back (docs/llm-extractors.md): refusals come only before the first
    // answer, for at most the two formats above plain text, each tried
    // 1 + `retries` times when refused with a 500 (llama-cpp-python's
    // server refuses `json_schema` so); each article was answered exactly
    // once.
    let statuses = server.chat_statuses();
    let answered = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(answered, ids.len(), "{statuses:?}\n{}", server.log_text());
    let first = statuses.iter().position(|s| *s == 200).unwrap();
    assert!(first <= 4, "{statuses:?}");
    assert!(statuses[first..].iter().all(|s| *s == 200), "{statuses:?}");

    // Usage, cost and latency come from the server's replies.
    let usage = &e["usage"];
    assert_eq!(usage["requests"], ids.len(), "{e:#}");
    let prompt = usage["prompt_tokens"].as_u64().unwrap();
    let completion = usage["completion_tokens"].as_u64().unwrap();
    assert!(prompt > 0 && completion > 0, "{usage:#}");
    let cost = e["cost"].as_f64().unwrap();
    let expected = (prompt as f64 * 0.15 + completion as f64 * 0.60) / 1e6;
    assert!((cost - expected).abs() < 1e-12, "{cost} vs {expected}");
    let (p50, p95) = (
        e["latency_ms"]["p50"].as_u64().unwrap(),
        e["latency_ms"]["p95"].as_u64().unwrap(),
    );
    assert!(0 < p50 && p50 <= p95, "{e:#}");

    // Every prediction the model gave as text got a fidelity verdict
    // (docs/scoring.md §8), and the extractor's counts add them up.
    let verdicts: Vec<&str> = articles
        .iter()
        .flat_map(|a| a["alignment"].as_array().into_iter().flatten())
        .filter_map(|row| row["fidelity"].as_str())
        .collect();
    let counts = e["fidelity"].as_object().expect("fidelity counts");
    for (verdict, n) in counts {
        let seen = verdicts.iter().filter(|v| **v == verdict.as_str()).count();
        assert_eq!(n.as_u64(), Some(seen as u64), "{verdict}: {e:#}");
    }
    assert_eq!(
        counts.values().filter_map(Value::as_u64).sum::<u64>(),
        verdicts.len() as u64,
        "{e:#}"
    );
    let stdout = out.stdout();
    assert!(
        stdout.contains(&format!(
            "{} asked · tokens: {prompt} prompt, {completion} completion",
            ids.len()
        )),
        "{stdout}"
    );

    // The second run asks only for what failed: every article answered
    // with quotes comes from the cache, scored as before; one the model
    // answered without them (not cached) is asked again, once.
    let failed: Vec<&str> = articles
        .iter()
        .filter(|a| a["status"] != "ok")
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    // The format is found again (docs/llm-extractors.md), so count the
    // answers, not the refusals.
    let before = server.chat_statuses().len();
    let (again, cached) = run(&dir);
    let answered = server.chat_statuses()[before..]
        .iter()
        .filter(|s| **s == 200)
        .count();
    assert_eq!(answered, failed.len(), "{failed:?}\n{}", again.lossy());
    let e2 = &cached["extractors"][0];
    assert_eq!(e2["usage"]["requests"], failed.len(), "{e2:#}");
    for a in e2["articles"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        let was_ok = !failed.contains(&id);
        assert_eq!(a["cached"], was_ok, "{a:#}\n{}", again.lossy());
        if was_ok {
            let first = articles.iter().find(|f| f["id"] == id).unwrap();
            assert_eq!(a["attribution"], first["attribution"], "{id}");
            assert_eq!(a["content"], first["content"], "{id}");
        }
    }
    let from_cache = ids.len() - failed.len();
    if from_cache > 0 {
        assert!(
            again.stdout().contains(&format!(
                "{from_cache} of {} outputs from the cache",
                ids.len()
            )),
            "{}",
            again.stdout()
        );
    }

    // With the server gone, the cached answers still come back: nothing
    // is asked for them.
    server.stop();
    let (_, offline) = run(&dir);
    for a in offline["extractors"][0]["articles"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        assert_eq!(a["cached"], !failed.contains(&id), "{a:#}");
    }
}

/// llama-cpp-python's server (0.3.36) refuses `json_schema` with a 500 whose
/// body is the validation error, as recorded from the real server; the
/// adapter falls back to `json_object` after the retries of a 5xx, once
/// per run. Against the mock server, so it runs everywhere.
#[test]
fn a_500_that_names_response_format_falls_back_like_a_refusal() {
    use util::chat_server::{completion, ChatRequest, ChatServer};
    let server = ChatServer::start(|req, _| match req.format() {
        Some("json_schema") => {
            let message = "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', \
                           'response_format', 'type'), 'msg': \"Input should be 'text' or \
                           'json_object'\", 'input': 'json_schema'}";
            let body = json!({"error": {"message": message, "type": "internal_server_error",
                                        "param": null, "code": null}});
            (500, body.to_string(), vec![])
        }
        _ => completion(
            &json!({"quotes": [{"content": format!("We will stay in town {},", req.id()),
                                "speaker": "the mayor", "cue": "said", "kind": "direct"}]})
            .to_string(),
            10,
            2,
        ),
    });
    let ids = ["a", "b"];
    let dir = util::corpus::town_corpus(&ids, "", true);
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n\n[extractors.llm]\nchat = \"{}\"\nmodel = \"m\"\n\
             jobs = 1\nretries = 1\nretry_delay = \"10ms\"\n",
            server.base
        ),
    );
    let out = util::bin::quotecheck(dir.path())
        .args(["run", "--extractor", "llm", "--json", "report.json"])
        .output();
    assert_eq!(out.code(), Some(0), "{}", out.lossy());
    let report = dir.json("report.json");
    for a in report["extractors"][0]["articles"].as_array().unwrap() {
        assert_eq!(a["status"], "ok", "{a:#}");
        assert_eq!(a["attribution"]["tp"], 1, "{a:#}");
    }
    let formats: Vec<Option<String>> = server
        .seen()
        .iter()
        .map(|s| s.format().map(str::to_string))
        .collect();
    let (schema, object) = (
        Some("json_schema".to_string()),
        Some("json_object".to_string()),
    );
    // The 500 and its one retry, then json_object for both articles.
    assert_eq!(formats, [schema.clone(), schema, object.clone(), object]);

    // A 500 that does not name the format is an error, not a refusal.
    let broken = ChatServer::start(|_, _| util::chat_server::error(500, "out of memory"));
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n\n[extractors.llm]\nchat = \"{}\"\nmodel = \"m\"\n\
             jobs = 1\nretries = 0\n",
            broken.base
        ),
    );
    let out = util::bin::quotecheck(dir.path())
        .args([
            "run",
            "--extractor",
            "llm",
            "--json",
            "report.json",
            "--no-cache",
        ])
        .output();
    assert_eq!(out.code(), Some(1), "{}", out.lossy());
    assert!(broken
        .seen()
        .iter()
        .all(|s| s.format() == Some("json_schema")));
    assert_eq!(broken.seen().len(), ids.len());
}
