//! The chat adapter (`chat = "…/v1"`) through the binary, against a mock
//! OpenAI-compatible server on 127.0.0.1 (`util::chat_server`) with
//! scripted replies: good, fenced, 429 then good, 500, not JSON, slow,
//! huge, and servers that refuse `response_format`. Checked: the request,
//! each article's status and message, usage and cost in the reports, the
//! cache (by counting requests at the server), and that the API key never
//! reaches an output, a report or a cache file.

use crate::util;

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use util::chat_server::{completion, error, ChatRequest, ChatServer, Seen};
use util::Dir;

/// The API key the tests put in the environment.
const KEY: &str = "sk-test-0123456789abcdef";

/// The quote of the article `id` in `util::corpus::town_corpus`.
fn quote(id: &str) -> String {
    format!("We will stay in town {id},")
}

/// The model's answer for `id`, as JSON text.
fn answer(id: &str) -> String {
    json!({"quotes": [{"content": quote(id), "speaker": "the mayor", "cue": "said", "kind": "direct"}]})
        .to_string()
}

/// A folder with the town corpus of `ids` and a `quotecheck.toml`
/// configuring `llm` at `server`, with `extra` lines in its table.
fn project(ids: &[&str], server: &ChatServer, extra: &str) -> Dir {
    let dir = util::corpus::town_corpus(ids, "", true);
    write_config(&dir, server, extra);
    dir
}

fn write_config(dir: &Dir, server: &ChatServer, extra: &str) {
    // The defaults of these tests, unless `extra` sets the key.
    let defaults: String = [
        ("model", "\"mock-model\""),
        ("timeout", "\"2s\""),
        ("retries", "2"),
        ("retry_delay", "\"10ms\""),
    ]
    .iter()
    .filter(|(k, _)| !extra.lines().any(|l| l.starts_with(&format!("{k} ="))))
    .map(|(k, v)| format!("{k} = {v}\n"))
    .collect();
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n\n[extractors.llm]\nchat = \"{}\"\n\
             headers = {{ Authorization = \"env:QC_CHAT_KEY\" }}\n{defaults}{extra}",
            server.base
        ),
    );
}

/// `quotecheck ARGS` in `dir` with the key in the environment.
fn run(dir: &Dir, args: &[&str]) -> util::bin::Output {
    util::bin::quotecheck(dir.path())
        .env("QC_CHAT_KEY", format!("Bearer {KEY}"))
        .args(args)
        .output()
}

/// The extractor's entry of a JSON report.
fn entry(report: &Value) -> &Value {
    &report["extractors"][0]
}

/// An article's entry.
fn article<'a>(report: &'a Value, id: &str) -> &'a Value {
    entry(report)["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no article {id} in {report:#}"))
}

/// Every file under `root`, its path and bytes.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

/// Fails if the key appears in the output or in any file of `dir`.
fn assert_no_key(dir: &Dir, out: &util::bin::Output) {
    assert!(
        !out.lossy().contains(KEY),
        "the key was printed:\n{}",
        out.lossy()
    );
    assert!(!out.lossy().contains("0123456789abcdef"));
    for (path, bytes) in files(dir.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(KEY), "the key is in {path}");
        assert!(
            !text.contains("0123456789abcdef"),
            "part of the key is in {path}"
        );
    }
}

/// The scripted server of the first test, by article id.
fn scripted(req: &Seen, attempt: usize) -> util::chat_server::Answer {
    let id = req.id();
    match id.as_str() {
        "good" => completion(&answer("good"), 100, 20),
        "fenced" => completion(
            &format!(
                "Here are the quotes:\n```json\n{}\n```\nHope this helps.",
                answer("fenced")
            ),
            100,
            20,
        ),
        "ratelimited" if attempt == 1 => {
            let (s, b, _) = error(429, "slow down");
            (s, b, vec![("Retry-After", "1".into())])
        }
        "ratelimited" => completion(&answer("ratelimited"), 100, 20),
        "broken" => error(500, "the model \u{1b}[31mcrashed"),
        "prose" => completion("I am sorry, I found no quotes to list.", 50, 5),
        "slow" => {
            std::thread::sleep(Duration::from_secs(5));
            completion(&answer("slow"), 100, 20)
        }
        "huge" => completion(&"x".repeat(200_000), 100, 20),
        _ => error(400, "unexpected article"),
    }
}

