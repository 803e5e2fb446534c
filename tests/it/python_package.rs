//! The Python distribution quotecheck-eval (`pyproject.toml`, `python/`),
//! as a Python team meets it: the wheel built with maturin and installed
//! into a fresh virtualenv by `python/setup.sh` (which `.ci/run` runs
//! first), its `quotecheck` command, and a worker written as one function
//! served by `quotecheck_eval.serve`, run by that command on a small
//! corpus. Without the virtualenv these tests fail under CI and are skipped
//! elsewhere (`util::need`).

use crate::util;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use util::{cp, need, Dir};

/// A worker in one function: the first "…" of an article is a direct
/// quote, said by the nine characters after it. Raises on articles that ask
/// for it, and prints on stdout, which must not reach the protocol.
const WORKER: &str = r#"from quotecheck_eval import ArticleError, Quote, Span, serve


def extract(text: str) -> list:
    print("a stray print from", __name__)
    if "REFUSE" in text:
        raise ArticleError("refused: no quotes here")
    if "BOOM" in text:
        raise ValueError("boom")
    start = text.index('"') + 1
    end = text.index('"', start)
    return [Quote(content=Span(start, end), speaker=(end + 2, end + 11), kind="direct")]


if __name__ == "__main__":
    serve(extract, name="tiny", version="1.2")
"#;

/// Articles whose texts have code points of 1 to 4 bytes before their
/// quote, so that byte and code-point offsets differ.
const ARTICLES: [(&str, &str); 4] = [
    ("emoji", "Zoë 🎉 wrote: \"We will stay,\" the mayor said.\n"),
    ("plain", "\"Go home,\" the mayor said today.\n"),
    ("refused", "REFUSE \"Go,\" the mayor said.\n"),
    ("broken", "BOOM \"Stop,\" the mayor said.\n"),
];

/// A folder with the worker, the corpus of [`ARTICLES`] (each with its
/// quote and speaker as gold) and a configuration that runs the worker
/// with the virtualenv's Python.
fn project(venv: &Path) -> Dir {
    let dir = Dir::new();
    dir.write("worker.py", WORKER);
    for (id, text) in ARTICLES {
        let quote = text.split('"').nth(1).unwrap();
        let gold = json!({"quotes": [{
            "id": "q1", "kind": "direct", "cue": null,
            "content": cp(text, quote),
            "speaker": cp(text, "the mayor"),
        }]});
        dir.write(&format!("corpus/{id}.txt"), text);
        dir.write(&format!("corpus/{id}.json"), gold.to_string());
    }
    let python = venv.join("bin/python");
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n\n[extractors.tiny]\ncommand = [{}, \"worker.py\"]\n",
            toml::Value::String(python.display().to_string())
        ),
    );
    dir
}

