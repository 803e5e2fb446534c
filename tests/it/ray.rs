//! Scoring a corpus in parts from Python, and across a real Ray cluster
//! (`examples/ray/`): `quotecheck_eval.score_part` scores the articles of
//! one partition as a part of the whole corpus and `quotecheck_eval.merge`
//! combines the parts; merged in any grouping, or scored by a pool of
//! actors of Ray Data's `map_batches` on a local cluster of several worker
//! processes, they give exactly the report of one local `quotecheck run`
//! (timings aside). The parts tests need `python/.venv`
//! (`python/setup.sh`), the cluster test `examples/ray/.venv`
//! (`examples/ray/setup.sh`, which `.ci/run` runs after it); without them
//! they fail under CI and are skipped elsewhere (`util::need`).

use crate::util;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use util::corpus::without_timings;
use util::{cp, need, repo, Dir};

/// The example extractor both sides run: `examples/python-worker/extract.py`
/// (every span between double quotes is a direct quote).
const NAME: &str = "python-example";
const VERSION: &str = "1.0";

/// A JSON-lines corpus of `n` articles that the example extractor gets
/// partly right: each has a quote it finds (straight or curly quote marks,
/// after letters of 1 to 4 bytes on some), some an indirect one it misses
/// or a quoted word it takes for a quote, some are unannotated; a few texts
/// hold U+2028 (a line break to Python's `splitlines`, not to JSON lines),
/// and the file has blank lines and a `\r\n` line end, which quotecheck
/// skips and does not count.
fn corpus(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let prefix = match i % 3 {
            0 => "Zoë 🎉 wrote: ".to_string(),
            1 if i % 5 == 1 => "Line one\u{2028}line two. ".to_string(),
            _ => String::new(),
        };
        let quote = format!("We will stay in town {i},");
        let (open, close) = if i % 2 == 0 {
            ("\"", "\"")
        } else {
            ("“", "”")
        };
        let mut text = format!("{prefix}{open}{quote}{close} the mayor said.");
        if i % 4 == 0 {
            text.push_str(" The council said it would vote in spring.");
        }
        if i % 6 == 0 {
            text.push_str(" Critics called it a \"plan\" at best.");
        }
        let mut line = json!({"id": format!("town-{i:02}"), "text": text});
        if i % 7 != 3 {
            let mut quotes = vec![json!({
                "id": "q1", "kind": "direct",
                "content": cp(&text, &quote),
                "speaker": cp(&text, "the mayor"),
                "cue": cp(&text, "said"),
            })];
            if i % 4 == 0 {
                quotes.push(json!({
                    "id": "q2", "kind": "indirect",
                    "content": cp(&text, "it would vote in spring"),
                    "speaker": cp(&text, "The council"),
                    "cue": null,
                }));
            }
            line["quotes"] = json!(quotes);
        }
        out.push_str(&line.to_string());
        out.push_str(if i == 10 { "\r\n" } else { "\n" });
        if i == 5 {
            out.push('\n');
        }
        if i == 20 {
            out.push_str("  \t \n");
        }
    }
    out
}