#[test]
fn scripted_replies_are_each_reported_for_what_they_are() {
    let ids = [
        "good",
        "fenced",
        "ratelimited",
        "broken",
        "prose",
        "slow",
        "huge",
    ];
    let server = ChatServer::start(scripted);
    let dir = project(
        &ids,
        &server,
        "temperature = 0\nseed = 7\nmax_tokens = 512\nmax_line = \"100KB\"\n\
         article_timeout = \"8s\"\nprice_per_million = { prompt = 0.15, completion = 0.60 }\n",
    );
    let out = run(
        &dir,
        &["run", "--extractor", "llm", "--json", "report.json"],
    );
    assert_eq!(out.code(), Some(1), "{}", out.lossy());
    let report = dir.json("report.json");

    // The request: the API's route, model, sampling fields, structured
    // output with the schema, the prompt with the article, the header.
    let first = &server.seen()[0];
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(first.body["model"], "mock-model");
    assert_eq!(first.body["temperature"], json!(0.0));
    assert_eq!(first.body["seed"], 7);
    assert_eq!(first.body["max_tokens"], 512);
    assert_eq!(first.format(), Some("json_schema"));
    let schema = &first.body["response_format"]["json_schema"]["schema"];
    assert_eq!(schema["required"], json!(["quotes"]));
    assert_eq!(
        schema["properties"]["quotes"]["items"]["required"],
        json!(["content", "speaker", "cue", "kind"])
    );
    assert_eq!(
        first.header("Authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    let id = first.id();
    assert!(first.prompt().contains(&quote(&id)), "{}", first.prompt());

    // Good and fenced replies are read and their quotes located: each
    // matches its gold quote end to end.
    for id in ["good", "fenced", "ratelimited"] {
        let a = article(&report, id);
        assert_eq!(a["status"], "ok", "{id}: {a:#}");
        assert_eq!(a["attribution"]["tp"], 1, "{id}: {a:#}");
    }
    assert_eq!(server.requests_for("good"), 1);
    // 429 with Retry-After, then the answer.
    assert_eq!(server.requests_for("ratelimited"), 2);
    // 500 is retried (retries = 2), then fails with the server's message,
    // its control characters made visible.
    assert_eq!(server.requests_for("broken"), 3);
    let broken = article(&report, "broken");
    assert_eq!(broken["status"], "error");
    let message = broken["error"].as_str().unwrap();
    assert!(message.contains("500"), "{message}");
    assert!(
        message.contains("the model \\u{1b}[31mcrashed"),
        "{message}"
    );
    assert!(!message.contains('\u{1b}'));
    // A reply without the JSON asked for: invalid-output, with an excerpt.
    let prose = article(&report, "prose");
    assert_eq!(prose["status"], "invalid-output");
    let message = prose["error"].as_str().unwrap();
    assert!(
        message.contains("no JSON object with a `quotes` list"),
        "{message}"
    );
    assert!(message.contains("I found no quotes"), "{message}");
    // Slow: the time-out; huge: over `max_line`.
    assert_eq!(article(&report, "slow")["status"], "timeout");
    assert_eq!(article(&report, "huge")["status"], "output-too-large");

    // Usage: the tokens of every reply that gave them (good, fenced, the
    // second answer to ratelimited, prose; not the huge body, which was not
    // read), priced; latency over the 7 articles asked.
    let e = entry(&report);
    assert_eq!(
        e["usage"],
        json!({"requests": 7, "prompt_tokens": 350, "completion_tokens": 65})
    );
    let cost = e["cost"].as_f64().unwrap();
    assert!(
        (cost - (350.0 * 0.15 + 65.0 * 0.60) / 1e6).abs() < 1e-12,
        "{cost}"
    );
    let (p50, p95) = (
        e["latency_ms"]["p50"].as_u64().unwrap(),
        e["latency_ms"]["p95"].as_u64().unwrap(),
    );
    assert!(p50 <= p95, "{e:#}");
    // The 429 waited for its Retry-After; the slow one for its time-out.
    assert!(p95 >= 1000, "{e:#}");
    let stdout = out.stdout();
    assert!(
        stdout.contains("7 asked · tokens: 350 prompt, 65 completion · cost 0.0001"),
        "{stdout}"
    );
    assert!(stdout.contains("latency p50 "), "{stdout}");
    assert_no_key(&dir, &out);
}

#[test]
fn a_key_the_server_echoes_is_cut_out_of_every_output() {
    let server = ChatServer::start(|req, _| match req.id().as_str() {
        "denied" => error(
            401,
            &format!(
                "Incorrect API key provided: {}",
                req.header("Authorization")
                    .unwrap_or("")
                    .trim_start_matches("Bearer ")
            ),
        ),
        id => completion(&answer(id), 10, 2),
    });
    let dir = project(&["denied", "fine"], &server, "");
    let out = run(
        &dir,
        &[
            "run",
            "--extractor",
            "llm",
            "--json",
            "report.json",
            "--junit",
            "junit.xml",
            "--html",
            "report.html",
        ],
    );
    let report = dir.json("report.json");
    let denied = article(&report, "denied");
    assert_eq!(denied["status"], "error");
    let message = denied["error"].as_str().unwrap();
    assert!(message.contains("401"), "{message}");
    assert!(
        message.contains("Incorrect API key provided: [redacted]"),
        "{message}"
    );
    // 401 is not retried.
    assert_eq!(server.requests_for("denied"), 1);
    assert_eq!(article(&report, "fine")["status"], "ok");
    assert!(dir.join(".quotecheck/cache").is_dir(), "{}", dir.listing());
    assert_no_key(&dir, &out);
}

#[test]
fn a_second_run_asks_only_for_what_failed() {
    let server = ChatServer::start(|req, _| match req.id().as_str() {
        "broken" => error(500, "down"),
        "prose" => completion("no idea", 5, 1),
        id => completion(&answer(id), 10, 2),
    });
    let ids = ["a", "b", "broken", "prose"];
    let dir = project(&ids, &server, "temperature = 0\nretries = 0\n");
    let args = ["run", "--extractor", "llm", "--json", "report.json"];
    run(&dir, &args);
    assert_eq!(server.seen().len(), 4);
    server.clear();

    // Answered articles come from the cache; failures are asked again.
    let out = run(&dir, &args);
    assert_eq!(
        server.requests_for("a") + server.requests_for("b"),
        0,
        "{}",
        out.lossy()
    );
    assert_eq!(server.requests_for("broken"), 1);
    assert_eq!(server.requests_for("prose"), 1);
    let report = dir.json("report.json");
    assert_eq!(article(&report, "a")["cached"], true);
    assert_eq!(article(&report, "a")["attribution"]["tp"], 1);
    // Only the two asked count.
    assert_eq!(entry(&report)["usage"]["requests"], 2);
    assert_eq!(entry(&report)["usage"]["prompt_tokens"], 5);

    // Every request-shaping field is in the key: the temperature …
    server.clear();
    write_config(&dir, &server, "temperature = 0.5\nretries = 0\n");
    run(&dir, &args);
    assert_eq!(server.requests_for("a"), 1);
    // … the model …
    server.clear();
    write_config(
        &dir,
        &server,
        "temperature = 0.5\nretries = 0\nmodel = \"other\"\n",
    );
    run(&dir, &args);
    assert_eq!(server.requests_for("a"), 1);
    assert_eq!(server.seen()[0].body["model"], "other");
    // … and the prompt template's content, not only its name.
    dir.write("prompt.md", "ID={id}\nFind the quotes in: {text}");
    write_config(
        &dir,
        &server,
        "temperature = 0.5\nretries = 0\nprompt = \"prompt.md\"\n",
    );
    server.clear();
    run(&dir, &args);
    assert_eq!(server.requests_for("a"), 1);
    assert!(server.seen()[0].prompt().starts_with("ID="));
    server.clear();
    run(&dir, &args);
    assert_eq!(server.requests_for("a"), 0);
    dir.write("prompt.md", "ID={id}\nList the quotes in: {text}");
    server.clear();
    run(&dir, &args);
    assert_eq!(server.requests_for("a"), 1);
}

/// A server that refuses the structured outputs in `refused` with 400.
fn refusing(refused: &'static [&'static str]) -> ChatServer {
    ChatServer::start(move |req, _| match req.format() {
        Some(f) if refused.contains(&f) => error(
            400,
            &format!("'response_format' of type '{f}' is not supported by this server"),
        ),
        _ => completion(&answer(&req.id()), 10, 2),
    })
}

#[test]
fn a_refused_response_format_falls_back_once_per_run() {
    let ids = ["a", "b", "c"];
    for (refused, formats) in [
        (
            &["json_schema"][..],
            vec![Some("json_schema"), Some("json_object")],
        ),
        (
            &["json_schema", "json_object"][..],
            vec![Some("json_schema"), Some("json_object"), None],
        ),
    ] {
        let server = refusing(refused);
        let dir = project(&ids, &server, "jobs = 1\n");
        let out = run(
            &dir,
            &[
                "run",
                "--extractor",
                "llm",
                "--json",
                "report.json",
                "--no-cache",
            ],
        );
        let report = dir.json("report.json");
        for id in ids {
            assert_eq!(article(&report, id)["status"], "ok", "{}", out.lossy());
        }
        let seen: Vec<Option<String>> = server
            .seen()
            .iter()
            .map(|s| s.format().map(str::to_string))
            .collect();
        // The first article finds the format the server takes; the others
        // are asked in it at once.
        let mut expected: Vec<Option<String>> =
            formats.iter().map(|f| f.map(str::to_string)).collect();
        let settled = expected.last().unwrap().clone();
        expected.extend([settled.clone(), settled]);
        assert_eq!(seen, expected, "refused: {refused:?}");
    }
}

#[test]
fn a_bad_request_that_is_not_about_the_format_fails_its_article() {
    let server = ChatServer::start(|req, _| match req.id().as_str() {
        "long" => error(400, "This model's maximum context length is 8192 tokens"),
        id => completion(&answer(id), 10, 2),
    });
    let dir = project(&["long", "short"], &server, "jobs = 1\n");
    run(
        &dir,
        &["run", "--extractor", "llm", "--json", "report.json"],
    );
    let report = dir.json("report.json");
    let long = article(&report, "long");
    assert_eq!(long["status"], "error");
    assert!(
        long["error"]
            .as_str()
            .unwrap()
            .contains("maximum context length"),
        "{long:#}"
    );
    assert_eq!(server.requests_for("long"), 1);
    // The format in use did not change.
    assert!(server
        .seen()
        .iter()
        .all(|s| s.format() == Some("json_schema")));
    assert_eq!(article(&report, "short")["status"], "ok");
}

#[test]
fn chat_settings_are_checked() {
    let server = ChatServer::start(|_, _| error(500, "unused"));
    let dir = util::corpus::town_corpus(&["a"], "", true);
    let cases = [
        ("chat = \"ftp://x\"\nmodel = \"m\"\n", "`chat` must start with http:// or https://"),
        ("chat = \"http://x/v1\"\n", "`model` is missing"),
        ("chat = \"http://x/v1\"\nmodel = \"m\"\nprompt = \"none.md\"\n", "`prompt`:"),
        (
            "chat = \"http://x/v1\"\nmodel = \"m\"\nprice_per_million = { prompt = -1, completion = 0 }\n",
            "prices must be numbers of 0 or more",
        ),
        ("url = \"http://x\"\nmodel = \"m\"\n", "`model` only applies to `chat` extractors"),
    ];
    for (table, expected) in cases {
        dir.write("quotecheck.toml", format!("[extractors.llm]\n{table}"));
        let out = run(&dir, &["run", "--extractor", "llm"]);
        assert_eq!(out.code(), Some(2), "{table}: {}", out.lossy());
        assert!(out.stderr().contains(expected), "{table}: {}", out.stderr());
    }
    dir.write("nokey.md", "Quotes, please.");
    write_config(&dir, &server, "prompt = \"nokey.md\"\n");
    let out = run(&dir, &["run", "--extractor", "llm"]);
    assert!(out.stderr().contains("has no `{text}`"), "{}", out.stderr());
    assert!(server.seen().is_empty());
}

/// A stand-in for a model, for the sessions of docs/llm-extractors.md:
/// every passage of the article between “ and ” is a direct quote, with
/// no speaker or cue. Token counts are words, so they are the same on
/// every run.
fn quoting_model(req: &Seen, _: usize) -> util::chat_server::Answer {
    let prompt = req.prompt();
    let text = prompt.split_once(":\n\n").map_or(prompt, |(_, t)| t);
    let mut quotes = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('“') {
        let after = &rest[open + '“'.len_utf8()..];
        let Some(close) = after.find('”') else {
            break;
        };
        quotes.push(
            json!({"content": &after[..close], "speaker": null, "cue": null, "kind": "direct"}),
        );
        rest = &after[close..];
    }
    let content = json!({ "quotes": quotes }).to_string();
    let words = |s: &str| s.split_whitespace().count() as u64;
    completion(&content, words(prompt), words(&content))
}

/// `latency p50 12ms, p95 40ms` with the figures as `N`: the one part of
/// the terminal report that differs between runs.
fn without_latency(output: &str) -> String {
    let mut out = String::new();
    for line in output.lines() {
        match line.find("latency p50 ") {
            Some(at) => out.push_str(&format!("{}latency p50 Nms, p95 Nms", &line[..at])),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn llm_page_sessions_are_real() {
    let page = std::fs::read_to_string(util::repo().join("docs/llm-extractors.md")).unwrap();
    let server = ChatServer::start(quoting_model);
    let dir = Dir::new();
    util::dir::copy_tree(&util::repo().join("corpus"), &dir.join("corpus"));
    // The page's configuration, with the mock server's address.
    let toml = page
        .split("```toml\n")
        .skip(1)
        .map(|b| &b[..b.find("```").unwrap()])
        .find(|b| b.contains("[extractors.mock]"))
        .expect("the page configures `mock`");
    dir.write(
        "quotecheck.toml",
        toml.replace("http://127.0.0.1:8080/v1", &server.base),
    );
    let sessions = util::docs::sessions(&page);
    assert!(!sessions.is_empty());
    // With QUOTECHECK_REGENERATE set, the page is rewritten with the real
    // outputs instead (then review the diff), as for the other pages.
    let regenerate = std::env::var_os("QUOTECHECK_REGENERATE").is_some();
    let mut rewritten = page.clone();
    for (command, shown) in sessions {
        let args: Vec<&str> = command.split_whitespace().collect();
        let printed = util::bin::quotecheck(dir.path())
            .env("NO_COLOR", "1")
            .env("MOCK_API_KEY", KEY)
            .args(&args)
            .output();
        assert_no_key(&dir, &printed);
        if regenerate {
            let block = format!("$ quotecheck {command}\n{shown}```");
            let at = rewritten.find(&block).unwrap();
            let new = format!("$ quotecheck {command}\n{}```", printed.lossy());
            rewritten.replace_range(at..at + block.len(), &new);
            continue;
        }
        assert_eq!(
            without_latency(&printed.lossy()),
            without_latency(&shown),
            "docs/llm-extractors.md: `quotecheck {command}` printed something else"
        );
    }
    if regenerate {
        std::fs::write(util::repo().join("docs/llm-extractors.md"), rewritten).unwrap();
    }
    assert!(!server.seen().is_empty());
}

#[test]
fn merged_shards_add_up_their_tokens_and_cost() {
    let server = ChatServer::start(|req, _| completion(&answer(&req.id()), 10, 2));
    let ids = ["a", "b", "c", "d"];
    let dir = project(
        &ids,
        &server,
        "price_per_million = { prompt = 1, completion = 2 }\n",
    );
    for k in ["1", "2"] {
        let shard = format!("{k}/2");
        let json = format!("part-{k}.json");
        run(
            &dir,
            &[
                "run",
                "--extractor",
                "llm",
                "--shard",
                &shard,
                "--json",
                &json,
            ],
        );
    }
    let out = run(
        &dir,
        &[
            "merge",
            "part-1.json",
            "part-2.json",
            "--json",
            "merged.json",
        ],
    );
    assert_eq!(out.code(), Some(0), "{}", out.lossy());
    let merged = dir.json("merged.json");
    let e = entry(&merged);
    assert_eq!(
        e["usage"],
        json!({"requests": 4, "prompt_tokens": 40, "completion_tokens": 8})
    );
    assert!(
        (e["cost"].as_f64().unwrap() - 56.0 / 1e6).abs() < 1e-15,
        "{e:#}"
    );
    // Percentiles of the parts do not make the whole's.
    assert!(e.get("latency_ms").is_none(), "{e:#}");
    assert_eq!(server.seen().len(), 4);
}
