//! Renderings and gold diffs of the project's own corpus, one snapshot per
//! kind of verdict, plus the properties every rendering must have: it does
//! not depend on record order, the diff is a valid patch from the gold
//! side to the prediction side, and colour appears only when asked for.

use std::sync::OnceLock;

use proptest::prelude::*;
use quotecheck::align::Scheme;
use quotecheck::corpus::{
    Article, Corpus, GoldQuote, GoldSpeaker, Item, Kind, PredMention, PredPart, Prediction, Span,
};
use quotecheck::score::score_article;
use quotecheck::snapshot::{
    gold_diff, render_gold, render_predictions, DiffLabels, GoldDiff, LineTag,
};

use crate::util::articles::from_gold;

/// The annotated articles of `corpus/`, loaded once.
fn corpus() -> &'static [Article] {
    static CORPUS: OnceLock<Vec<Article>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        Corpus::open(path)
            .unwrap()
            .items()
            .filter_map(|item| match item {
                Item::Article { article, .. } if article.gold.is_some() => Some(article),
                Item::Article { .. } => None,
                Item::Broken { id, issues } => panic!("{id} does not load: {issues:?}"),
            })
            .collect()
    })
}

fn article(id: &str) -> &'static Article {
    corpus()
        .iter()
        .find(|a| a.id.to_string() == id)
        .unwrap_or_else(|| panic!("no article {id} in corpus/"))
}

fn gold_of(a: &Article) -> &[GoldQuote] {
    &a.gold.as_ref().unwrap().quotes
}

/// The gold quotes with these ids, in the order given.
fn pick(a: &Article, ids: &[&str]) -> Vec<GoldQuote> {
    ids.iter()
        .map(|id| {
            gold_of(a)
                .iter()
                .find(|g| g.id == *id)
                .unwrap_or_else(|| panic!("no gold quote {id}"))
                .clone()
        })
        .collect()
}

fn perfect(a: &Article, gold: &[GoldQuote]) -> Vec<Prediction> {
    gold.iter().map(|g| from_gold(&a.text, g)).collect()
}

/// The span of the `n`th occurrence (from 0) of `needle` in `text`.
fn find(text: &str, needle: &str, n: usize) -> Span {
    let start = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
        .0;
    Span::new(start, start + needle.len())
}

fn diff_of(a: &Article, gold: &[GoldQuote], predictions: &[Prediction]) -> GoldDiff {
    let scheme = Scheme::default();
    let score = score_article(&a.text, gold, predictions, &scheme);
    let labels = DiffLabels {
        article: &a.id.to_string(),
        extractor: "extractor",
    };
    gold_diff(
        &a.text,
        gold,
        predictions,
        &score.alignment,
        &scheme,
        labels,
    )
}

/// What a snapshot of a case shows: the predictions as stored, then the
/// gold diff (with `is_match` and the word highlights, `[-…-]` / `{+…+}`).
fn case(a: &Article, gold: &[GoldQuote], predictions: &[Prediction]) -> String {
    let scheme = Scheme::default();
    let score = score_article(&a.text, gold, predictions, &scheme);
    let rendering = render_predictions(&a.text, gold, predictions, &score.alignment, &scheme);
    let diff = diff_of(a, gold, predictions);
    check_patch(&diff);
    format!(
        "== predictions\n{rendering}\n== diff (is_match: {})\n{diff}\n== words\n{}",
        diff.is_match(),
        words(&diff)
    )
}

/// The changed lines with their highlighted words marked, wdiff style.
fn words(diff: &GoldDiff) -> String {
    let mut out = String::new();
    for line in diff.hunks().iter().flat_map(|h| &h.lines) {
        if line.tag == LineTag::Context || line.emphasis.is_empty() {
            continue;
        }
        let (open, close) = match line.tag {
            LineTag::Removed => ("[-", "-]"),
            _ => ("{+", "+}"),
        };
        let mut at = 0;
        out.push(line.tag.prefix());
        for r in &line.emphasis {
            out.push_str(&line.text[at..r.start]);
            out.push_str(open);
            out.push_str(&line.text[r.clone()]);
            out.push_str(close);
            at = r.end;
        }
        out.push_str(&line.text[at..]);
        out.push('\n');
    }
    out
}

