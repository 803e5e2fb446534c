//! Sharding and merging: runs over disjoint parts of a corpus (`--shard
//! K/N`, selections) plus `merge`, in any order and grouping, give exactly
//! the report of one unsharded run, and `compare` over the merged parts
//! exactly its intervals and p-values.

use crate::util;

use proptest::prelude::*;
use quotecheck::compare::reports::result_of_report;
use quotecheck::compare::{compare, CompareSettings};
use quotecheck::corpus::Corpus;
use quotecheck::extract::{Extractor, Replay};
use quotecheck::report::json::Report;
use quotecheck::report::merge::merge;
use quotecheck::rng::SplitMix64;
use quotecheck::run::{run, RunSettings, Selection, Shard};
use serde_json::{json, Value};
use util::corpus::without_timings;

const WORDS: &[&str] = &[
    "the", "minister", "said", "plan", "“we", "will", "win,”", "talks", "résumé", "東京", "😀",
    "they", "agreed",
];

/// A random corpus: articles of random words, gold made of random word
/// runs; plus a replay that copies, damages, drops or fails on articles.
#[derive(Debug, Clone)]
struct Case {
    articles: Vec<ArticleCase>,
}

/// Word indices, quotes as (first word, length in words, optional), and
/// what the replay does with the article.
type ArticleCase = (Vec<usize>, Vec<(usize, usize, bool)>, u8);

fn case() -> impl Strategy<Value = Case> {
    let article = (
        prop::collection::vec(0..WORDS.len(), 3..30),
        prop::collection::vec((0usize..30, 1usize..6, any::<bool>()), 0..5),
        0u8..6,
    );
    prop::collection::vec(article, 1..14).prop_map(|articles| Case { articles })
}

fn write_case(case: &Case, dir: &std::path::Path) {
    let mut replay = String::new();
    let mut exact = String::new();
    for (i, (words, quotes, fate)) in case.articles.iter().enumerate() {
        let text: String = words
            .iter()
            .map(|w| WORDS[*w])
            .collect::<Vec<_>>()
            .join(" ");
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices(' ').map(|(i, _)| i + 1))
            .collect();
        let id = format!("a{i:02}");
        std::fs::write(dir.join(format!("corpus/{id}.txt")), &text).unwrap();
        let mut gold = Vec::new();
        let mut preds = Vec::new();
        for (n, (start, len, optional)) in quotes.iter().enumerate() {
            let s = starts[start % starts.len()];
            let e_word = (start % starts.len() + len).min(starts.len());
            let e = if e_word == starts.len() {
                text.len()
            } else {
                starts[e_word] - 1
            };
            if e <= s || !text[s..e].chars().any(char::is_alphanumeric) {
                continue;
            }
            let cp = |b: usize| text[..b].chars().count();
            if gold.iter().any(|g: &Value| g["content"]["start"] == cp(s)) {
                continue;
            }
            gold.push(json!({"id": format!("q{n}"), "content": {"start": cp(s), "end": cp(e), "text": &text[s..e]},
                "speaker": null, "cue": null, "optional": optional, "kind": if n % 2 == 0 { "direct" } else { "indirect" }}));
            if (n + *fate as usize) % 3 != 0 {
                preds.push(json!({"content": {"start": cp(s), "end": cp(e)}, "kind": "direct"}));
            }
        }
        let copies: Vec<Value> = gold
            .iter()
            .map(|g| json!({"content": {"start": g["content"]["start"], "end": g["content"]["end"]}, "kind": g["kind"]}))
            .collect();
        exact.push_str(&format!("{}\n", json!({"id": id, "quotes": copies})));
        preds.push(json!({"content": {"text": "they agreed"}}));
        if *fate != 5 {
            std::fs::write(
                dir.join(format!("corpus/{id}.json")),
                json!({"quotes": gold}).to_string(),
            )
            .unwrap();
        }
        match fate {
            0 => {} // missing from the replay: fails as `missing`
            1 => replay.push_str(&format!("{}\n", json!({"id": id, "error": "boom"}))),
            _ => replay.push_str(&format!("{}\n", json!({"id": id, "quotes": preds}))),
        }
    }
    replay.push_str(&format!("{}\n", json!({"id": "elsewhere", "quotes": []})));
    std::fs::write(dir.join("replay.jsonl"), replay).unwrap();
    std::fs::write(dir.join("exact.jsonl"), exact).unwrap();
}