/// The installed command, run in `dir` with a clean environment.
fn installed(venv: &Path, dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(venv.join("bin/quotecheck"))
        .current_dir(dir)
        .env_clear()
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_installed_command_is_this_build() {
    let Some(venv) = need::python_package() else {
        return;
    };
    let out = installed(&venv, &util::repo(), &["--version"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("quotecheck {}\n", env!("CARGO_PKG_VERSION"))
    );
    // The package finds it, and `python -m quotecheck_eval` runs it.
    let python = venv.join("bin/python");
    let found = Command::new(&python)
        .args([
            "-c",
            "import quotecheck_eval; print(quotecheck_eval.binary())",
        ])
        .output()
        .unwrap();
    assert!(found.status.success(), "{found:?}");
    assert_eq!(
        Path::new(String::from_utf8(found.stdout).unwrap().trim()),
        venv.join("bin/quotecheck")
    );
    let module = Command::new(&python)
        .args(["-m", "quotecheck_eval", "--version"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(module.stdout).unwrap(),
        format!("quotecheck {}\n", env!("CARGO_PKG_VERSION"))
    );
    // Typed: the marker file ships in the package.
    let typed = Command::new(&python)
        .args([
            "-c",
            "import pathlib, quotecheck_eval; \
             print((pathlib.Path(quotecheck_eval.__file__).parent / 'py.typed').is_file())",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(typed.stdout).unwrap(), "True\n");
}

/// The installed command runs a one-function worker on a corpus: offsets
/// in code points come out right, each exception fails its own article
/// with its message, and a stray print is no protocol fault.
#[test]
fn the_installed_command_scores_a_one_function_worker() {
    let Some(venv) = need::python_package() else {
        return;
    };
    let dir = project(&venv);
    let out = installed(&venv, dir.path(), &["run", "--no-cache", "--json", "-"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // 1: two articles failed (no snapshots accept their failures).
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &report["extractors"][0];
    assert_eq!(e["name"], "tiny");
    assert_eq!(e["version"], "1.2");
    assert_eq!(e["status"], "ok", "{e}");
    let by_id = |id: &str| {
        e["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing: {e}"))
            .clone()
    };
    for id in ["emoji", "plain"] {
        let a = by_id(id);
        assert_eq!(a["status"], "ok", "{a}");
        assert_eq!(a["attribution"], json!({"tp": 1, "fp": 0, "fn": 0}), "{a}");
        assert_eq!(a["issues"], json!([]), "{a}");
    }
    let refused = by_id("refused");
    assert_eq!(refused["status"], "error");
    let message = refused["error"].as_str().unwrap();
    assert!(message.starts_with("refused: no quotes here"), "{message}");
    let broken = by_id("broken");
    assert_eq!(broken["status"], "error");
    let message = broken["error"].as_str().unwrap();
    // The traceback goes to stderr (a_one_function_worker_speaks_the_protocol
    // reads it there): the tail quotecheck adds to the message is what its
    // reader had seen when the answer came, which depends on timing.
    assert!(message.starts_with("ValueError: boom"), "{message}");
    assert_eq!(e["micro"]["attribution"]["tp"], 2, "{e}");
    assert_eq!(e["micro"]["attribution"]["fn"], 2, "{e}");
    // No line on stdout but the protocol's.
    assert!(!stderr.contains("stray-output"), "{stderr}");
}

/// The protocol as the worker speaks it: the handshake, one answer per
/// request with code-point offsets, a bad line logged and skipped, and a
/// clean exit when stdin closes.
#[test]
fn a_one_function_worker_speaks_the_protocol() {
    let Some(venv) = need::python_package() else {
        return;
    };
    let dir = project(&venv);
    let mut child = Command::new(venv.join("bin/python"))
        .arg("worker.py")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (_, text) = ARTICLES[0];
    writeln!(stdin, "not a request").unwrap();
    writeln!(stdin, "{}", json!({"id": "emoji", "text": text})).unwrap();
    writeln!(stdin, "{}", json!({"id": "x", "text": "BOOM"})).unwrap();
    drop(stdin);
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exits 0 at the end of stdin: {stderr}"
    );
    let quote = cp(text, "We will stay,");
    let speaker = cp(text, "the mayor");
    assert_eq!(
        lines,
        [
            json!({"quotecheck": 1, "name": "tiny", "version": "1.2", "offsets": "codepoint"}),
            json!({"id": "emoji", "quotes": [{
                "content": {"start": quote["start"], "end": quote["end"]},
                "speaker": {"start": speaker["start"], "end": speaker["end"]},
                "kind": "direct",
            }]}),
            json!({"id": "x", "error": "ValueError: boom"}),
        ],
        "{stderr}"
    );
    assert!(stderr.contains("not a request"), "{stderr}");
    assert!(stderr.contains("a stray print"), "{stderr}");
    // One exception: its traceback on stderr, its message on stdout.
    assert!(stderr.contains("Traceback"), "{stderr}");
    assert!(stderr.contains("ValueError: boom"), "{stderr}");
}

/// The ten-line worker of docs/python.md, as it stands on the page, run by
/// the installed command on the corpus of [`ARTICLES`]: it finds every
/// quote of the articles that do not raise.
#[test]
fn the_ten_line_worker_of_the_docs_runs() {
    let Some(venv) = need::python_package() else {
        return;
    };
    let page = std::fs::read_to_string(util::repo().join("docs/python.md")).unwrap();
    let section = page
        .split_once("## A worker in ten lines\n")
        .expect("docs/python.md has the section")
        .1;
    let code = section
        .split_once("```python\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the section shows the worker")
        .0;
    assert!(code.lines().count() <= 10, "{code}");
    let dir = project(&venv);
    dir.write("extract.py", code);
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n\n[extractors.my-extractor]\ncommand = [{}, \"extract.py\"]\n",
            toml::Value::String(venv.join("bin/python").display().to_string())
        ),
    );
    let out = installed(&venv, dir.path(), &["run", "--no-cache", "--json", "-"]);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let e = &report["extractors"][0];
    assert_eq!(e["version"], "1.0");
    // Every article has its quote found, content exactly; none fails.
    assert_eq!(
        e["micro"]["content"],
        json!({"tp": 4, "fp": 0, "fn": 0, "p": 1.0, "r": 1.0, "f1": 1.0}),
        "{e}"
    );
    assert_eq!(e["failures"], json!([]), "{e}");
}

/// The release workflow for other platforms is not run here, but it is
/// YAML of the shape GitHub Actions reads, building with maturin.
#[test]
fn the_release_workflow_is_a_workflow() {
    use yaml_rust2::YamlLoader;
    let path = util::repo().join("docs/ci/python-release.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = YamlLoader::load_from_str(&text).unwrap().remove(0);
    let jobs = doc["jobs"].as_hash().expect("jobs");
    for job in ["wheels", "sdist", "publish"] {
        let steps = doc["jobs"][job]["steps"]
            .as_vec()
            .unwrap_or_else(|| panic!("{job}"));
        assert!(!steps.is_empty(), "{job}");
    }
    assert_eq!(jobs.len(), 3);
    assert!(text.contains("PyO3/maturin-action@v1"));
}

/// `score` from Python, for each kind of predictions: the worker's
/// function itself, the worker as a command, and its outputs saved as a
/// replay. Each gives the figures, rows and alignments of the installed
/// command's own run of the worker; a corpus that cannot be read raises
/// with quotecheck's message.
const SCORING: &str = r#"import json, pathlib, sys
from quotecheck_eval import ArticleError, QuotecheckError, score, to_record
from worker import extract

with open("replay.jsonl", "w") as replay:
    for path in sorted(pathlib.Path("corpus").glob("*.txt")):
        try:
            line = {"id": path.stem, "quotes": [to_record(q) for q in extract(path.read_text())]}
        except ArticleError as e:
            line = {"id": path.stem, "error": str(e)}
        except Exception as e:
            line = {"id": path.stem, "error": f"{type(e).__name__}: {e}"}
        replay.write(json.dumps(line) + "\n")

out = {}
for kind, predictions in [
    ("function", extract),
    ("command", [sys.executable, "worker.py"]),
    ("replay", "replay.jsonl"),
]:
    r = score("corpus", predictions, name=kind, version="1.2")
    out[kind] = {"name": r.extractor["name"], "totals": r.totals, "articles": r.articles,
                 "alignments": r.alignments, "failures": r.failures}
try:
    score("no-such-corpus", extract)
except QuotecheckError as e:
    out["error"] = str(e)
json.dump(out, open("scores.json", "w"))
"#;

#[test]
fn score_from_python_gives_the_command_s_figures() {
    let Some(venv) = need::python_package() else {
        return;
    };
    let dir = project(&venv);
    dir.write("scoring.py", SCORING);
    let out = Command::new(venv.join("bin/python"))
        .arg("scoring.py")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scores: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("scores.json")).unwrap()).unwrap();
    let run = installed(&venv, dir.path(), &["run", "--no-cache", "--json", "-"]);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let e = &report["extractors"][0];
    for kind in ["function", "command", "replay"] {
        let s = &scores[kind];
        assert_eq!(s["name"], kind);
        assert_eq!(s["totals"], e["micro"], "{kind}");
        let rows = s["articles"].as_array().unwrap();
        let articles = e["articles"].as_array().unwrap();
        assert_eq!(rows.len(), articles.len(), "{kind}");
        for (row, a) in rows.iter().zip(articles) {
            assert_eq!(row["id"], a["id"], "{kind}");
            assert_eq!(row["status"], a["status"], "{kind}");
            for c in ["content", "attribution", "cue", "kind"] {
                for n in ["tp", "fp", "fn"] {
                    assert_eq!(row[format!("{c}_{n}")], a[c][n], "{kind} {c}_{n}");
                }
            }
            assert_eq!(s["alignments"][a["id"].as_str().unwrap()], a["alignment"]);
        }
        let failed: Vec<&str> = s["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        assert_eq!(failed, ["broken", "refused"], "{kind}");
    }
    // A function's exception is its message alone: the traceback went to
    // the calling process's log, not through a worker's stderr.
    assert_eq!(
        scores["function"]["failures"][0]["error"],
        "ValueError: boom"
    );
    let error = scores["error"].as_str().unwrap();
    assert!(
        error.starts_with("quotecheck exited with 2:") && error.contains("no-such-corpus"),
        "{error}"
    );
}

/// Copies the folder `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// `python -m pytest ARGS` with the virtualenv's Python in `dir`, with
/// `CI` set or not; the exit code and what it printed.
fn pytest(venv: &Path, dir: &Path, ci: bool, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = Command::new(venv.join("bin/python"));
    cmd.args(["-m", "pytest", "-q"])
        .args(args)
        .current_dir(dir)
        .env_clear()
        // No __pycache__ beside the example's files.
        .env("PYTHONDONTWRITEBYTECODE", "1");
    if ci {
        cmd.env("CI", "true");
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

/// examples/pytest, as it stands: its tests pass against its accepted
/// snapshots, and under CI nothing is written.
#[test]
fn the_pytest_example_passes() {
    let Some(venv) = need::python_package() else {
        return;
    };
    let example = util::repo().join("examples/pytest");
    let before = files(&example);
    let (code, out) = pytest(&venv, &example, true, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("2 passed"), "{out}");
    assert_eq!(files(&example), before, "nothing written");
}

/// The plugin on a changed extractor: the test fails with the snapshot
/// diff; under CI neither flag writes anything; `--quotecheck-update`
/// writes the pending snapshot and `--quotecheck-accept` accepts it,
/// byte for byte as `quotecheck accept` does.
#[test]
fn the_pytest_plugin_fails_on_a_change_and_its_flags_write_and_accept_it() {
    let Some(venv) = need::python_package() else {
        return;
    };
    let root = Dir::new();
    copy_dir(&util::repo().join("corpus"), &root.join("corpus"));
    let project = root.join("examples/pytest");
    copy_dir(&util::repo().join("examples/pytest"), &project);
    // One article loses its first quote.
    let mut extractor = std::fs::read_to_string(project.join("extractor.py")).unwrap();
    extractor.push_str(
        "\n\n_found = extract\n\n\ndef extract(text: str) -> list:\n    \
         quotes = _found(text)\n    return quotes[1:] if \"Gaddafi\" in text else quotes\n",
    );
    std::fs::write(project.join("extractor.py"), extractor).unwrap();
    let snapshots = project.join("snapshots");
    let accepted = files(&snapshots);

    for flags in [&[][..], &["--quotecheck-update"], &["--quotecheck-accept"]] {
        let (code, out) = pytest(&venv, &project, true, flags);
        assert_eq!(code, Some(1), "{flags:?}: {out}");
        assert!(
            out.contains("changed  bbc-libya-us-talks")
                && out.contains("snapshots/example/bbc-libya-us-talks.snap (accepted)"),
            "{out}"
        );
        assert_eq!(files(&snapshots), accepted, "CI: nothing written");
    }

    let (code, out) = pytest(&venv, &project, false, &["--quotecheck-update"]);
    assert_eq!(code, Some(1), "{out}");
    let pending = files(&snapshots);
    let new: Vec<&String> = pending.keys().filter(|k| k.ends_with(".new")).collect();
    assert_eq!(new, ["example/bbc-libya-us-talks.snap.new"], "{out}");

    // What the command writes from the same pending snapshot.
    let by_command = Dir::new();
    copy_dir(&snapshots, &by_command.join("snapshots"));
    let accept = installed(
        &venv,
        by_command.path(),
        &["accept", "--all", "--snapshots", "snapshots"],
    );
    assert!(accept.status.success(), "{accept:?}");

    let (code, out) = pytest(&venv, &project, false, &["--quotecheck-accept"]);
    assert_eq!(code, Some(0), "{out}");
    let after = files(&snapshots);
    assert_eq!(after, files(&by_command.join("snapshots")));
    assert_ne!(after, accepted);
    // Accepted: a plain run passes.
    let (code, out) = pytest(&venv, &project, true, &[]);
    assert_eq!(code, Some(0), "{out}");
}
