//! The example sessions in the documentation are real: every ```text block
//! that starts with `$ quotecheck …` is run — from the repository root, or,
//! on a page whose sessions write files, one after the other in a copy of
//! the project — and what it prints (standard output, then standard error)
//! must be exactly what the page shows. A page shows a `quotecheck` session
//! no other way ([`every_session_shown_is_run`]).

use std::path::Path;

use crate::util;

/// Runs the sessions of `page` in `dir`, in order, and fails on the first
/// whose output is not the one shown. With `QUOTECHECK_REGENERATE` set, the
/// page is rewritten with the real outputs instead (then review the diff).
/// A session for which `ready(command)` is false is neither run nor
/// rewritten: it needs what this machine lacks, and `ready` applies
/// [`util::need`]'s rule.
fn check_sessions(page: &str, dir: &Path, ready: &dyn Fn(&str) -> bool) {
    let regenerate = std::env::var_os("QUOTECHECK_REGENERATE").is_some();
    let path = util::repo().join(page);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rewritten = String::new();
    let mut rest = text.as_str();
    let mut found = 0;
    while let Some(at) = rest.find("```text\n$ quotecheck ") {
        let start = at + "```text\n".len();
        rewritten.push_str(&rest[..start]);
        let block = &rest[start..];
        let end = block.find("```").unwrap();
        let (command_line, shown) = block[..end].split_once('\n').unwrap();
        let command = command_line.strip_prefix("$ quotecheck ").unwrap();
        found += 1;
        let printed = if ready(command) {
            run(dir, command)
        } else {
            shown.to_string()
        };
        if !regenerate {
            assert_eq!(
                printed, shown,
                "{page}: `quotecheck {command}` printed something else"
            );
        }
        rewritten.push_str(command_line);
        rewritten.push('\n');
        rewritten.push_str(&printed);
        rest = &block[end..];
    }
    rewritten.push_str(rest);
    assert!(found > 0, "{page} has no example session");
    if regenerate {
        std::fs::write(&path, rewritten).unwrap();
    }
}

/// Runs the sessions of `page` from the repository's root.
fn check_page(page: &str) {
    check_sessions(page, &util::repo(), &|_| true);
}

/// What `quotecheck COMMAND` prints in `dir`, as a terminal shows it.
fn run(dir: &Path, command: &str) -> String {
    let args: Vec<&str> = command.split_whitespace().collect();
    util::bin::quotecheck(dir)
        .inherit()
        .remove("CI")
        .env("NO_COLOR", "1")
        .args(&args)
        .output()
        .lossy()
}

#[test]
fn scoring_page_sessions_are_real() {
    check_page("docs/scoring.md");
}

#[test]
fn compare_page_sessions_are_real() {
    // Its sessions write reports: in a copy of the project.
    let dir = util::Dir::new();
    for part in ["corpus", "docs/examples"] {
        util::dir::copy_tree(&util::repo().join(part), &dir.join(part));
    }
    dir.write(
        "quotecheck.toml",
        std::fs::read(util::repo().join("quotecheck.toml")).unwrap(),
    );
    check_sessions("docs/compare.md", dir.path(), &|_| true);
}

#[test]
fn extractors_page_sessions_are_real() {
    check_page("docs/extractors.md");
}

#[test]
fn readme_sessions_are_real() {
    // Its compare session runs textacy (examples/textacy/).
    check_sessions("README.md", &util::repo(), &|command| {
        !command.contains("textacy") || util::need::textacy()
    });
}

#[test]
fn curation_page_sessions_are_real() {
    // Drafting and promoting write gold: in a copy of the project.
    let dir = util::Dir::new();
    util::dir::copy_tree(&util::repo().join("corpus"), &dir.join("corpus"));
    dir.write(
        "quotecheck.toml",
        std::fs::read(util::repo().join("quotecheck.toml")).unwrap(),
    );
    check_sessions("docs/curation.md", dir.path(), &|_| true);
}