/// Applies the unified diff to the gold side and checks that it gives the
/// prediction side: the hunk headers count lines right.
fn check_patch(diff: &GoldDiff) {
    let old = diff.gold_side();
    let old: Vec<&str> = old.lines().collect();
    let mut new: Vec<String> = Vec::new();
    let mut next_old = 0; // 0-based index of the next old line to copy
    let text = diff.unified();
    let mut lines = text.lines().peekable();
    if text.is_empty() {
        assert_eq!(diff.gold_side(), diff.prediction_side());
        return;
    }
    assert!(lines.next().unwrap().starts_with("--- gold/"));
    assert!(lines.next().unwrap().starts_with("+++ "));
    while let Some(header) = lines.next() {
        let nums: Vec<usize> = header
            .trim_start_matches("@@ -")
            .trim_end_matches(" @@")
            .split([',', ' ', '+'])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        let [old_start, old_len, new_start, new_len] = nums[..] else {
            panic!("bad hunk header {header}")
        };
        let first_old = if old_len == 0 {
            old_start
        } else {
            old_start - 1
        };
        new.extend(old[next_old..first_old].iter().map(|s| s.to_string()));
        next_old = first_old;
        let first_new = if new_len == 0 {
            new_start
        } else {
            new_start - 1
        };
        assert_eq!(new.len(), first_new, "{header}");
        let (mut seen_old, mut seen_new) = (0, 0);
        while let Some(line) = lines.next_if(|l| !l.starts_with("@@ ")) {
            let (tag, rest) = line.split_at(1);
            match tag {
                " " | "-" => {
                    assert_eq!(old[next_old], rest, "{header}");
                    next_old += 1;
                    seen_old += 1;
                }
                "+" => {}
                _ => panic!("bad line {line:?}"),
            }
            if tag != "-" {
                new.push(rest.to_string());
                seen_new += 1;
            }
        }
        assert_eq!((seen_old, seen_new), (old_len, new_len), "{header}");
    }
    new.extend(old[next_old..].iter().map(|s| s.to_string()));
    let side = diff.prediction_side();
    assert_eq!(new, side.lines().collect::<Vec<_>>());
}

const BBC: &str = "bbc-libya-us-talks";

// ---- renderings of whole articles

#[test]
fn gold_rendering_of_an_english_article() {
    let a = article(BBC);
    insta::assert_snapshot!(render_gold(&a.text, gold_of(a)));
}

#[test]
fn gold_rendering_of_cjk_text() {
    let a = article("world/saginoura-bus");
    insta::assert_snapshot!(render_gold(&a.text, gold_of(a)));
}

#[test]
fn gold_rendering_with_emoji_and_discontinuous_quotes() {
    let a = article("chef-nunez-apology");
    insta::assert_snapshot!(render_gold(&a.text, gold_of(a)));
}

/// Every corpus article against predictions made from its own gold: a
/// match, and a diff without a single change.
#[test]
fn gold_against_itself_is_a_match_everywhere() {
    for a in corpus() {
        let gold = gold_of(a);
        let diff = diff_of(a, gold, &perfect(a, gold));
        assert!(diff.is_match(), "{}", a.id);
        assert!(!diff.has_changes(), "{}:\n{diff}", a.id);
        assert_eq!(diff.unified(), "");
        assert_eq!(diff.gold_side(), diff.prediction_side());
    }
}