fn report(corpus: &Corpus, replay: &dyn Extractor, shard: Option<Shard>) -> Value {
    let selection = Selection {
        shard,
        ..Selection::default()
    };
    report_of(corpus, &[replay], selection)
}

fn report_of(corpus: &Corpus, extractors: &[&dyn Extractor], selection: Selection) -> Value {
    let settings = RunSettings {
        selection,
        jobs: 2,
        ..RunSettings::default()
    };
    let result = run(corpus, extractors, &settings, &mut |_| {});
    serde_json::to_value(Report::from_result(&result)).unwrap()
}

/// Merges `parts` in a random grouping drawn from `seed`: two parts (or
/// merged groups) taken at random are merged, through their JSON, until
/// one is left.
fn merge_randomly(mut parts: Vec<Report>, seed: u64) -> Report {
    let mut rng = SplitMix64::new(seed);
    while parts.len() > 1 {
        let a = parts.swap_remove(rng.below(parts.len()));
        let b = parts.swap_remove(rng.below(parts.len()));
        let pair = if rng.coin() { [a, b] } else { [b, a] };
        let merged = serde_json::to_vec(&merge(&pair).unwrap()).unwrap();
        parts.push(Report::read(&merged).unwrap());
    }
    parts.pop().unwrap()
}

/// What `compare` prints that comes from figures: every extractor's
/// figures with their intervals, every pair's differences with theirs and
/// p-values, wins and per-article F1s.
fn figures(result: &quotecheck::run::RunResult) -> Value {
    let settings = CompareSettings {
        resamples: 200,
        ..CompareSettings::default()
    };
    let cmp = serde_json::to_value(compare(result, &settings)).unwrap();
    let f1s: Vec<Value> = cmp["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| json!([a["id"], a["f1"], a["winner"]]))
        .collect();
    json!({"extractors": cmp["extractors"], "pairs": cmp["pairs"], "articles": f1s})
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn merged_shards_equal_one_run(case in case()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        write_case(&case, dir.path());
        let corpus = Corpus::open(dir.path().join("corpus")).unwrap();
        let replay = Replay::open("r", dir.path().join("replay.jsonl")).unwrap();
        let whole = without_timings(report(&corpus, &replay, None));
        for n in [1, 2, 3, 7] {
            let mut parts = Vec::new();
            let mut covered = 0;
            for k in (1..=n).rev() {
                let shard = Shard::of(&corpus, k, n).unwrap();
                covered += shard.ids.len();
                let part: Report = serde_json::from_value(report(&corpus, &replay, Some(shard))).unwrap();
                parts.push(part);
            }
            prop_assert_eq!(covered, case.articles.len(), "every article is in exactly one shard");
            let merged = without_timings(serde_json::to_value(merge(&parts).unwrap()).unwrap());
            prop_assert_eq!(&merged, &whole, "N = {}", n);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any partition of the articles into selections, merged in any
    /// grouping, gives the report of one run, and `compare` over it the
    /// run's intervals and p-values.
    #[test]
    fn merged_parts_in_any_grouping_equal_one_run(
        case in case(),
        parts in 1usize..6,
        assignment in prop::collection::vec(0usize..6, 14),
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        write_case(&case, dir.path());
        let corpus = Corpus::open(dir.path().join("corpus")).unwrap();
        let replay = Replay::open("r", dir.path().join("replay.jsonl")).unwrap();
        let exact = Replay::open("exact", dir.path().join("exact.jsonl")).unwrap();
        let extractors: [&dyn Extractor; 2] = [&replay, &exact];
        let whole_run = run(&corpus, &extractors, &RunSettings { jobs: 2, ..RunSettings::default() }, &mut |_| {});
        let whole = without_timings(serde_json::to_value(Report::from_result(&whole_run)).unwrap());
        let reports: Vec<Report> = (0..parts)
            .map(|k| {
                let ids = (0..case.articles.len())
                    .filter(|i| assignment[*i] % parts == k)
                    .map(|i| format!("a{i:02}"))
                    .collect();
                let selection = Selection { ids: Some(ids), ..Selection::default() };
                serde_json::from_value(report_of(&corpus, &extractors, selection)).unwrap()
            })
            .collect();
        let merged = merge_randomly(reports, seed);
        let merged_json = without_timings(serde_json::to_value(&merged).unwrap());
        prop_assert_eq!(&merged_json, &whole);
        let from_parts = result_of_report(&merged).unwrap();
        prop_assert_eq!(figures(&from_parts), figures(&whole_run));
    }
}

#[test]
fn shards_are_balanced_by_text_size() {
    let dir = tempfile::tempdir().unwrap();
    for (i, size) in [900, 100, 500, 500, 400, 100].iter().enumerate() {
        std::fs::write(dir.path().join(format!("a{i}.txt")), "x".repeat(*size)).unwrap();
    }
    let corpus = Corpus::open(dir.path()).unwrap();
    let mut parts: Vec<Vec<String>> = (1..=2)
        .map(|k| {
            let shard = Shard::of(&corpus, k, 2).unwrap();
            (0..6)
                .map(|i| format!("a{i}"))
                .filter(|id| shard.ids.contains(id).unwrap())
                .collect()
        })
        .collect();
    // Largest first to the lightest part: 900 | 500 500 | 400 → 1300 | 100 100 → 1300 vs 1200.
    assert_eq!(parts.remove(0), ["a0", "a4"].map(String::from));
    assert_eq!(parts.remove(0), ["a1", "a2", "a3", "a5"].map(String::from));
}

#[test]
fn merge_through_the_binary_and_its_errors() {
    let dir = util::Dir::new();
    dir.write("replay.jsonl", util::replay_of_corpus());
    let corpus = util::repo().join("corpus").display().to_string();
    let base = [
        "run",
        "--corpus",
        corpus.as_str(),
        "--replay",
        "v=replay.jsonl",
        "--extractor",
        "baseline",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    fn args(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    dir.run_expect(0, &args(&with(&["--json", "whole.json"])));
    for k in 1..=3 {
        let out = dir.run_expect(
            0,
            &args(&with(&[
                "--shard",
                &format!("{k}/3"),
                "--json",
                &format!("part{k}.json"),
            ])),
        );
        assert!(
            out.contains(&format!("shard {k}/3: ")) && out.contains("in other shards"),
            "{out}"
        );
    }
    // A glob selection and its complement are parts too.
    dir.run_expect(
        0,
        &args(&with(&["--articles", "world/*", "--json", "world.json"])),
    );
    dir.run_expect(
        0,
        &args(&with(&["--articles", "[!w]*", "--json", "rest.json"])),
    );
    let read = |f: &str| {
        without_timings(serde_json::from_slice(&std::fs::read(dir.join(f)).unwrap()).unwrap())
    };
    let whole = read("whole.json");
    assert!(
        whole["extractors"][0]["articles"][0]["text_sha256"]
            .as_str()
            .is_some_and(|h| h.len() == 64),
        "each article entry carries its text's hash"
    );

    // All at once, then in groups: a merged report merges again.
    let out = dir.run_expect(
        0,
        &[
            "merge",
            "part3.json",
            "part1.json",
            "part2.json",
            "--json",
            "merged.json",
            "--junit",
            "j.xml",
        ],
    );
    assert!(out.contains("9 articles scored"), "{out}");
    assert_eq!(read("merged.json"), whole);
    let out = dir.run_expect(
        0,
        &["merge", "part3.json", "part1.json", "--json", "m31.json"],
    );
    assert!(out.contains("in none of the 2 parts merged"), "{out}");
    assert_ne!(read("m31.json"), whole);
    dir.run_expect(
        0,
        &["merge", "part2.json", "m31.json", "--json", "again.json"],
    );
    assert_eq!(read("again.json"), whole);
    dir.run_expect(
        0,
        &["merge", "rest.json", "world.json", "--json", "globs.json"],
    );
    assert_eq!(read("globs.json"), whole);

    // `compare` over reports: the whole run's, merged parts, parts given
    // to it directly, and running the extractors all print the same.
    let compare_whole = dir.run_expect(0, &["compare", "--report", "whole.json"]);
    for reports in [
        vec!["again.json"],
        vec!["part2.json", "part3.json", "part1.json"],
        vec!["world.json", "rest.json"],
    ] {
        let mut a = vec!["compare"];
        for r in &reports {
            a.extend(["--report", r]);
        }
        assert_eq!(dir.run_expect(0, &a), compare_whole, "{reports:?}");
    }
    let live = dir.run_expect(
        0,
        &[
            "compare",
            "--corpus",
            corpus.as_str(),
            "--replay",
            "v=replay.jsonl",
            "--extractor",
            "baseline",
        ],
    );
    let figures = |out: &str| out.split("where they differ").next().unwrap().to_string();
    assert!(live.contains("p = "), "{live}");
    assert_eq!(figures(&compare_whole), figures(&live));

    // Parts that cannot be merged, each with what to do.
    let edited = |from: &str, to: &str, edit: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_slice(&std::fs::read(dir.join(from)).unwrap()).unwrap();
        edit(&mut v);
        dir.write(to, serde_json::to_vec(&v).unwrap());
    };
    edited("part2.json", "other-text.json", &|v| {
        for e in v["extractors"].as_array_mut().unwrap() {
            e["articles"][0]["text_sha256"] = json!("0".repeat(64));
        }
    });
    edited("part2.json", "other-version.json", &|v| {
        v["extractors"][0]["version"] = json!("2");
    });
    std::fs::create_dir(dir.join("copy")).unwrap();
    util::dir::copy_tree(&util::repo().join("corpus"), &dir.join("copy"));
    let mut other_corpus = with(&["--shard", "2/3", "--json", "other-corpus.json"]);
    other_corpus[2] = "copy".into();
    dir.run_expect(0, &args(&other_corpus));
    dir.run_expect(
        0,
        &args(&with(&[
            "--shard",
            "2/3",
            "--scheme",
            "exact",
            "--json",
            "other-scheme.json",
        ])),
    );
    dir.run_expect(
        0,
        &[
            "run",
            "--corpus",
            corpus.as_str(),
            "--replay",
            "v=replay.jsonl",
            "--shard",
            "2/3",
            "--json",
            "one-extractor.json",
        ],
    );
    for (parts, needle, hint) in [
        (
            vec!["part1.json", "part2.json", "part1.json"],
            "is in both part1.json and part1.json",
            "disjoint selections",
        ),
        (
            vec!["again.json", "part2.json"],
            "is in both again.json and part2.json",
            "disjoint selections",
        ),
        (
            vec!["part1.json", "other-text.json", "whole.json"],
            "has another text in whole.json than in other-text.json",
            "same corpus",
        ),
        (
            vec!["part1.json", "other-corpus.json"],
            "other-corpus.json was run on copy (",
            "same corpus",
        ),
        (
            vec!["part1.json", "other-scheme.json"],
            "other-scheme.json was scored with exact, part1.json with overlap:0.5",
            "--scheme",
        ),
        (
            vec!["part1.json", "other-version.json"],
            "other-version.json ran the extractors [baseline@2, v], part1.json ran [baseline@",
            "same order and versions",
        ),
        (
            vec!["part1.json", "one-extractor.json"],
            "one-extractor.json ran the extractors [v], part1.json ran [baseline@",
            "same order and versions",
        ),
        (
            vec!["part1.json", "nothing.json"],
            "cannot read nothing.json",
            "",
        ),
    ] {
        let mut a = vec!["merge"];
        a.extend(parts.iter());
        let out = dir.run_expect(2, &a);
        assert!(
            out.contains(needle) && out.contains(hint),
            "{parts:?}: {out}"
        );
        // `compare` refuses the same parts alike.
        let mut c = vec!["compare"];
        for p in &parts {
            c.extend(["--report", p]);
        }
        let out = dir.run_expect(2, &c);
        assert!(out.contains(needle), "{parts:?}: {out}");
    }
    // A report of one extractor has nothing to compare with.
    let out = dir.run_expect(2, &["compare", "--report", "one-extractor.json"]);
    assert!(out.contains("at least two extractors"), "{out}");
    // Reports are compared as they are, never with extractors run beside.
    let out = dir.run_expect(2, &["compare", "--report", "whole.json", "-e", "baseline"]);
    assert!(out.contains("cannot be used with"), "{out}");
    for bad in ["0/3", "4/3", "x", "1/0"] {
        let out = dir.run_expect(2, &args(&with(&["--shard", bad])));
        assert!(out.contains("--shard"), "{out}");
    }
}