/// The most lines a plain `quotecheck run` on the project prints: the
/// summary, not the diffs (`--diffs N` adds them).
const PLAIN_RUN_LINES: usize = 80;

#[test]
fn a_plain_run_on_the_project_prints_at_most_80_lines() {
    let dir = util::Dir::new();
    for part in ["corpus", "snapshots"] {
        util::dir::copy_tree(&util::repo().join(part), &dir.join(part));
    }
    dir.write(
        "quotecheck.toml",
        std::fs::read(util::repo().join("quotecheck.toml")).unwrap(),
    );
    let run = |args: &[&str]| {
        let out = util::bin::quotecheck(dir.path())
            .args(["run"].iter().chain(args))
            .output();
        assert_eq!(out.code(), Some(0), "{}", out.lossy());
        out
    };
    let out = run(&[]);
    let lines = out.lossy().lines().count();
    assert!(
        lines <= PLAIN_RUN_LINES,
        "a plain `quotecheck run` printed {lines} lines (at most {PLAIN_RUN_LINES}):\n{}",
        out.lossy()
    );
    // The summary is all there: figures, worst articles, snapshots.
    let stdout = out.stdout();
    for part in [
        "baseline 0.1.0\n",
        "  end-to-end ",
        "  worst articles by end-to-end F1:\n",
        "  baseline: 9 unchanged\n",
    ] {
        assert!(stdout.contains(part), "{part:?} missing:\n{stdout}");
    }
    // The diffs are behind --diffs.
    assert!(!stdout.contains("--- gold/"), "{stdout}");
    // The worst article first.
    let stdout = run(&["--diffs", "1"]).stdout();
    assert!(
        stdout.contains("--- gold/world/bremen-hansewerft\n"),
        "{stdout}"
    );
}

#[test]
fn python_extractor_page_sessions_are_real() {
    check_sessions("docs/python.md", &util::repo(), &|_| util::need::textacy());
}

// The contracts' pages (docs/corpus.md, docs/protocol.md, docs/scoring.md)
// and the paths every page names: their examples are read by quotecheck,
// their versions are the build's, their links resolve.

/// The fenced blocks of `page` whose info string is exactly `lang`.
fn fenced_blocks(page: &str, lang: &str) -> Vec<String> {
    let text = std::fs::read_to_string(util::repo().join(page)).unwrap();
    fenced(&text)
        .into_iter()
        .filter(|(info, _)| info == lang)
        .map(|(_, block)| block)
        .collect()
}

/// Every fenced block of `text`: its info string and its lines.
fn fenced(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        match &mut open {
            Some(_) if line.starts_with("```") => blocks.extend(open.take()),
            Some((_, block)) => {
                block.push_str(line);
                block.push('\n');
            }
            None if line.starts_with("```") => {
                let info = line.trim_start_matches('`').trim();
                open = Some((info.to_string(), String::new()));
            }
            None => {}
        }
    }
    blocks
}

/// The pages whose sessions a test runs, and where.
const SESSION_PAGES: [(&str, &str); 9] = [
    ("README.md", "readme_sessions_are_real"),
    ("docs/compare.md", "compare_page_sessions_are_real"),
    ("docs/curation.md", "curation_page_sessions_are_real"),
    ("docs/extractors.md", "extractors_page_sessions_are_real"),
    ("docs/llm-extractors.md", "chat::llm_page_sessions_are_real"),
    (
        "docs/import.md",
        "import::the_sessions_in_docs_import_md_are_real",
    ),
    ("docs/python.md", "python_extractor_page_sessions_are_real"),
    ("docs/scoring.md", "scoring_page_sessions_are_real"),
    (
        "docs/snapshots.md",
        "snapshots_cycle::docs_snapshots_page_sessions_are_real",
    ),
];