/// One whole article with several kinds of mismatch: the diff shows only
/// the blocks that differ, each in full.
#[test]
fn diff_of_a_whole_article_shows_only_the_mismatches() {
    let a = article(BBC);
    let t = &a.text;
    let gold = gold_of(a);
    let mut predictions = Vec::new();
    for g in gold {
        let mut p = from_gold(t, g);
        match g.id.as_str() {
            // Missed, and an optional quote left out.
            "q5" | "q21" => continue,
            "q2" => p.speaker = Some(PredMention::named("Col Gaddafi")),
            // The first part only: 6 of 20 tokens, below θ = 0.5.
            "q19" => p.content.truncate(1),
            _ => {}
        }
        predictions.push(p);
    }
    predictions.push(Prediction::at(find(
        t,
        "So far, the leader has laughed off suggestions",
        0,
    )));
    let diff = diff_of(a, gold, &predictions);
    assert!(!diff.is_match());
    check_patch(&diff);
    insta::assert_snapshot!(diff.to_string());
}

// ---- one case per verdict

#[test]
fn matched_perfect() {
    let a = article(BBC);
    let gold = pick(a, &["q10"]);
    let out = case(a, &gold, &perfect(a, &gold));
    assert!(out.contains("is_match: true"));
    insta::assert_snapshot!(out);
}

#[test]
fn wrong_speaker() {
    let a = article(BBC);
    let gold = pick(a, &["q10"]);
    let mut p = perfect(a, &gold);
    p[0].speaker = Some(PredMention::at(&a.text, find(&a.text, "Libyan people", 0)));
    insta::assert_snapshot!(case(a, &gold, &p));
}

#[test]
fn wrong_cue() {
    let a = article(BBC);
    let gold = pick(a, &["q13"]);
    let mut p = perfect(a, &gold);
    p[0].cue = Some(PredMention::named("said"));
    insta::assert_snapshot!(case(a, &gold, &p));
}

#[test]
fn wrong_kind() {
    let a = article(BBC);
    let gold = pick(a, &["q8"]);
    let mut p = perfect(a, &gold);
    p[0].kind = Some(Kind::Indirect);
    insta::assert_snapshot!(case(a, &gold, &p));
}

#[test]
fn missing_speaker_cue_and_kind() {
    let a = article(BBC);
    let gold = pick(a, &["q12"]);
    let p = vec![Prediction {
        content: gold[0]
            .content
            .iter()
            .map(|&s| PredPart::Located(s))
            .collect(),
        ..Prediction::default()
    }];
    insta::assert_snapshot!(case(a, &gold, &p));
}

/// Sim below 1: the prediction starts at the attribution and stops early.
/// (Starting there and stopping earlier still is below θ: see
/// `near_miss_below_the_threshold`.)
#[test]
fn near_miss() {
    let a = article(BBC);
    let gold = pick(a, &["q4"]);
    let mut p = perfect(a, &gold);
    p[0].content = vec![PredPart::Located(find(
        &a.text,
        "A spokesman said the Libyan government supported dialogue with the US but only if it was free",
        0,
    ))];
    insta::assert_snapshot!(case(a, &gold, &p));
}

/// A text-only prediction: matched anywhere its words are, shown as text.
#[test]
fn near_miss_given_as_text() {
    let a = article(BBC);
    let gold = pick(a, &["q13", "q14"]);
    let mut p = perfect(a, &gold);
    p[1].content = vec![PredPart::Text(
        "We will discuss everything. Let the Libyans decide their future".into(),
    )];
    insta::assert_snapshot!(case(a, &gold, &p));
}

#[test]
fn missed() {
    let a = article(BBC);
    let gold = pick(a, &["q4", "q5"]);
    let p = perfect(a, &gold[..1]);
    insta::assert_snapshot!(case(a, &gold, &p));
}

#[test]
fn optional_missed() {
    let a = article(BBC);
    let gold = pick(a, &["q6", "q7"]);
    let p = perfect(a, &gold[..1]);
    let out = case(a, &gold, &p);
    assert!(
        out.contains("is_match: true"),
        "an optional quote costs nothing"
    );
    insta::assert_snapshot!(out);
}

