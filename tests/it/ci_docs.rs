//! The CI workflows in docs/ci/ are real: both files are parsed as YAML,
//! their `quotecheck` commands are taken from the steps, and run in order
//! (each matrix job, then the merge) on the project's corpus.

use crate::util;

use serde_json::Value;
use util::corpus::without_timings;
use util::Dir;
use yaml_rust2::{Yaml, YamlLoader};

fn load(file: &str) -> Yaml {
    let text = std::fs::read_to_string(util::repo().join("docs/ci").join(file)).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

/// Every `quotecheck …` line of a script.
fn commands(script: &str) -> Vec<String> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("quotecheck "))
        .map(str::to_string)
        .collect()
}

/// A folder set up as a project: a configuration naming one extractor (a
/// replay of the corpus) and the main branch's report as the baseline.
fn project() -> Dir {
    let dir = Dir::new();
    dir.write("replay.jsonl", util::replay_of_corpus());
    let corpus = util::repo().join("corpus");
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = {:?}\n\n[extractors.v]\nreplay = \"replay.jsonl\"\n",
            corpus.display().to_string()
        ),
    );
    dir.run_expect(0, &["run", "--json", "ci/main-report.json"]);
    dir
}

/// Runs one command line as the workflow would, without a shell: `|| test
/// $? -eq 1` means exit code 1 is accepted too.
fn run_line(dir: &Dir, line: &str) {
    let (command, tolerate_one) = match line.split_once(" || test $? -eq 1") {
        Some((c, _)) => (c, true),
        None => (line, false),
    };
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let out = dir.run(&args);
    let ok = out.starts_with("exit: 0\n") || (tolerate_one && out.starts_with("exit: 1\n"));
    assert!(ok, "`{line}` failed:\n{out}");
}

fn normalized(dir: &Dir, file: &str) -> Value {
    without_timings(dir.json(file))
}

fn check_outputs(dir: &Dir) {
    assert_eq!(
        normalized(dir, "report.json"),
        normalized(dir, "ci/main-report.json")
    );
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(roxmltree::Document::parse(&junit).is_ok());
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(summary.contains("**Gates:** ✅ passed"), "{summary}");
}

#[test]
fn github_actions_workflow_runs() {
    let wf = load("github-actions.yml");
    let jobs = wf["jobs"].as_hash().unwrap();
    let steps = |job: &str| -> Vec<String> {
        jobs[&Yaml::String(job.into())]["steps"]
            .as_vec()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str())
            .flat_map(commands)
            .collect()
    };
    let matrix: Vec<i64> = jobs[&Yaml::String("score".into())]["strategy"]["matrix"]["shard"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(matrix, [1, 2, 3, 4]);
    let dir = project();
    let score = steps("score");
    assert_eq!(score.len(), 1);
    for shard in &matrix {
        run_line(
            &dir,
            &score[0].replace("${{ matrix.shard }}", &shard.to_string()),
        );
    }
    let report = steps("report");
    assert_eq!(report.len(), 1);
    run_line(&dir, &report[0]);
    check_outputs(&dir);
}

#[test]
fn gitlab_pipeline_runs() {
    let pipeline = load("gitlab-ci.yml");
    let script = |job: &str| -> Vec<String> {
        pipeline[job]["script"]
            .as_vec()
            .unwrap()
            .iter()
            .filter_map(Yaml::as_str)
            .flat_map(commands)
            .collect()
    };
    let parallel = pipeline["score"]["parallel"].as_i64().unwrap();
    let dir = project();
    let score = script("score");
    assert_eq!(score.len(), 1);
    for index in 1..=parallel {
        let line = score[0]
            .replace("$CI_NODE_INDEX", &index.to_string())
            .replace("$CI_NODE_TOTAL", &parallel.to_string());
        run_line(&dir, &line);
    }
    for line in script("report") {
        run_line(&dir, &line);
    }
    check_outputs(&dir);
}