/// The JSON report of one local `quotecheck run` of the example extractor,
/// as a worker command of `venv`'s Python, on `corpus` (as given, in
/// `dir`), with the flags `score` passes (no cache, no snapshots compared
/// or written).
fn local_run(dir: &Dir, venv: &Path, corpus: &str) -> Value {
    let python = venv.join("bin/python");
    let worker = repo().join("examples/python-worker/extract.py");
    dir.write(
        "local.toml",
        format!(
            "[extractors.{NAME}]\ncommand = [{}, {}]\n",
            toml::Value::String(python.display().to_string()),
            toml::Value::String(worker.display().to_string())
        ),
    );
    let out = Command::new(venv.join("bin/quotecheck"))
        .current_dir(dir.path())
        .env_clear()
        .args(["run", "--corpus", corpus, "--config", "local.toml"])
        .args(["--no-cache", "--snapshots", "snapshots", "--update", "no"])
        .args(["--json", "whole.json", "--color", "never"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    dir.json("whole.json")
}

/// What the figures show, so that a failure says which differ.
fn headline(report: &Value) -> Value {
    let e = &report["extractors"][0];
    json!({"corpus": report["corpus"], "micro": e["micro"], "macro": e["macro"]})
}

const PARTS: &str = r#"
import json, sys
sys.path.insert(0, sys.argv[2])
from extract import extract
from quotecheck_eval import QuotecheckError, merge, score, score_part
from quotecheck_eval.parts import is_blank

corpus = sys.argv[1]
articles = [l for l in open(corpus, "rb").read().split(b"\n") if not is_blank(l)]
n = len(articles)
numbered = list(enumerate(articles))
kw = dict(corpus=corpus, corpus_articles=n, name="python-example", version="1.0")
whole = score(corpus, extract, name="python-example", version="1.0")
# Three parts: every third article, as an engine may deal them out; one
# part as JSON objects and str lines instead of bytes.
parts = [score_part(numbered[k::3], extract, **kw) for k in range(2)]
parts.append(score_part([(p, json.loads(a)) for p, a in numbered[2::3]], extract, **kw))
errors = {}
def error(name, f):
    try:
        f()
        errors[name] = None
    except (QuotecheckError, ValueError) as e:
        errors[name] = f"{type(e).__name__}: {e}"
error("overlap", lambda: merge([parts[0], parts[0]]))
error("outside", lambda: score_part([(n, articles[0])], extract, **kw))
error("twice", lambda: score_part([(0, articles[0]), (0, articles[1])], extract, **kw))
error("blank", lambda: score_part([(0, b"  ")], extract, **kw))
error("other-corpus", lambda: merge([parts[0], score_part(numbered[1::3], extract, **dict(kw, corpus="other.jsonl"))]))
print(json.dumps({
    "whole": whole.data,
    "merged": merge(parts).data,
    "regrouped": merge([parts[2], merge([parts[1], parts[0].data])]).data,
    "part": parts[0].data,
    "errors": errors,
}))
"#;

#[test]
fn parts_scored_from_python_merge_into_the_whole_run() {
    let Some(venv) = need::python_package() else {
        return;
    };
    let dir = Dir::new();
    dir.write("corpus.jsonl", corpus(30));
    dir.write("parts.py", PARTS);
    let out = Command::new(venv.join("bin/python"))
        .current_dir(dir.path())
        .arg("parts.py")
        .arg(dir.join("corpus.jsonl"))
        .arg(repo().join("examples/python-worker"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();

    let whole = without_timings(got["whole"].clone());
    // The corpus as a local run counts it: blank lines are not articles.
    assert_eq!(whole["corpus"]["articles"], 30, "{}", headline(&whole));
    assert!(whole["corpus"]["unannotated"].as_u64().unwrap() > 0);
    assert!(
        whole["extractors"][0]["micro"]["content"]["fp"]
            .as_u64()
            .unwrap()
            > 0
    );
    let corpus = dir.join("corpus.jsonl");
    let local = local_run(&dir, &venv, corpus.to_str().unwrap());
    assert_eq!(without_timings(local), whole);
    for merged in ["merged", "regrouped"] {
        let merged = without_timings(got[merged].clone());
        assert_eq!(headline(&merged), headline(&whole));
        assert_eq!(merged, whole);
    }
    // A part alone is a part of the whole corpus: its size, its articles'
    // places in it, the rest not selected.
    let part = &got["part"];
    assert_eq!(part["corpus"]["articles"], 30);
    assert_eq!(part["corpus"]["path"], json!(dir.join("corpus.jsonl")));
    let positions: Vec<u64> = part["extractors"][0]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["position"].as_u64().unwrap())
        .collect();
    assert!(
        !positions.is_empty() && positions.iter().all(|p| p % 3 == 0),
        "{positions:?}"
    );
    let c = &part["corpus"];
    let counted = ["scored", "unannotated", "not_selected"]
        .map(|k| c[k].as_u64().unwrap())
        .iter()
        .sum::<u64>();
    assert_eq!(counted, 30, "{c}");

    let errors = &got["errors"];
    let said = |k: &str| {
        errors[k]
            .as_str()
            .unwrap_or_else(|| panic!("no error for {k}: {errors}"))
    };
    assert!(said("overlap").contains("is in both"), "{errors}");
    assert!(
        said("outside").contains("position 30 is not in a corpus of 30"),
        "{errors}"
    );
    assert!(
        said("twice").contains("position 0 is given to two articles"),
        "{errors}"
    );
    assert!(said("blank").contains("blank line"), "{errors}");
    assert!(said("other-corpus").contains("other.jsonl"), "{errors}");
}

/// `examples/ray/.venv`, made by `examples/ray/setup.sh`: Ray Data and the
/// quotecheck-eval wheel.
fn ray_venv() -> Option<PathBuf> {
    let venv = repo().join("examples/ray/.venv");
    let ready = [
        ".quotecheck-ready",
        ".quotecheck-wheel",
        "bin/python",
        "bin/quotecheck",
    ]
    .iter()
    .all(|f| venv.join(f).is_file());
    need::or_skip(
        ready.then_some(venv),
        "examples/ray/.venv, Ray Data with the quotecheck-eval wheel: run `bash python/setup.sh` \
         (it builds the wheel) and then `bash examples/ray/setup.sh` (it needs python3 with the \
         venv module and access to the Python package index)",
    )
}

/// `examples/ray/score.py` on `corpus.jsonl` of `dir` with the example
/// extractor, writing `merged.json`, with `args` after.
fn score_py(dir: &Dir, venv: &Path, args: &[&str]) -> std::process::Output {
    Command::new(venv.join("bin/python"))
        .current_dir(dir.path())
        .env("RAY_USAGE_STATS_ENABLED", "0")
        .arg(repo().join("examples/ray/score.py"))
        .arg("corpus.jsonl")
        .arg("--extract")
        .arg(format!(
            "{}:extract",
            repo().join("examples/python-worker/extract.py").display()
        ))
        .args([
            "--name",
            NAME,
            "--version",
            VERSION,
            "--json",
            "merged.json",
        ])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_ray_cluster_scores_the_corpus_as_one_local_run() {
    let Some(venv) = ray_venv() else {
        return;
    };
    let dir = Dir::new();
    dir.write("corpus.jsonl", corpus(60));
    // Small ranges and batches: many parts, dealt to a pool of two actors.
    let out = score_py(
        &dir,
        &venv,
        &[
            "--num-cpus",
            "2",
            "--chunk-bytes",
            "3000",
            "--batch-size",
            "10",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let summary = stderr
        .lines()
        .find(|l| l.starts_with("ray: "))
        .unwrap_or_else(|| panic!("no summary line:\n{stderr}"));
    eprintln!("{summary}");
    let number = |after: &str| -> u64 {
        let at = summary.find(after).unwrap();
        summary[..at].rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(number(" articles"), 60, "{summary}");
    assert!(number(" ranges") > 2, "{summary}");
    assert!(number(" parts") > 4, "{summary}");
    assert!(number(" worker processes") >= 2, "{summary}");

    let merged = without_timings(dir.json("merged.json"));
    let whole = without_timings(local_run(&dir, &venv, "corpus.jsonl"));
    assert_eq!(headline(&merged), headline(&whole));
    assert_eq!(merged, whole);
    // The terminal report is the merged run's.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let c = &whole["corpus"];
    let head = format!(
        "corpus corpus.jsonl · {} articles scored, {} unannotated",
        c["scored"], c["unannotated"]
    );
    assert!(stdout.starts_with(&head), "{stdout}");
}

#[test]
fn more_scoring_workers_than_cpus_is_refused_before_any_scoring() {
    let Some(venv) = ray_venv() else {
        return;
    };
    let dir = Dir::new();
    dir.write("corpus.jsonl", corpus(4));
    let out = score_py(&dir, &venv, &["--num-cpus", "1", "--workers", "2"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("--workers 2 needs 2 CPUs, and the cluster has 1"),
        "{stderr}"
    );
    assert!(!dir.path().join("merged.json").exists());
}