/// Whether `line` is a `quotecheck` command at a prompt (`$ quotecheck …`,
/// `$ CI=true quotecheck …`).
fn is_quotecheck_prompt(line: &str) -> bool {
    line.strip_prefix("$ ").is_some_and(|command| {
        command
            .split_whitespace()
            .find(|w| !w.contains('='))
            .is_some_and(|program| program == "quotecheck")
    })
}

#[test]
fn every_session_shown_is_run() {
    let root = util::repo();
    let mut unchecked = Vec::new();
    for page in checked_pages() {
        let name = page.strip_prefix(&root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&page).unwrap();
        for (info, block) in fenced(&text) {
            let Some(prompt) = block.lines().find(|l| is_quotecheck_prompt(l)) else {
                continue;
            };
            let run = info == "text"
                && block.starts_with("$ ")
                && SESSION_PAGES.iter().any(|(p, _)| *p == name);
            if !run {
                unchecked.push(format!("{name}: ```{info} block with `{prompt}`"));
            }
        }
    }
    assert!(
        unchecked.is_empty(),
        "sessions that no test runs (show a session as a ```text block starting with \
         `$ quotecheck`, on a page whose sessions a test runs, or a command without its \
         output as a ```sh block without `$ `):\n  {}",
        unchecked.join("\n  ")
    );
}

/// The article `id` of the project's corpus.
fn corpus_article(id: &str) -> quotecheck::corpus::Article {
    let corpus = quotecheck::corpus::Corpus::open(util::repo().join("corpus")).unwrap();
    let found = corpus.items().find_map(|item| match item {
        quotecheck::corpus::Item::Article { article, .. } if article.id.as_str() == id => {
            Some(article)
        }
        _ => None,
    });
    found.unwrap_or_else(|| panic!("corpus/ has no article {id}"))
}

/// Fails on any error or warning among `issues` (notes are fine).
fn assert_no_problems(what: &str, issues: &[quotecheck::corpus::Issue]) {
    use quotecheck::corpus::Severity;
    let problems: Vec<String> = issues
        .iter()
        .filter(|i| matches!(i.severity, Severity::Error | Severity::Warning))
        .map(|i| format!("{}: {}", i.code, i.message))
        .collect();
    assert!(problems.is_empty(), "{what}: {problems:#?}");
}

