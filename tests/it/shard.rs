//! Sharding: `--shard K/N` runs plus `merge` give exactly the report of one
//! unsharded run, whatever the corpus and the number of shards.

use crate::util;

use proptest::prelude::*;
use quotecheck::corpus::Corpus;
use quotecheck::extract::{Extractor, Replay};
use quotecheck::report::json::Report;
use quotecheck::report::merge::merge;
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
}

fn report(corpus: &Corpus, replay: &dyn Extractor, shard: Option<Shard>) -> Value {
    let settings = RunSettings {
        selection: Selection {
            shard,
            ..Selection::default()
        },
        jobs: 2,
        ..RunSettings::default()
    };
    let result = run(corpus, &[replay], &settings, &mut |_| {});
    serde_json::to_value(Report::from_result(&result)).unwrap()
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
                let shard = Shard::of(&corpus, k, n);
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

#[test]
fn shards_are_balanced_by_text_size() {
    let dir = tempfile::tempdir().unwrap();
    for (i, size) in [900, 100, 500, 500, 400, 100].iter().enumerate() {
        std::fs::write(dir.path().join(format!("a{i}.txt")), "x".repeat(*size)).unwrap();
    }
    let corpus = Corpus::open(dir.path()).unwrap();
    let mut parts: Vec<Vec<String>> = (1..=2)
        .map(|k| {
            let mut ids: Vec<String> = Shard::of(&corpus, k, 2).ids.into_iter().collect();
            ids.sort();
            ids
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
    let read = |f: &str| {
        without_timings(serde_json::from_slice(&std::fs::read(dir.join(f)).unwrap()).unwrap())
    };
    assert_eq!(read("merged.json"), read("whole.json"));

    for (parts, needle) in [
        (vec!["part1.json", "part2.json"], "missing shard(s) 3/3"),
        (
            vec!["part1.json", "part1.json", "part2.json"],
            "shard 1/3 is given twice",
        ),
        (vec!["whole.json"], "not one shard of a sharded run"),
    ] {
        let mut a = vec!["merge"];
        a.extend(parts);
        let out = dir.run_expect(2, &a);
        assert!(out.contains(needle), "{out}");
    }
    for bad in ["0/3", "4/3", "x", "1/0"] {
        let out = dir.run_expect(2, &args(&with(&["--shard", bad])));
        assert!(out.contains("--shard"), "{out}");
    }
}