/// An optional quote nested in a required one: both predicted, the
/// optional one with the wrong speaker, which costs nothing either.
#[test]
fn optional_match() {
    let a = article(BBC);
    let gold = pick(a, &["q2", "q3"]);
    let mut p = perfect(a, &gold);
    p[1].speaker = None;
    let out = case(a, &gold, &p);
    assert!(out.contains("is_match: true"));
    insta::assert_snapshot!(out);
}

#[test]
fn spurious() {
    let a = article(BBC);
    let gold = pick(a, &["q21"]);
    let mut p = perfect(a, &gold);
    p.push(
        Prediction::at(find(
            &a.text,
            "US forces have been involved in military action",
            0,
        ))
        .with_kind(Kind::Direct),
    );
    p.push(Prediction::text("Nato is in charge").with_speaker(PredMention::named("Nato")));
    insta::assert_snapshot!(case(a, &gold, &p));
}

/// The first part of a two-part quote alone is below θ: the gold is
/// missed, the prediction spurious, shown next to it with its similarity.
#[test]
fn near_miss_below_the_threshold() {
    let a = article(BBC);
    let gold = pick(a, &["q18", "q19"]);
    let mut p = perfect(a, &gold);
    p[1].content.truncate(1);
    insta::assert_snapshot!(case(a, &gold, &p));
}

/// A prediction twice: one is paired, the copy is spurious.
#[test]
fn duplicate_prediction() {
    let a = article(BBC);
    let gold = pick(a, &["q1"]);
    let mut p = perfect(a, &gold);
    p.push(p[0].clone());
    p[0].id = Some("b".into());
    p[1].id = Some("a".into());
    insta::assert_snapshot!(case(a, &gold, &p));
}

#[test]
fn unusable_prediction() {
    let a = article(BBC);
    let gold = pick(a, &["q1"]);
    let mut p = perfect(a, &gold);
    p.push(Prediction {
        id: Some("broken-7".into()),
        speaker: Some(PredMention::named("he")),
        kind: Some(Kind::Direct),
        ..Prediction::default()
    });
    insta::assert_snapshot!(case(a, &gold, &p));
}

/// A discontinuous gold quote, predicted as one span running over the
/// attribution between its parts.
#[test]
fn discontinuous_quote() {
    let a = article("chef-nunez-apology");
    let gold = pick(a, &["q2"]);
    let mut p = perfect(a, &gold);
    let (first, last) = (gold[0].content[0], gold[0].content[1]);
    p[0].content = vec![PredPart::Located(Span::new(first.start, last.end))];
    insta::assert_snapshot!(case(a, &gold, &p));
}

#[test]
fn emoji_text() {
    let a = article("chef-nunez-apology");
    let gold = pick(a, &["q4", "q5"]);
    let mut p = perfect(a, &gold);
    // Only the first part of q4 (with its emoji), and q5 given to Grace.
    p[0].content.truncate(1);
    p[1].speaker = Some(PredMention::named("Grace Adeyemi"));
    insta::assert_snapshot!(case(a, &gold, &p));
}

#[test]
fn cjk_text() {
    let a = article("world/saginoura-bus");
    let gold = pick(a, &["q5", "q6", "q7"]);
    let mut p = perfect(a, &gold);
    let t = &a.text;
    // q5 without its second sentence, q6 attributed to the mayor, q7 missed.
    p[0].content = vec![PredPart::Located(find(
        t,
        "バスがなくなったら、病院に行く手段がありません。",
        0,
    ))];
    p[1].speaker = Some(PredMention::at(t, find(t, "林田雅子町長", 0)));
    p.truncate(2);
    insta::assert_snapshot!(case(a, &gold, &p));
}