#[test]
fn corpus_page_examples_are_read_as_valid() {
    use quotecheck::corpus::{resolve_output, Corpus, Item};
    use quotecheck::extract::{Extractor, FailureKind, Replay};
    use serde_json::Value;

    let page = "docs/corpus.md";
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for block in fenced_blocks(page, "json") {
        let value: Value = serde_json::from_str(&block)
            .unwrap_or_else(|e| panic!("{page}: a json block is not JSON ({e}):\n{block}"));
        if let Some(id) = value.get("article").and_then(Value::as_str) {
            // A gold file: next to its article's text, as a corpus of one.
            let dir = util::Dir::new();
            let seed = corpus_article(id);
            dir.write(&format!("c/{id}.txt"), &seed.text);
            dir.write(&format!("c/{id}.json"), &block);
            let items: Vec<Item> = Corpus::open(dir.join("c")).unwrap().items().collect();
            let [Item::Article { article, issues }] = &items[..] else {
                panic!("{page}: the gold example does not load: {items:#?}")
            };
            assert_no_problems(&format!("{page}: the gold example"), issues);
            let gold = article.gold.as_ref().expect("annotated");
            assert_eq!(gold.quotes.len(), value["quotes"].as_array().unwrap().len());
            // Its records are the corpus's own, offsets and all.
            let real = seed.gold.expect("the seed article is annotated");
            for q in &gold.quotes {
                assert!(
                    real.quotes.contains(q),
                    "{page}: {} differs from corpus/",
                    q.id
                );
            }
            *seen.entry("gold").or_default() += 1;
        } else if value.get("quotes").is_some() && value.get("id").is_none() {
            // A prediction file, for the seed article.
            let seed = corpus_article("bbc-libya-us-talks");
            let set = resolve_output(&value, &seed.text, page, seed.id.as_str(), None)
                .unwrap_or_else(|e| panic!("{page}: the predictions do not resolve: {e:#?}"));
            assert_no_problems(&format!("{page}: the predictions"), &set.issues);
            assert_eq!(set.quotes.len(), value["quotes"].as_array().unwrap().len());
            assert!(set.quotes.iter().all(|p| !p.content.is_empty()));
            *seen.entry("predictions").or_default() += 1;
        } else {
            panic!("{page}: a json block of no known kind:\n{block}");
        }
    }
    for block in fenced_blocks(page, "jsonl") {
        let lines: Vec<Value> = block
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{page}: {e}: {l}")))
            .collect();
        let dir = util::Dir::new();
        if lines.iter().all(|l| l.get("text").is_some()) {
            // A JSON-lines corpus.
            dir.write("c.jsonl", &block);
            let items: Vec<Item> = Corpus::open(dir.join("c.jsonl")).unwrap().items().collect();
            assert_eq!(items.len(), lines.len());
            for (item, line) in items.iter().zip(&lines) {
                let Item::Article { article, issues } = item else {
                    panic!("{page}: a corpus line does not load: {item:#?}")
                };
                assert_no_problems(&format!("{page}: corpus line {}", article.id), issues);
                let quotes = line.get("quotes").and_then(Value::as_array);
                assert_eq!(
                    article.gold.as_ref().map(|g| g.quotes.len()),
                    quotes.map(Vec::len)
                );
            }
            *seen.entry("corpus lines").or_default() += 1;
        } else {
            // A replay, scored against the project's corpus.
            dir.write("r.jsonl", &block);
            let replay = Replay::open("docs", dir.join("r.jsonl")).unwrap();
            for line in &lines {
                let article = corpus_article(line["id"].as_str().unwrap());
                match (replay.extract(&article), line.get("error")) {
                    (Err(f), Some(error)) => {
                        assert_eq!(f.kind, FailureKind::Error);
                        assert_eq!(Some(f.message.as_str()), error.as_str());
                    }
                    (Ok(out), None) => {
                        assert_no_problems(&format!("{page}: replay {}", article.id), &out.issues);
                        assert_eq!(out.quotes.len(), line["quotes"].as_array().unwrap().len());
                    }
                    (got, _) => panic!("{page}: replay line {line} gives {got:?}"),
                }
            }
            assert_no_problems(&format!("{page}: the replay"), &replay.finish(&|_| true));
            *seen.entry("replay").or_default() += 1;
        }
    }
    let kinds: Vec<&str> = seen.keys().copied().collect();
    assert_eq!(kinds, ["corpus lines", "gold", "predictions", "replay"]);
}

