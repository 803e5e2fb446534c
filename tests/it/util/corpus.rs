//! Corpora and replays that tests build: the project corpus damaged into
//! a replay, small corpora written into a [`Dir`], and code-point spans of
//! gold JSON. What a test then checks of a run on them is not known here.

use quotecheck::corpus::{Corpus, Item, OffsetIndex, OffsetUnit, Span};
use serde_json::{json, Value};

use super::dir::{repo, Dir};

/// The gold JSON of the only or first occurrence of `needle` in `text`:
/// code point offsets and the text.
pub fn cp(text: &str, needle: &str) -> Value {
    let at = text.find(needle).unwrap();
    let start = text[..at].chars().count();
    json!({"start": start, "end": start + needle.chars().count(), "text": needle})
}

/// A corpus of one short article per id, `<prefix>"We will stay in town
/// <id>," the mayor said.`, each with one gold quote; with `attributed`,
/// its speaker and cue are in the gold too, otherwise they are `null`.
pub fn town_corpus(ids: &[&str], prefix: &str, attributed: bool) -> Dir {
    let dir = Dir::new();
    for id in ids {
        let quote = format!("We will stay in town {id},");
        let text = format!("{prefix}\"{quote}\" the mayor said.\n");
        let start = prefix.chars().count() + 1;
        let end = start + quote.chars().count();
        let mut record = json!({
            "id": "q1", "kind": "direct",
            "content": {"start": start, "end": end, "text": quote},
            "speaker": null, "cue": null,
        });
        if attributed {
            record["speaker"] = json!({"start": end + 2, "end": end + 11, "text": "the mayor"});
            record["cue"] = json!({"start": end + 12, "end": end + 16, "text": "said"});
        }
        let gold = json!({"quotes": [record]});
        dir.write(&format!("corpus/{id}.txt"), text);
        dir.write(&format!("corpus/{id}.json"), gold.to_string());
    }
    dir
}

/// A folder holding `damaged.jsonl`, the replay of [`replay_of_corpus`],
/// and the path of the project corpus it replays.
pub fn damaged_project() -> (Dir, String) {
    let dir = Dir::new();
    dir.write("damaged.jsonl", replay_of_corpus());
    (dir, repo().join("corpus").display().to_string())
}

/// A JSON report with every article's `elapsed_ms` set to 0, the one
/// figure that differs between two runs of the same input.
pub fn without_timings(mut report: Value) -> Value {
    for e in report["extractors"].as_array_mut().unwrap() {
        for a in e["articles"].as_array_mut().unwrap() {
            a["elapsed_ms"] = json!(0);
        }
    }
    report
}

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
            q["speaker"] = sp.span.map_or(json!({"text": sp.text}), span);
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

/// Writes `articles` articles of `quotecheck gen --seed SEED` to `corpus`
/// and their replay to `replay`, in `dir`.
pub fn gen(dir: &Dir, articles: usize, seed: u64, corpus: &str, replay: &str) {
    let out = super::bin::quotecheck(dir.path())
        .args([
            "gen",
            "--articles",
            &articles.to_string(),
            "--seed",
            &seed.to_string(),
            "--corpus",
            corpus,
            "--replay",
            replay,
        ])
        .output();
    assert_eq!(
        out.code(),
        Some(0),
        "quotecheck gen failed: {}",
        out.stderr()
    );
}

/// A JSON-lines replay of the whole project corpus, made from its gold by
/// the deterministic damage of [`damaged`], in all three offset units.
pub fn replay_of_corpus() -> String {
    let corpus = Corpus::open(repo().join("corpus")).unwrap();
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
