//! Worked examples of scoring.md: every expected number below is derived by
//! hand from the rules, in the comment next to it.

use quotecheck::align::{GoldVerdict, PredictionVerdict, Scheme, Similarity};
use quotecheck::corpus::{
    GoldQuote, GoldSpeaker, Kind, OffsetIndex, OffsetUnit, PredMention, PredPart, Prediction, Span,
};
use quotecheck::score::{
    score_article, ArticleScore, Criterion, KindBucket, KindPrecision, KindRecall, Totals,
};

// ---------------------------------------------------------------- builders

/// An article text, with helpers that find spans in it.
struct Doc(&'static str);

impl Doc {
    /// The `n`th (0-based) occurrence of `needle`.
    fn nth(&self, needle: &str, n: usize) -> Span {
        let start = self
            .0
            .match_indices(needle)
            .nth(n)
            .unwrap_or_else(|| panic!("{needle:?} #{n} not in {:?}", self.0))
            .0;
        Span::new(start, start + needle.len())
    }

    fn at(&self, needle: &str) -> Span {
        self.nth(needle, 0)
    }

    /// A required gold quote without speaker, cue or kind, over the first
    /// occurrence of each part.
    fn gold(&self, parts: &[&str]) -> GoldQuote {
        self.gold_at(parts.iter().map(|p| self.at(p)).collect())
    }

    fn gold_at(&self, content: Vec<Span>) -> GoldQuote {
        GoldQuote {
            id: format!("q{}", content[0].start),
            kind: None,
            content,
            speaker: None,
            cue: None,
            optional: false,
            note: None,
        }
    }

    /// A gold speaker mention at the first occurrence of `mention`.
    fn speaker(&self, mention: &str, entity: Option<&str>, aliases: &[&str]) -> GoldSpeaker {
        GoldSpeaker {
            span: Some(self.at(mention)),
            text: mention.to_owned(),
            entity: entity.map(str::to_owned),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// A prediction located at the first occurrence of each part.
    fn located(&self, parts: &[&str]) -> Prediction {
        Prediction {
            content: parts
                .iter()
                .map(|p| PredPart::Located(self.at(p)))
                .collect(),
            ..Prediction::default()
        }
    }

    /// A mention located at the first occurrence of `mention`.
    fn mention(&self, mention: &str) -> PredMention {
        PredMention {
            span: Some(self.at(mention)),
            text: mention.to_owned(),
        }
    }
}

fn text_pred(text: &str) -> Prediction {
    Prediction {
        content: vec![PredPart::Text(text.to_owned())],
        ..Prediction::default()
    }
}

fn named(text: &str) -> PredMention {
    PredMention {
        span: None,
        text: text.to_owned(),
    }
}

trait GoldExt {
    fn with_speaker(self, s: GoldSpeaker) -> Self;
    fn with_cue(self, s: Span) -> Self;
    fn with_kind(self, k: Kind) -> Self;
    fn optional(self) -> Self;
}

impl GoldExt for GoldQuote {
    fn with_speaker(mut self, s: GoldSpeaker) -> Self {
        self.speaker = Some(s);
        self
    }
    fn with_cue(mut self, s: Span) -> Self {
        self.cue = Some(s);
        self
    }
    fn with_kind(mut self, k: Kind) -> Self {
        self.kind = Some(k);
        self
    }
    fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
}

trait PredExt {
    fn says(self, m: PredMention) -> Self;
    fn cue(self, m: PredMention) -> Self;
    fn kind(self, k: Kind) -> Self;
}

impl PredExt for Prediction {
    fn says(mut self, m: PredMention) -> Self {
        self.speaker = Some(m);
        self
    }
    fn cue(mut self, m: PredMention) -> Self {
        self.cue = Some(m);
        self
    }
    fn kind(mut self, k: Kind) -> Self {
        self.kind = Some(k);
        self
    }
}

/// Expected `[tp, fp, fn]` for content, attribution, cue and kind.
type Expected = [[u64; 3]; 4];

/// All four criteria equal to the same counts.
fn all(tp: u64, fp: u64, fn_: u64) -> Expected {
    [[tp, fp, fn_]; 4]
}

/// Scores one article and checks every criterion's counts.
#[track_caller]
fn check(
    doc: &Doc,
    gold: &[GoldQuote],
    predictions: &[Prediction],
    scheme: &str,
    expected: Expected,
) -> ArticleScore {
    let scheme: Scheme = scheme.parse().expect("a valid scheme");
    let score = score_article(doc.0, gold, predictions, &scheme);
    for (c, want) in Criterion::ALL.into_iter().zip(expected) {
        let got = score.counts(c);
        assert_eq!(
            [got.tp, got.fp, got.fn_],
            want,
            "{c} [tp, fp, fn] under {scheme}"
        );
        assert!(got.tp <= score.counts(Criterion::Content).tp);
    }
    score
}

#[track_caller]
fn assert_close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-12, "got {got}, want {want}");
}

// ------------------------------------------------------- §2 schemes, θ

const EIGHT: Doc = Doc("“One two three four five six seven eight,” he said.");

#[test]
fn similarity_exactly_theta_passes() {
    // gold has 8 tokens; the prediction shares one, two, three and adds
    // nine, ten: shared 3, union 8 + 5 − 3 = 10, sim = 3/10.
    let gold = [EIGHT.gold(&["One two three four five six seven eight"])];
    let pred = [text_pred("one two three nine ten")];
    check(&EIGHT, &gold, &pred, "overlap:0.3", all(1, 0, 0));
    check(&EIGHT, &gold, &pred, "overlap:0.30", all(1, 0, 0));
    // 3/10 < 0.31 and < 0.5 (the default).
    check(&EIGHT, &gold, &pred, "overlap:0.31", all(0, 1, 1));
    check(&EIGHT, &gold, &pred, "overlap", all(0, 1, 1));
}

#[test]
fn similarity_just_below_theta_fails() {
    // One more extra token: shared 3, union 11, 3/11 < 3/10.
    let gold = [EIGHT.gold(&["One two three four five six seven eight"])];
    let pred = [text_pred("one two three nine ten eleven")];
    check(&EIGHT, &gold, &pred, "overlap:0.3", all(0, 1, 1));
    // …but 3/11 ≥ 0.27.
    check(&EIGHT, &gold, &pred, "overlap:0.27", all(1, 0, 0));
}

#[test]
fn default_threshold_is_one_half_inclusive() {
    let doc = Doc("“Alpha beta gamma delta,” she said.");
    let gold = [doc.gold(&["Alpha beta gamma delta"])];
    // shared 2, union 4: exactly 1/2.
    check(
        &doc,
        &gold,
        &[text_pred("alpha beta")],
        "overlap",
        all(1, 0, 0),
    );
    // shared 2, union 5: 2/5.
    check(
        &doc,
        &gold,
        &[text_pred("alpha beta epsilon")],
        "overlap",
        all(0, 1, 1),
    );
}

#[test]
fn exact_ignores_case_and_punctuation_but_not_order() {
    let doc = Doc("He said: “We will win, whatever it takes.”");
    let gold = [doc.gold(&["We will win, whatever it takes."])];
    check(
        &doc,
        &gold,
        &[text_pred("we will WIN whatever — it takes")],
        "exact",
        all(1, 0, 0),
    );
    // A token missing: not exact, but 5/6 overlap.
    check(
        &doc,
        &gold,
        &[text_pred("we will win whatever takes")],
        "exact",
        all(0, 1, 1),
    );
    check(
        &doc,
        &gold,
        &[text_pred("we will win whatever takes")],
        "overlap",
        all(1, 0, 0),
    );
    // Same multiset, other order: only `overlap:1` accepts it.
    let shuffled = [text_pred("whatever it takes we will win")];
    check(&doc, &gold, &shuffled, "exact", all(0, 1, 1));
    check(&doc, &gold, &shuffled, "overlap:1", all(1, 0, 0));
}

#[test]
fn multiset_counts_repeated_tokens() {
    let doc = Doc("“No, no, no,” he said.");
    let gold = [doc.gold(&["No, no, no"])];
    // [no] vs [no, no, no]: shared 1, union 3: 1/3.
    check(&doc, &gold, &[text_pred("no")], "overlap", all(0, 1, 1));
    check(&doc, &gold, &[text_pred("no")], "overlap:0.3", all(1, 0, 0));
    // [no, no] vs [no, no, no]: 2/3.
    check(&doc, &gold, &[text_pred("no no")], "overlap", all(1, 0, 0));
}

// ------------------------------------------------------- §2 location rule

const TWICE: Doc = Doc("“We will win,” she said on Monday. On Tuesday she said: “We will win.”");

#[test]
fn location_rule_rejects_the_same_words_elsewhere() {
    // Gold is the first copy; the prediction points at the second copy.
    let gold = [TWICE.gold_at(vec![TWICE.nth("We will win", 0)])];
    let pred = [Prediction {
        content: vec![PredPart::Located(TWICE.nth("We will win", 1))],
        ..Prediction::default()
    }];
    check(&TWICE, &gold, &pred, "exact", all(0, 1, 1));
    // A single character in common is enough.
    let touching = Span::new(TWICE.nth("We will win", 0).end - 1, TWICE.nth("she", 0).end);
    let pred = [Prediction {
        content: vec![PredPart::Located(touching)],
        ..Prediction::default()
    }];
    // tokens "n", "she": no overlap of tokens, so still no match…
    check(&TWICE, &gold, &pred, "overlap", all(0, 1, 1));
    // …while a located span that shares text and a character matches.
    let pred = [Prediction {
        content: vec![PredPart::Located(Span::new(
            TWICE.nth("We will win", 0).start,
            TWICE.nth("she", 0).end,
        ))],
        ..Prediction::default()
    }];
    // [we will win she] vs [we will win]: 3/4.
    check(&TWICE, &gold, &pred, "overlap", all(1, 0, 0));
}

#[test]
fn text_only_prediction_matches_either_copy_of_a_repeated_quote() {
    let gold = [
        TWICE.gold_at(vec![TWICE.nth("We will win", 0)]),
        TWICE.gold_at(vec![TWICE.nth("We will win", 1)]),
    ];
    // One prediction, two copies: one TP, one FN.
    check(
        &TWICE,
        &gold,
        &[text_pred("We will win")],
        "exact",
        all(1, 0, 1),
    );
    // Two identical text-only predictions take both copies.
    let two = [text_pred("We will win"), text_pred("we will win!")];
    check(&TWICE, &gold, &two, "exact", all(2, 0, 0));
    // A located prediction on the second copy and a text-only one: the
    // assignment gives the first copy to the text-only prediction.
    let mixed = [
        Prediction {
            content: vec![PredPart::Located(TWICE.nth("We will win", 1))],
            ..Prediction::default()
        },
        text_pred("we will win"),
    ];
    check(&TWICE, &gold, &mixed, "exact", all(2, 0, 0));
}

#[test]
fn located_part_elsewhere_blocks_a_text_part_that_would_match() {
    let doc = Doc("“Alpha beta,” he said. Nothing else here.");
    let gold = [doc.gold(&["Alpha beta"])];
    // Tokens [nothing, alpha, beta] vs [alpha, beta]: 2/3, but the only
    // located part does not overlap the gold quote.
    let pred = [Prediction {
        content: vec![
            PredPart::Located(doc.at("Nothing")),
            PredPart::Text("alpha beta".into()),
        ],
        ..Prediction::default()
    }];
    check(&doc, &gold, &pred, "overlap", all(0, 1, 1));
}

// ------------------------------------------------------- §1 discontinuous, parts

const SPLIT: Doc = Doc("“The difference,” he says, “is money.”");

#[test]
fn discontinuous_gold_tokens_follow_the_listed_parts() {
    let gold = [SPLIT.gold(&["The difference", "is money"])];
    // [the difference is money]
    check(
        &SPLIT,
        &gold,
        &[text_pred("the difference is money")],
        "exact",
        all(1, 0, 0),
    );
    check(
        &SPLIT,
        &gold,
        &[SPLIT.located(&["The difference", "is money"])],
        "exact",
        all(1, 0, 0),
    );
    // The parts listed the other way round: [is money the difference].
    let swapped = [SPLIT.located(&["is money", "The difference"])];
    check(&SPLIT, &gold, &swapped, "exact", all(0, 1, 1));
    check(&SPLIT, &gold, &swapped, "overlap:1", all(1, 0, 0));
    // One continuous span over both parts adds [he says]: 4/6.
    let whole = [Prediction {
        content: vec![PredPart::Located(Span::new(
            SPLIT.at("The").start,
            SPLIT.at("money").end,
        ))],
        ..Prediction::default()
    }];
    check(&SPLIT, &gold, &whole, "exact", all(0, 1, 1));
    check(&SPLIT, &gold, &whole, "overlap", all(1, 0, 0));
}

#[test]
fn mixed_located_and_text_parts() {
    let gold = [SPLIT.gold(&["The difference", "is money"])];
    // The located part satisfies the location rule, the text part adds its
    // tokens: [the difference is money].
    let pred = [Prediction {
        content: vec![
            PredPart::Located(SPLIT.at("The difference")),
            PredPart::Text("is money".into()),
        ],
        ..Prediction::default()
    }];
    check(&SPLIT, &gold, &pred, "exact", all(1, 0, 0));
    // Only the second located part overlaps the gold: still enough.
    let pred = [Prediction {
        content: vec![
            PredPart::Text("the difference".into()),
            PredPart::Located(SPLIT.at("is money")),
        ],
        ..Prediction::default()
    }];
    check(&SPLIT, &gold, &pred, "exact", all(1, 0, 0));
}

// ------------------------------------------------------- §1 tokens, offsets

#[test]
fn utf16_offsets_after_emoji() {
    let doc = Doc("😀😀 “Stay calm,” she said. 🎉");
    let ix = OffsetIndex::new(doc.0);
    // In UTF-16 each emoji is 2 units: "Stay calm" is units 6..15
    // (😀😀 = 4, space = 1, “ = 1).
    let span = Span::new(
        ix.to_byte(OffsetUnit::Utf16, 6).unwrap(),
        ix.to_byte(OffsetUnit::Utf16, 15).unwrap(),
    );
    assert_eq!(span.slice(doc.0), "Stay calm");
    let she = Span::new(
        ix.to_byte(OffsetUnit::Utf16, 18).unwrap(),
        ix.to_byte(OffsetUnit::Utf16, 21).unwrap(),
    );
    assert_eq!(she.slice(doc.0), "she");
    let gold = [doc
        .gold(&["Stay calm"])
        .with_speaker(doc.speaker("she", Some("Jo Park"), &[]))];
    let pred = [Prediction {
        content: vec![PredPart::Located(span)],
        speaker: Some(PredMention {
            span: Some(she),
            text: "she".into(),
        }),
        ..Prediction::default()
    }];
    check(&doc, &gold, &pred, "exact", all(1, 0, 0));
}

#[test]
fn han_characters_are_tokens_of_their_own() {
    let doc = Doc("他说：“我们会赢。”");
    let gold = [doc.gold(&["我们会赢"])];
    // [我 们 会 赢] vs [我 们 赢]: 3/4.
    check(&doc, &gold, &[text_pred("我们赢")], "overlap", all(1, 0, 0));
    check(
        &doc,
        &gold,
        &[text_pred("我们赢")],
        "overlap:0.8",
        all(0, 1, 1),
    );
    check(
        &doc,
        &gold,
        &[text_pred("「我们会赢」")],
        "exact",
        all(1, 0, 0),
    );
}

#[test]
fn dotted_capital_i_lower_cases_to_i_with_combining_dot() {
    let doc = Doc("“İSTANBUL wins,” they said.");
    let gold = [doc.gold(&["İSTANBUL wins"])];
    // The token İSTANBUL lower-cases to i + U+0307 + stanbul, so a plain
    // "istanbul" is another token: [istanbul wins] vs [i̇stanbul wins]
    // share 1 of 3.
    check(
        &doc,
        &gold,
        &[text_pred("İstanbul WINS")],
        "exact",
        all(1, 0, 0),
    );
    check(
        &doc,
        &gold,
        &[text_pred("istanbul wins")],
        "overlap",
        all(0, 1, 1),
    );
    check(
        &doc,
        &gold,
        &[text_pred("istanbul wins")],
        "overlap:0.3",
        all(1, 0, 0),
    );
    // Typed already decomposed, the combining dot (not alphanumeric) splits
    // the word: [i stanbul wins] shares 1 of 4 with the gold.
    let decomposed = [text_pred("i\u{307}stanbul wins")];
    check(&doc, &gold, &decomposed, "overlap:0.3", all(0, 1, 1));
    check(&doc, &gold, &decomposed, "overlap:0.25", all(1, 0, 0));
}

#[test]
fn prediction_without_tokens_matches_nothing() {
    let doc = Doc("“…” he said.");
    // A gold quote with no tokens would be a validation error; here the
    // prediction has none: it is a false positive even against itself.
    let gold = [doc.gold(&["he said"])];
    check(
        &doc,
        &gold,
        &[text_pred("“ — … ”")],
        "overlap",
        all(0, 1, 1),
    );
    check(&doc, &gold, &[doc.located(&["…"])], "overlap", all(0, 1, 1));
}

#[test]
fn unusable_content_is_a_false_positive() {
    let gold = [EIGHT.gold(&["One two three four five six seven eight"])];
    let unusable = Prediction::default();
    let good = text_pred("one two three four five six seven eight");
    check(
        &EIGHT,
        &gold,
        std::slice::from_ref(&unusable),
        "overlap",
        all(0, 1, 1),
    );
    check(&EIGHT, &gold, &[unusable, good], "overlap", all(1, 1, 0));
}

// ------------------------------------------------------- §3 speaker

const MINISTER: Doc = Doc("“We will not leave,” the prime minister told reporters. Aides agreed.");

fn minister_gold() -> GoldQuote {
    MINISTER
        .gold(&["We will not leave"])
        .with_speaker(MINISTER.speaker(
            "the prime minister",
            Some("Ana Silva"),
            &["Minister Silva", "PM"],
        ))
        .with_cue(MINISTER.at("told reporters"))
        .with_kind(Kind::Direct)
}

fn minister_pred() -> Prediction {
    MINISTER.located(&["We will not leave"])
}

/// Content is right in every speaker case below; only attribution varies.
#[track_caller]
fn check_speaker(speaker: Option<PredMention>, correct: bool) {
    let pred = Prediction {
        speaker,
        ..minister_pred()
    };
    let attribution = if correct { [1, 0, 0] } else { [0, 1, 1] };
    // Cue missing ⇒ wrong; kind missing ⇒ wrong (gold has both).
    check(
        &MINISTER,
        &[minister_gold()],
        &[pred],
        "overlap",
        [[1, 0, 0], attribution, [0, 1, 1], [0, 1, 1]],
    );
}

#[test]
fn speaker_by_mention_entity_or_alias() {
    check_speaker(Some(named("The Prime Minister")), true);
    check_speaker(Some(named("prime minister")), true); // leading "the" dropped
    check_speaker(Some(named("ANA SILVA")), true); // entity
    check_speaker(Some(named("Minister Silva")), true); // alias
    check_speaker(Some(named("the minister silva")), true); // alias, "the" dropped
    check_speaker(Some(named("P.M.")), false); // tokens [p, m] ≠ [pm]
    check_speaker(Some(named("Silva")), false); // part of a name is not a name
    check_speaker(Some(named("prime minister the")), false); // only a first "the" goes
}

#[test]
fn speaker_by_span_overlap() {
    // The located name "prime" matches no name, but its span overlaps.
    check_speaker(Some(MINISTER.mention("prime")), true);
    // A located mention elsewhere with a wrong name.
    check_speaker(Some(MINISTER.mention("Aides")), false);
    // Text alone never overlaps.
    check_speaker(Some(named("prime")), false);
}

#[test]
fn speaker_by_entity_alone_is_right_by_name_only() {
    // The same quote, its speaker given by entity alone (corpus.md): no
    // mention, so no overlap; the entity and aliases are the names.
    let gold = MINISTER
        .gold(&["We will not leave"])
        .with_speaker(GoldSpeaker::entity_only(
            "Ana Silva",
            vec!["the prime minister".into()],
        ));
    let case = |speaker: PredMention, correct: bool| {
        let attribution = if correct { [1, 0, 0] } else { [0, 1, 1] };
        check(
            &MINISTER,
            std::slice::from_ref(&gold),
            &[minister_pred().says(speaker)],
            "overlap",
            [[1, 0, 0], attribution, [1, 0, 0], [1, 0, 0]],
        );
    };
    case(named("ana silva"), true); // the entity
    case(MINISTER.mention("prime minister"), true); // the slice names an alias
    case(MINISTER.mention("prime"), false); // overlap says nothing: no gold span
    case(MINISTER.mention("Aides"), false);
}

#[test]
fn speaker_missing_when_gold_has_one_is_wrong() {
    check_speaker(None, false);
}

#[test]
fn null_gold_speaker_wants_no_speaker() {
    let gold = [MINISTER.gold(&["We will not leave"])];
    check(
        &MINISTER,
        &gold,
        &[minister_pred()],
        "overlap",
        all(1, 0, 0),
    );
    let with_speaker = [minister_pred().says(named("the prime minister"))];
    check(
        &MINISTER,
        &gold,
        &with_speaker,
        "overlap",
        [[1, 0, 0], [0, 1, 1], [1, 0, 0], [1, 0, 0]],
    );
}

#[test]
fn names_and_cues_without_tokens_never_match() {
    // Deliberate difference from the letter of scoring.md §3 (documented in
    // docs/scoring.md): "The" normalizes to "" and must not match an alias
    // that also normalizes to "", and two token-less cues are not "equal".
    let gold = minister_gold().with_speaker(MINISTER.speaker("the prime minister", None, &["The"]));
    let pred = Prediction {
        speaker: Some(named("the")),
        ..minister_pred()
    };
    check(
        &MINISTER,
        &[gold],
        &[pred],
        "overlap",
        [[1, 0, 0], [0, 1, 1], [0, 1, 1], [0, 1, 1]],
    );

    let gold = minister_gold().with_cue(MINISTER.at("”"));
    let pred = Prediction {
        speaker: Some(named("PM")),
        kind: Some(Kind::Direct),
        cue: Some(named("—")),
        ..minister_pred()
    };
    check(
        &MINISTER,
        &[gold],
        &[pred],
        "overlap",
        [[1, 0, 0], [1, 0, 0], [0, 1, 1], [1, 0, 0]],
    );
}

// ------------------------------------------------------- §3 cue and kind

#[test]
fn cue_by_overlap_tokens_or_null_gold() {
    let speaker = named("Ana Silva");
    let run = |cue: Option<PredMention>, correct: bool| {
        let pred = Prediction {
            cue,
            speaker: Some(speaker.clone()),
            kind: Some(Kind::Direct),
            ..minister_pred()
        };
        let cue_counts = if correct { [1, 0, 0] } else { [0, 1, 1] };
        check(
            &MINISTER,
            &[minister_gold()],
            &[pred],
            "overlap",
            [[1, 0, 0], [1, 0, 0], cue_counts, [1, 0, 0]],
        );
    };
    run(Some(MINISTER.mention("told")), true); // overlap
    run(Some(named("Told reporters!")), true); // same tokens
    run(Some(named("told")), false); // different tokens, no span
    run(Some(MINISTER.mention("agreed")), false); // span elsewhere
    run(None, false); // missing
                      // Gold without a cue: any cue, or none, is right.
    let gold = [MINISTER.gold(&["We will not leave"])];
    for cue in [None, Some(named("shouted"))] {
        let pred = Prediction {
            cue,
            ..minister_pred()
        };
        check(&MINISTER, &gold, &[pred], "overlap", all(1, 0, 0));
    }
}

#[test]
fn kind_rules() {
    let base = || {
        minister_pred()
            .says(named("PM"))
            .cue(named("told reporters"))
    };
    let gold = [minister_gold()];
    let right = [[1, 0, 0]; 4];
    let wrong_kind = [[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 1]];
    check(
        &MINISTER,
        &gold,
        &[base().kind(Kind::Direct)],
        "overlap",
        right,
    );
    check(
        &MINISTER,
        &gold,
        &[base().kind(Kind::Mixed)],
        "overlap",
        wrong_kind,
    );
    check(&MINISTER, &gold, &[base()], "overlap", wrong_kind); // missing kind
                                                               // Gold without a kind: any kind, or none, is right.
    let untyped = [GoldQuote {
        kind: None,
        ..minister_gold()
    }];
    check(
        &MINISTER,
        &untyped,
        &[base().kind(Kind::Indirect)],
        "overlap",
        right,
    );
    check(&MINISTER, &untyped, &[base()], "overlap", right);
}

// ------------------------------------------------------- §4 optional gold

const OPTIONS: Doc =
    Doc("“Alpha beta gamma delta,” one said. “Alpha beta gamma zeta,” another said.");

/// p1 = [alpha beta gamma delta] is 4/4 with g1 and 3/5 with g2;
/// p2 = [beta gamma delta eta] is 3/5 with g1 and 2/6 (no match) with g2.
fn options_preds() -> [Prediction; 2] {
    [
        text_pred("alpha beta gamma delta"),
        text_pred("beta gamma delta eta"),
    ]
}

#[test]
fn matching_more_optional_quotes_beats_higher_similarity() {
    let gold = [
        OPTIONS.gold(&["Alpha beta gamma delta"]).optional(),
        OPTIONS.gold(&["Alpha beta gamma zeta"]).optional(),
    ];
    // Pairing p1 with g1 (sim 1) would leave p2 a false positive; the
    // assignment pairs p1–g2 and p2–g1: both predictions are neither TP nor FP.
    let score = check(&OPTIONS, &gold, &options_preds(), "overlap", all(0, 0, 0));
    let c = score.counts(Criterion::Content);
    assert_eq!((c.p(), c.r(), c.f1()), (1.0, 1.0, 1.0));
    // The displayed pairing follows the same objective before similarity.
    assert_eq!(
        score.alignment.predictions,
        [
            PredictionVerdict::OptionalMatch { gold: 1 },
            PredictionVerdict::OptionalMatch { gold: 0 },
        ]
    );
    assert!(matches!(
        score.alignment.gold[0],
        GoldVerdict::Matched {
            prediction: 1,
            optional: true,
            sim: Similarity {
                shared: 3,
                total: 5
            },
            ..
        }
    ));
}

#[test]
fn greedy_by_similarity_would_be_wrong() {
    // The same graph with required gold: greedy p1–g1 gives TP 1, FP 1,
    // FN 1; the assignment p1–g2, p2–g1 gives TP 2.
    let gold = [
        OPTIONS.gold(&["Alpha beta gamma delta"]),
        OPTIONS.gold(&["Alpha beta gamma zeta"]),
    ];
    check(&OPTIONS, &gold, &options_preds(), "overlap", all(2, 0, 0));
    // With the predictions in the other order, the same.
    let [p1, p2] = options_preds();
    check(&OPTIONS, &gold, &[p2, p1], "overlap", all(2, 0, 0));
}

#[test]
fn required_gold_comes_before_optional_gold() {
    // g1 optional, g2 required; p1 can take either, p2 only g1.
    // Best: p1–g2 (required), p2–g1 (optional): TP 1, FP 0, FN 0.
    let gold = [
        OPTIONS.gold(&["Alpha beta gamma delta"]).optional(),
        OPTIONS.gold(&["Alpha beta gamma zeta"]),
    ];
    check(&OPTIONS, &gold, &options_preds(), "overlap", all(1, 0, 0));
    // Only p1: it must take the required g2 even though g1 is closer.
    let [p1, _] = options_preds();
    let score = check(&OPTIONS, &gold, &[p1], "overlap", all(1, 0, 0));
    assert_eq!(score.alignment.gold[0], GoldVerdict::OptionalMissed);
}

#[test]
fn optional_gold_needs_only_content_for_every_criterion() {
    // Wrong speaker, cue and kind against optional gold: still neither TP
    // nor FP for each criterion.
    let gold = [minister_gold().optional()];
    let pred = [minister_pred().says(named("Aides")).kind(Kind::Indirect)];
    check(&MINISTER, &gold, &pred, "overlap", all(0, 0, 0));
    // Missing an optional quote is no false negative.
    check(&MINISTER, &gold, &[], "overlap", all(0, 0, 0));
}

#[test]
fn attribution_uses_its_own_matching() {
    let gold = [
        OPTIONS
            .gold(&["Alpha beta gamma delta"])
            .with_speaker(OPTIONS.speaker("one", None, &[])),
        OPTIONS
            .gold(&["Alpha beta gamma zeta"])
            .with_speaker(OPTIONS.speaker("another", None, &[])),
    ];
    // q1 = [alpha beta gamma delta], q2 = [alpha beta gamma zeta]:
    // pa = [alpha beta gamma] is 3/4 with both; pb = [alpha beta gamma
    // delta zeta] is 4/5 with both. pa names q2's speaker, pb q1's.
    let preds = [
        text_pred("alpha beta gamma").says(named("another")),
        text_pred("alpha beta gamma delta zeta").says(named("one")),
    ];
    let score = check(&OPTIONS, &gold, &preds, "overlap", all(2, 0, 0));
    // The displayed pairing prefers correct speakers over similarity.
    assert!(matches!(
        score.alignment.gold[0],
        GoldVerdict::Matched {
            prediction: 1,
            speaker_correct: true,
            ..
        }
    ));
    // Both name q1's speaker: only one can be attributed right.
    let preds = [
        text_pred("alpha beta gamma").says(named("one")),
        text_pred("alpha beta gamma delta zeta").says(named("one")),
    ];
    let score = check(
        &OPTIONS,
        &gold,
        &preds,
        "overlap",
        [[2, 0, 0], [1, 1, 1], [2, 0, 0], [2, 0, 0]],
    );
    assert_eq!(score.speaker_accuracy.value(), Some(0.5));
    assert_eq!(
        (score.speaker_accuracy.correct, score.speaker_accuracy.of),
        (1, 2)
    );
}

// ------------------------------------------------------- §4 conventions

#[test]
fn no_gold_and_no_predictions_is_perfect() {
    let score = check(&EIGHT, &[], &[], "overlap", all(0, 0, 0));
    let c = score.counts(Criterion::Content);
    assert_eq!((c.p(), c.r(), c.f1()), (1.0, 1.0, 1.0));
    assert_eq!(score.speaker_accuracy.value(), None);
}

#[test]
fn no_gold_some_predictions() {
    let score = check(&EIGHT, &[], &[text_pred("one")], "overlap", all(0, 1, 0));
    let c = score.counts(Criterion::Content);
    assert_eq!((c.p(), c.r(), c.f1()), (0.0, 1.0, 0.0));
}

#[test]
fn failed_article_scores_with_no_predictions() {
    let gold = [
        EIGHT.gold(&["One two three four five six seven eight"]),
        EIGHT.gold(&["he said"]).optional(),
    ];
    let score = check(&EIGHT, &gold, &[], "overlap", all(0, 0, 1));
    let c = score.counts(Criterion::Content);
    assert_eq!((c.p(), c.r(), c.f1()), (1.0, 0.0, 0.0));
    assert_eq!(score.cue_accuracy.value(), None);
    assert_eq!(
        score.alignment.gold,
        [GoldVerdict::Missed, GoldVerdict::OptionalMissed]
    );
}

#[test]
fn all_wrong_is_zero() {
    let gold = [EIGHT.gold(&["One two three four five six seven eight"])];
    let score = check(&EIGHT, &gold, &[text_pred("nine")], "overlap", all(0, 1, 1));
    let c = score.counts(Criterion::Content);
    assert_eq!((c.p(), c.r(), c.f1()), (0.0, 0.0, 0.0));
}

#[test]
fn f1_of_a_partial_score() {
    // TP 1, FP 1, FN 2: P 1/2, R 1/3, F1 2·(1/6)/(5/6) = 2/5.
    let doc = Doc("“Alpha one,” a said. “Beta two,” b said. “Gamma three,” c said.");
    let gold = [
        doc.gold(&["Alpha one"]),
        doc.gold(&["Beta two"]),
        doc.gold(&["Gamma three"]),
    ];
    let score = check(
        &doc,
        &gold,
        &[text_pred("alpha one"), text_pred("delta")],
        "exact",
        all(1, 1, 2),
    );
    let c = score.counts(Criterion::Content);
    assert_close(c.p(), 0.5);
    assert_close(c.r(), 1.0 / 3.0);
    assert_close(c.f1(), 0.4);
}

#[test]
fn macro_counts_an_empty_article_as_perfect() {
    let scheme = Scheme::default();
    let gold = [EIGHT.gold(&["One two three four five six seven eight"])];
    let preds = [
        text_pred("one two three four five six seven eight"),
        text_pred("nine"),
    ];
    // Article A: TP 1, FP 1, FN 0: P 1/2, R 1, F1 2/3. Article B: empty, 1/1/1.
    let a = score_article(EIGHT.0, &gold, &preds, &scheme);
    let b = score_article("", &[], &[], &scheme);
    let mut totals = Totals::new();
    totals.add(&a);
    totals.add(&b);
    let m = totals.macro_figures(Criterion::Content);
    assert_close(m.p, 0.75);
    assert_close(m.r, 1.0);
    assert_close(m.f1, 5.0 / 6.0);
    // Micro sees only the counts of A.
    let micro = totals.micro(Criterion::Content);
    assert_close(micro.p, 0.5);
    assert_close(micro.f1, 2.0 / 3.0);
    assert_eq!(totals.articles(), 2);

    // Adding a failed article (no predictions): TP 0, FP 0, FN 1 ⇒ 1/0/0.
    totals.add(&score_article(EIGHT.0, &gold, &[], &scheme));
    let m = totals.macro_figures(Criterion::Content);
    assert_close(m.p, (0.5 + 1.0 + 1.0) / 3.0);
    assert_close(m.r, 2.0 / 3.0);
    assert_close(m.f1, (2.0 / 3.0 + 1.0) / 3.0);
    let c = totals.counts(Criterion::Content);
    assert_eq!((c.tp, c.fp, c.fn_), (1, 1, 1));
    assert_eq!(totals.speaker_accuracy().value(), Some(1.0));
}

// ------------------------------------------------------- §5 per kind

#[test]
fn per_kind_figures_let_one_prediction_count_for_two_gold_kinds() {
    let doc = Doc("“Alpha beta gamma,” she said, and said alpha beta gamma again.");
    let gold = [
        doc.gold_at(vec![doc.nth("Alpha beta gamma", 0)])
            .with_kind(Kind::Direct),
        doc.gold_at(vec![doc.nth("alpha beta gamma", 0)])
            .with_kind(Kind::Indirect),
    ];
    // One text-only prediction matches both; overall it is one TP, one FN.
    let pred = [text_pred("alpha beta gamma").kind(Kind::Direct)];
    let score = check(
        &doc,
        &gold,
        &pred,
        "exact",
        [[1, 0, 1], [1, 0, 1], [1, 0, 1], [1, 0, 1]],
    );
    // Per-kind recall: each kind has its own matching with every prediction.
    assert_eq!(
        score.kind_recall.get(&KindBucket::Direct),
        Some(&KindRecall { tp: 1, total: 1 })
    );
    assert_eq!(
        score.kind_recall.get(&KindBucket::Indirect),
        Some(&KindRecall { tp: 1, total: 1 })
    );
    assert_eq!(score.kind_recall.len(), 2);
    assert_eq!(
        score.kind_precision.get(&KindBucket::Direct),
        Some(&KindPrecision { tp: 1, fp: 0 })
    );
    assert_eq!(score.kind_precision.len(), 1);
}

#[test]
fn per_kind_buckets_for_missing_kinds_and_optional_gold() {
    let doc = Doc("“Alpha beta,” a said. “Gamma delta,” b said. “Epsilon,” c said.");
    let gold = [
        doc.gold(&["Alpha beta"]), // no kind: the `none` bucket for recall
        doc.gold(&["Gamma delta"]).with_kind(Kind::Mixed),
        doc.gold(&["Epsilon"]).with_kind(Kind::Mixed).optional(),
    ];
    let preds = [
        text_pred("alpha beta"),                   // no kind
        text_pred("epsilon").kind(Kind::Indirect), // optional match
        text_pred("zeta").kind(Kind::Indirect),    // spurious
    ];
    // Content: TP 1 (alpha beta), FP 1 (zeta), FN 1 (gamma delta).
    // Kind: gold "Alpha beta" has no kind ⇒ right; same counts.
    let score = check(&doc, &gold, &preds, "exact", all(1, 1, 1));
    assert_eq!(
        score.kind_recall.get(&KindBucket::None),
        Some(&KindRecall { tp: 1, total: 1 })
    );
    // The optional mixed quote is not among the required gold of its kind.
    assert_eq!(
        score.kind_recall.get(&KindBucket::Mixed),
        Some(&KindRecall { tp: 0, total: 1 })
    );
    assert_eq!(
        score.kind_precision.get(&KindBucket::None),
        Some(&KindPrecision { tp: 1, fp: 0 })
    );
    // "epsilon" matched optional gold: neither; "zeta": FP.
    assert_eq!(
        score.kind_precision.get(&KindBucket::Indirect),
        Some(&KindPrecision { tp: 0, fp: 1 })
    );
    let mut totals = Totals::new();
    totals.add(&score);
    totals.add(&score);
    assert_eq!(
        totals.kind_precision().get(&KindBucket::Indirect),
        Some(&KindPrecision { tp: 0, fp: 2 })
    );
    assert_eq!(totals.kind_recall()[&KindBucket::Mixed].recall(), 0.0);
}

#[test]
fn per_kind_precision_of_only_optional_matches_is_one() {
    let gold = [OPTIONS.gold(&["Alpha beta gamma delta"]).optional()];
    let pred = [text_pred("alpha beta gamma delta").kind(Kind::Direct)];
    let score = check(&OPTIONS, &gold, &pred, "exact", all(0, 0, 0));
    let p = score.kind_precision[&KindBucket::Direct];
    assert_eq!(p, KindPrecision { tp: 0, fp: 0 });
    assert_eq!(p.precision(), 1.0);
    assert!(score.kind_recall.is_empty());
}

// ------------------------------------------------------- §5 display

#[test]
fn display_verdicts_and_similarity() {
    let doc = Doc("“Alpha beta,” a said. “Gamma delta,” b said. “Epsilon,” c said.");
    let gold = [
        doc.gold(&["Alpha beta"]),
        doc.gold(&["Gamma delta"]),
        doc.gold(&["Epsilon"]).optional(),
    ];
    let preds = [
        text_pred("zeta"),
        text_pred("alpha beta eta"), // 2/3 with "Alpha beta"
    ];
    let score = check(&doc, &gold, &preds, "overlap", all(1, 1, 1));
    assert_eq!(
        score.alignment.gold,
        [
            GoldVerdict::Matched {
                prediction: 1,
                optional: false,
                speaker_correct: true,
                cue_correct: true,
                kind_correct: true,
                sim: Similarity {
                    shared: 2,
                    total: 3
                },
            },
            GoldVerdict::Missed,
            GoldVerdict::OptionalMissed,
        ]
    );
    assert_eq!(
        score.alignment.predictions,
        [
            PredictionVerdict::Spurious,
            PredictionVerdict::Matched { gold: 0 }
        ]
    );
    // Located first, then text-only by tokens: "alpha beta eta" < "zeta".
    assert_eq!(score.alignment.gold_order, [0, 1, 2]);
    assert_eq!(score.alignment.prediction_order, [1, 0]);
    let json = serde_json::to_value(&score.alignment.gold[0]).unwrap();
    assert_eq!(json["verdict"], "matched");
    assert_close(json["sim"].as_f64().unwrap(), 2.0 / 3.0);
    let json = serde_json::to_value(score.counts).unwrap();
    assert_eq!(json["content"]["fn"], 1);
}

#[test]
fn display_prefers_the_closer_prediction_when_counts_tie() {
    let doc = Doc("“Alpha beta gamma delta,” she said.");
    let gold = [doc.gold(&["Alpha beta gamma delta"])];
    // 3/4 and 4/4: either gives TP 1, FP 1; the display picks the closer.
    for preds in [
        [
            text_pred("alpha beta gamma"),
            text_pred("alpha beta gamma delta"),
        ],
        [
            text_pred("alpha beta gamma delta"),
            text_pred("alpha beta gamma"),
        ],
    ] {
        let score = check(&doc, &gold, &preds, "overlap", all(1, 1, 0));
        let GoldVerdict::Matched {
            prediction, sim, ..
        } = &score.alignment.gold[0]
        else {
            panic!("gold should be matched");
        };
        assert_eq!(
            preds[*prediction].content,
            vec![PredPart::Text("alpha beta gamma delta".into())]
        );
        assert_eq!(sim.value(), 1.0);
    }
}

#[test]
fn schemes_parse_and_print() {
    assert_eq!(
        "overlap:0.3".parse::<Scheme>().unwrap().to_string(),
        "overlap:0.3"
    );
    assert_eq!(Scheme::default().to_string(), "overlap:0.5");
    for bad in [
        "overlap:0",
        "overlap:1.5",
        "overlap:1e-1",
        "overlap:nan",
        "overlap:",
        "jaccard",
    ] {
        let err = bad.parse::<Scheme>().unwrap_err().to_string();
        assert!(!err.is_empty(), "{bad}");
    }
}