/// Long words, line breaks, tabs and spaces at the ends of a span, in a
/// made-up article: every rendered line stays within 76 columns.
#[test]
fn long_lines_breaks_and_invisible_ends() {
    let url = "https://example.org/a/very/long/path/that/does/not/fit/on/any/line/of/the/rendering/at/all";
    let text = format!(
        "The minister said: “We will publish everything at {url} tomorrow,\nand\tnothing will be held back.” Then she left."
    );
    let span = |s: &str| find(&text, s, 0);
    let content = Span::new(span("We will").start, span("back.").end);
    let gold = vec![GoldQuote {
        id: "q1".into(),
        kind: Some(Kind::Direct),
        content: vec![content],
        speaker: Some(GoldSpeaker {
            span: Some(span("The minister")),
            text: "The minister".into(),
            entity: Some("Minister for Digital Affairs and Public Administration Reform".into()),
            aliases: vec!["minister".into()],
        }),
        cue: Some(span("said")),
        optional: false,
        note: Some("A note long enough to be wrapped, because curators write whole sentences about why a span is where it is.".into()),
    }];
    // The prediction takes the closing quote mark and the space after it.
    let p = vec![
        Prediction::at(Span::new(content.start, span("back.").end + 4)).with_kind(Kind::Direct),
    ];
    let article = Article {
        id: quotecheck::corpus::ArticleId::new("made-up").unwrap(),
        text: text.clone(),
        gold: None,
    };
    let rendered = render_gold(&text, &gold);
    let out = case(&article, &gold, &p);
    let (shown, _) = out.split_once("== words").unwrap();
    for line in rendered.lines().chain(shown.lines()) {
        assert!(line.chars().count() <= 77, "{line}");
        assert_eq!(line, line.trim_end(), "trailing whitespace");
    }
    insta::assert_snapshot!(format!("== gold\n{rendered}\n{out}"));
}

// ---- properties

#[test]
fn colour_only_when_asked() {
    let a = article(BBC);
    let gold = pick(a, &["q10"]);
    let mut p = perfect(a, &gold);
    p[0].speaker = Some(PredMention::named("Moussa Ibrahim"));
    let diff = diff_of(a, &gold, &p);
    let mut plain = Vec::new();
    diff.write_colored(&mut plain, false).unwrap();
    let plain = String::from_utf8(plain).unwrap();
    assert!(!plain.contains('\x1b'));
    assert_eq!(plain, diff.unified());

    let mut colored = Vec::new();
    diff.write_colored(&mut colored, true).unwrap();
    let colored = String::from_utf8(colored).unwrap();
    assert!(colored.contains("\x1b["), "{colored}");
    assert_eq!(strip_ansi(&colored), plain);
    // The differing words are emphasized, not the whole line.
    let strong = anstyle::AnsiColor::Green.on_default().bold().underline();
    let speaker_line = colored.lines().find(|l| l.contains("Moussa")).unwrap();
    assert!(
        speaker_line.contains(&format!("{strong}")),
        "{speaker_line:?}"
    );
    let marked = words(&diff);
    assert!(marked.contains("+  speaker  \"{+Moussa"), "{marked}");
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// How a generated prediction departs from the gold quote it is made from.
#[derive(Clone, Copy, Debug)]
enum Damage {
    None,
    Speaker,
    Cue,
    Kind,
    /// Drops the first word.
    Shorter,
    TextOnly,
    Unusable,
    /// Spans from the quote's start to the end of the article.
    Runaway,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        Just(Damage::None),
        Just(Damage::Speaker),
        Just(Damage::Cue),
        Just(Damage::Kind),
        Just(Damage::Shorter),
        Just(Damage::TextOnly),
        Just(Damage::Unusable),
        Just(Damage::Runaway),
    ]
}

fn damaged(text: &str, g: &GoldQuote, how: Damage, id: Option<u8>) -> Prediction {
    let mut p = from_gold(text, g);
    p.id = id.map(|i| format!("x{i}"));
    match how {
        Damage::None => {}
        Damage::Speaker => p.speaker = Some(PredMention::named("Somebody")),
        Damage::Cue => p.cue = None,
        Damage::Kind => p.kind = Some(Kind::Mixed),
        Damage::Shorter => {
            let s = g.content[0];
            if let Some(i) = s.slice(text).find(' ') {
                p.content[0] = PredPart::Located(Span::new(s.start + i + 1, s.end));
            }
        }
        Damage::TextOnly => {
            let words: Vec<&str> = g.content.iter().map(|s| s.slice(text)).collect();
            p.content = vec![PredPart::Text(words.join(" "))];
        }
        Damage::Unusable => p.content.clear(),
        Damage::Runaway => {
            p.content = vec![PredPart::Located(Span::new(g.content[0].start, text.len()))]
        }
    }
    p
}