/// A local HTTP server for [`protocol_page_examples_are_read_as_valid`]:
/// answers a GET or POST of `/N` with `bodies[N]` and keeps every POSTed
/// body. One request a connection, which is all the client needs.
fn serve_bodies(bodies: Vec<String>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let posted = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = std::sync::Arc::clone(&posted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            reader.read_line(&mut first).unwrap();
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = header.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap();
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            if first.starts_with("POST") {
                kept.lock().unwrap().push(String::from_utf8(body).unwrap());
            }
            let path = first.split(' ').nth(1).unwrap_or("/");
            let answer = path
                .trim_start_matches('/')
                .parse::<usize>()
                .ok()
                .and_then(|n| bodies.get(n));
            let (status, body) = match answer {
                Some(b) => ("200 OK", b.as_str()),
                None => ("404 Not Found", ""),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (base, posted)
}

#[test]
fn protocol_page_examples_are_read_as_valid() {
    use quotecheck::extract::{Extractor, FailureKind, Http};
    use serde_json::Value;

    let page = "docs/protocol.md";
    let blocks = fenced_blocks(page, "json");
    let values: Vec<Value> = blocks
        .iter()
        .map(|b| serde_json::from_str(b).unwrap_or_else(|e| panic!("{page}: {e}:\n{b}")))
        .collect();
    let (base, posted) = serve_bodies(blocks.clone());
    let seed = corpus_article("bbc-libya-us-talks");
    let mut requests = Vec::new();
    let (mut handshakes, mut responses) = (0, 0);
    for (n, value) in values.iter().enumerate() {
        let url = format!("{base}/{n}");
        if value.get("quotecheck").is_some() {
            // A handshake, read as an endpoint's (the same object a
            // worker's first line holds).
            let endpoint = Http::new("docs", format!("{base}/none")).handshake_url(&url);
            endpoint
                .check()
                .unwrap_or_else(|e| panic!("{page}: handshake {value} refused: {e}"));
            assert_eq!(endpoint.version(), value["version"].as_str());
            handshakes += 1;
        } else if value.get("text").is_some() {
            requests.push(value);
        } else {
            assert_eq!(
                value["id"].as_str(),
                Some(seed.id.as_str()),
                "{page}: {value}"
            );
            let got = Http::new("docs", &url).retries(0).extract(&seed);
            match (got, value.get("error")) {
                (Err(f), Some(error)) => {
                    assert_eq!(f.kind, FailureKind::Error);
                    assert_eq!(Some(f.message.as_str()), error.as_str());
                }
                (Ok(out), None) => {
                    assert_no_problems(&format!("{page}: response {n}"), &out.issues);
                    assert_eq!(out.quotes.len(), value["quotes"].as_array().unwrap().len());
                }
                (got, _) => panic!("{page}: response {value} gives {got:?}"),
            }
            responses += 1;
        }
    }
    assert!(
        handshakes >= 2 && responses >= 2,
        "{page}: examples missing"
    );
    // What quotecheck sends has the fields of the page's request.
    let [request] = &requests[..] else {
        panic!("{page}: one request example expected, found {requests:?}")
    };
    let sent: Vec<Value> = posted
        .lock()
        .unwrap()
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    assert!(!sent.is_empty());
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    for body in &sent {
        assert_eq!(keys(body), keys(request));
        assert_eq!(body["id"], request["id"]);
        assert_eq!(body["text"].as_str(), Some(seed.text.as_str()));
    }
    // Every configuration example is a valid quotecheck.toml.
    let tomls = fenced_blocks(page, "toml");
    assert!(!tomls.is_empty());
    for block in tomls {
        let dir = util::Dir::new();
        dir.write("quotecheck.toml", &block);
        quotecheck::config::Config::read(&dir.join("quotecheck.toml"))
            .unwrap_or_else(|e| panic!("{page}: {e}:\n{block}"));
    }
}

/// `(major, minor, update)` as the page writes it.
fn version_string(
    (a, b, c): (
        impl std::fmt::Display,
        impl std::fmt::Display,
        impl std::fmt::Display,
    ),
) -> String {
    format!("{a}.{b}.{c}")
}

#[test]
fn scoring_page_names_the_unicode_versions_of_the_build() {
    let text = std::fs::read_to_string(util::repo().join("docs/scoring.md")).unwrap();
    let expected = [
        (
            "`char::UNICODE_VERSION`",
            version_string(char::UNICODE_VERSION),
        ),
        (
            "`unicode_script::UNICODE_VERSION`",
            version_string(unicode_script::UNICODE_VERSION),
        ),
    ];
    for (marker, version) in expected {
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with('|') && l.contains(marker))
            .collect();
        assert!(
            !rows.is_empty(),
            "docs/scoring.md has no table row naming {marker}"
        );
        for row in rows {
            let last = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
            assert_eq!(
                last, version,
                "docs/scoring.md says Unicode {last} for {marker}, but this build uses {version}: update the table"
            );
        }
    }
    // The toolchain and the crate it names are the pinned ones.
    let toolchain = std::fs::read_to_string(util::repo().join("rust-toolchain.toml")).unwrap();
    let channel = toolchain
        .lines()
        .find_map(|l| l.trim().strip_prefix("channel = "))
        .expect("rust-toolchain.toml names a channel")
        .trim_matches('"');
    assert!(
        text.contains(&format!("Rust {channel} standard library")),
        "docs/scoring.md must name the pinned toolchain, Rust {channel}"
    );
    let lock = std::fs::read_to_string(util::repo().join("Cargo.lock")).unwrap();
    let script = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"unicode-script\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .expect("Cargo.lock has unicode-script")
        .trim_matches('"');
    assert!(
        text.contains(&format!("unicode-script {script}")),
        "docs/scoring.md must name the locked unicode-script, {script}"
    );
}

/// Every `.md` file the link check reads: README.md, ARCHITECTURE.md and
/// docs/ (with its sub-folders).
fn checked_pages() -> Vec<std::path::PathBuf> {
    let root = util::repo();
    let mut pages = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    let mut stack = vec![root.join("docs")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
}

/// `text` without its fenced code blocks (their lines become empty).
fn without_fences(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The inline code spans of `text` (no fenced blocks): runs of backticks
/// open and close spans, which may cross a line break.
fn code_spans(text: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&c| c == '`').count();
        let start = i + run;
        let mut j = start;
        let mut end = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let n = chars[j..].iter().take_while(|&&c| c == '`').count();
                if n == run {
                    end = Some(j);
                    break;
                }
                j += n;
            } else {
                j += 1;
            }
        }
        match end {
            Some(e) => {
                spans.push(
                    chars[start..e]
                        .iter()
                        .collect::<String>()
                        .replace('\n', " "),
                );
                i = e + run;
            }
            None => i = start,
        }
    }
    spans
}

