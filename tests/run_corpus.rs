//! `quotecheck run` on the project's own `corpus/` with a replay made from
//! its gold by deterministic damage: every kind of mismatch appears, in
//! every offset unit, and the reports are snapshotted.

mod util;

use quotecheck::corpus::{Corpus, Item, OffsetIndex, OffsetUnit, Span};
use serde_json::{json, Value};
use util::Dir;

/// Predictions for one article: record i of the gold is dropped when
/// i % 6 == 0, gets a wrong speaker when 1, becomes text-only when 2, is
/// cut to its first half when 3, loses its kind when 4, and is copied
/// exactly when 5; plus one spurious prediction.
fn damaged(text: &str, gold: &[quotecheck::corpus::GoldQuote], unit: OffsetUnit) -> Value {
    let ix = OffsetIndex::new(text);
    let span =
        |s: Span| json!({"start": ix.from_byte(unit, s.start), "end": ix.from_byte(unit, s.end)});
    let mut quotes = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        let content: Vec<Value> = g.content.iter().map(|s| span(*s)).collect();
        let mut q = json!({"content": content});
        if let Some(sp) = &g.speaker {
            q["speaker"] = span(sp.span);
        }
        if let Some(cue) = g.cue {
            q["cue"] = json!({"text": cue.slice(text)});
        }
        if let Some(k) = g.kind {
            q["kind"] = json!(k.as_str());
        }
        match i % 6 {
            0 => continue,
            1 => q["speaker"] = json!({"text": "Somebody Else"}),
            2 => {
                q["content"] = json!({"text": g.content.iter().map(|s| s.slice(text)).collect::<Vec<_>>().join(" ")})
            }
            3 => {
                let s = g.content[0];
                let mut mid = s.start + (s.end - s.start) / 2;
                while !text.is_char_boundary(mid) {
                    mid += 1;
                }
                q["content"] = span(Span::new(s.start, mid));
            }
            4 => {
                q.as_object_mut().unwrap().remove("kind");
            }
            _ => {}
        }
        quotes.push(q);
    }
    let end = text.len();
    let mut start = end.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    quotes.push(json!({"content": span(Span::new(start, end)), "kind": "direct"}));
    json!({"offsets": unit.as_str(), "quotes": quotes})
}

fn replay_of_corpus() -> String {
    let corpus = Corpus::open(util::repo().join("corpus")).unwrap();
    let mut lines = String::new();
    for (n, item) in corpus.items().enumerate() {
        let Item::Article { article, .. } = item else {
            panic!("corpus/ is valid")
        };
        let Some(gold) = &article.gold else { continue };
        let unit = OffsetUnit::ALL[n % 3];
        let mut line = damaged(&article.text, &gold.quotes, unit);
        line["id"] = json!(article.id.as_str());
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    lines
}

#[test]
fn replay_on_the_project_corpus() {
    let dir = Dir::new();
    dir.write("damaged.jsonl", replay_of_corpus());
    let corpus = util::repo().join("corpus");
    let corpus = corpus.to_str().unwrap();
    let out = dir.run_expect(
        0,
        &[
            "run",
            "--corpus",
            corpus,
            "--replay",
            "damaged.jsonl",
            "--json",
            "report.json",
            "--worst",
            "3",
        ],
    );
    insta::assert_snapshot!(out.replace(corpus, "corpus"));
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    let mut report = serde_json::to_string_pretty(&report)
        .unwrap()
        .replace(corpus, "corpus");
    report.push('\n');
    let report: Value = serde_json::from_str(&report).unwrap();
    insta::assert_json_snapshot!(report, {".extractors[].articles[].elapsed_ms" => "[ms]", ".quotecheck" => "[version]"});
}