/// Everything shown for one ordering of the records.
fn everything(a: &Article, gold: &[GoldQuote], predictions: &[Prediction]) -> String {
    let scheme: Scheme = "overlap:0.3".parse().unwrap();
    let score = score_article(&a.text, gold, predictions, &scheme);
    let labels = DiffLabels {
        article: "a",
        extractor: "x",
    };
    let diff = gold_diff(
        &a.text,
        gold,
        predictions,
        &score.alignment,
        &scheme,
        labels,
    );
    check_patch(&diff);
    format!(
        "{}\n{}\n{diff}\n{}\n{}",
        render_gold(&a.text, gold),
        render_predictions(&a.text, gold, predictions, &score.alignment, &scheme),
        diff.prediction_side(),
        words(&diff)
    )
}

fn shuffled<T: Clone>(items: &[T], order: &[usize]) -> Vec<T> {
    order.iter().map(|&i| items[i].clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Renderings and diffs do not change when gold and predictions are
    /// shuffled, even with duplicate predictions that differ only in id.
    #[test]
    fn order_of_records_changes_nothing(
        article_index in 0usize..2,
        specs in prop::collection::vec((0usize..64, damage(), prop::option::of(0u8..3)), 0..14),
        seed in any::<u64>(),
    ) {
        let a = article(["chef-nunez-apology", "world/saginoura-bus"][article_index]);
        let gold = gold_of(a);
        let predictions: Vec<Prediction> = specs
            .iter()
            .map(|&(g, how, id)| damaged(&a.text, &gold[g % gold.len()], how, id))
            .collect();
        // A deterministic shuffle from the seed (a small LCG), for both lists.
        let mut state = seed;
        let mut order = |n: usize| {
            let mut v: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                v.swap(i, (state >> 33) as usize % (i + 1));
            }
            v
        };
        let (gold_order, pred_order) = (order(gold.len()), order(predictions.len()));
        let before = everything(a, gold, &predictions);
        let after = everything(
            a,
            &shuffled(gold, &gold_order),
            &shuffled(&predictions, &pred_order),
        );
        prop_assert_eq!(before, after);
    }
}

/// `is_match` is false for each kind of mismatch and true only without one.
#[test]
fn is_match_only_without_mismatches() {
    let a = article(BBC);
    let gold = pick(a, &["q1", "q2", "q3", "q4"]);
    let good = perfect(a, &gold);
    assert!(diff_of(a, &gold, &good).is_match());
    for how in [
        Damage::Speaker,
        Damage::Cue,
        Damage::Kind,
        Damage::Unusable,
        Damage::Runaway,
    ] {
        let mut p = good.clone();
        p[0] = damaged(&a.text, &gold[0], how, None);
        assert!(!diff_of(a, &gold, &p).is_match(), "{how:?}");
    }
    // A shorter or text-only content still matches with sim < 1 (or = 1).
    for how in [Damage::Shorter, Damage::TextOnly] {
        let mut p = good.clone();
        p[0] = damaged(&a.text, &gold[0], how, None);
        assert!(diff_of(a, &gold, &p).is_match(), "{how:?}");
    }
    let mut missing = good.clone();
    missing.remove(0);
    assert!(!diff_of(a, &gold, &missing).is_match());
    let mut extra = good.clone();
    extra.push(Prediction::text("Nato later took over"));
    assert!(!diff_of(a, &gold, &extra).is_match());
    // Leaving out the optional q3 is fine.
    let mut optional_left_out = good;
    optional_left_out.remove(2);
    assert!(diff_of(a, &gold, &optional_left_out).is_match());
}