/// The targets of the inline links `[text](target)` of `text`.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].trim().to_string());
        }
    }
    out
}

#[test]
fn links_and_paths_in_the_docs_resolve() {
    let root = util::repo();
    // Paths under what git ignores (`target/`, `.quotecheck/`…) are made
    // by running things, not kept in the repository.
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    let ignored: Vec<&str> = gitignore
        .lines()
        .filter_map(|l| l.trim().strip_prefix('/'))
        // `python/.venv*` ignores `python/.venv-build` too.
        .map(|l| l.trim_end_matches('*'))
        .collect();
    let top: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".git" && !ignored.contains(&name.as_str()))
        .collect();
    let path_like = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
    };
    let mut broken = Vec::new();
    for page in checked_pages() {
        let name = page.strip_prefix(&root).unwrap().display().to_string();
        let folder = page.parent().unwrap().to_path_buf();
        let text = without_fences(&std::fs::read_to_string(&page).unwrap());
        for target in link_targets(&text) {
            let target = target.split_whitespace().next().unwrap_or("");
            let path = target.split('#').next().unwrap();
            if path.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            if !folder.join(path).exists() {
                broken.push(format!("{name}: link ({target})"));
            }
        }
        for span in code_spans(&text) {
            let span = span.trim();
            if !path_like(span) || ignored.iter().any(|i| span.starts_with(i)) {
                continue;
            }
            let resolves = match span.split_once('/') {
                // A path from the repository's root, when it starts at one
                // of the root's entries.
                Some((first, _)) if top.iter().any(|t| t == first) => root.join(span).exists(),
                Some(_) => continue,
                // A bare page name: next to the page, or at the root.
                None if span.ends_with(".md") => {
                    folder.join(span).exists() || root.join(span).exists()
                }
                None => continue,
            };
            if !resolves {
                broken.push(format!("{name}: `{span}`"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "paths and links that name nothing in the repository:\n  {}",
        broken.join("\n  ")
    );
}
