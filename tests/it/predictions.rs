//! Resolving extractor output (corpus.md "Predictions"): nothing an
//! extractor returns is dropped, and each problem is reported per record.

use quotecheck::corpus::{resolve_output, PredPart, Severity, Span};
use serde_json::json;

const TEXT: &str = "😀 “Hi there,” she said.";

fn codes(issues: &[quotecheck::corpus::Issue]) -> Vec<(&'static str, Severity, Option<String>)> {
    issues
        .iter()
        .map(|i| (i.code, i.severity, i.path.clone()))
        .collect()
}

#[test]
fn offsets_in_any_unit_resolve_to_the_same_bytes() {
    let hi = TEXT.find("Hi there").unwrap();
    let want = Span::new(hi, hi + "Hi there".len());
    for (unit, start, end) in [("codepoint", 3, 11), ("utf16", 4, 12), ("utf8", hi, hi + 8)] {
        let out = json!({"offsets": unit, "quotes": [{"content": {"start": start, "end": end}}]});
        let set = resolve_output(&out, TEXT, "p.json", "a", None).unwrap();
        assert_eq!(
            set.quotes[0].content,
            vec![PredPart::Located(want)],
            "{unit}"
        );
        assert!(set.issues.is_empty(), "{unit}: {:?}", set.issues);
    }
}

#[test]
fn bad_offsets_fall_back_to_text_or_match_nothing() {
    let out = json!({"offsets": "utf16", "quotes": [
        // Inside the surrogate pair, but with text: scored on its text.
        {"content": {"start": 1, "end": 12, "text": "Hi there"}, "speaker": {"start": 99, "end": 100}},
        // Out of range and no text: a false positive that matches nothing.
        {"content": {"start": 3, "end": 400}},
        // Not an object.
        "Hi there",
        // No content.
        {"speaker": {"text": "she"}},
        // Text disagrees with the offsets: the slice wins, with a warning.
        {"content": {"start": 4, "end": 12, "text": "Hello"}, "kind": "quoted"},
    ]});
    let set = resolve_output(&out, TEXT, "p.json", "a", None).unwrap();
    assert_eq!(set.quotes.len(), 5, "nothing is dropped");
    assert_eq!(
        set.quotes[0].content,
        vec![PredPart::Text("Hi there".into())]
    );
    assert_eq!(
        set.quotes[0].speaker, None,
        "a speaker with bad offsets and no text counts as missing"
    );
    assert!(set.quotes[1].content.is_empty());
    assert!(set.quotes[2].content.is_empty());
    assert!(set.quotes[3].content.is_empty());
    assert_eq!(set.quotes[3].speaker.as_ref().unwrap().text, "she");
    assert!(matches!(set.quotes[4].content[..], [PredPart::Located(_)]));
    assert_eq!(set.quotes[4].kind, None);
    assert_eq!(
        codes(&set.issues),
        vec![
            (
                "offset-inside-surrogate-pair",
                Severity::Error,
                Some("quotes[0].content.start".into())
            ),
            (
                "offset-out-of-range",
                Severity::Error,
                Some("quotes[0].speaker.start".into())
            ),
            (
                "offset-out-of-range",
                Severity::Error,
                Some("quotes[0].speaker.end".into())
            ),
            (
                "offset-out-of-range",
                Severity::Error,
                Some("quotes[1].content.end".into())
            ),
            ("bad-prediction", Severity::Error, Some("quotes[2]".into())),
            (
                "bad-prediction",
                Severity::Error,
                Some("quotes[3].content".into())
            ),
            (
                "text-mismatch",
                Severity::Warning,
                Some("quotes[4].content.text".into())
            ),
            ("bad-kind", Severity::Warning, Some("quotes[4].kind".into())),
        ]
    );
}

#[test]
fn a_located_speaker_takes_its_text_from_the_article() {
    let out = json!({"quotes": [{"content": [{"start": 3, "end": 5}, {"text": "there"}], "speaker": {"start": 14, "end": 17, "text": "She"}, "cue": {"text": "said"}}]});
    let set = resolve_output(&out, TEXT, "p.json", "a", None).unwrap();
    let q = &set.quotes[0];
    assert_eq!(q.content.len(), 2);
    assert_eq!(q.content[1], PredPart::Text("there".into()));
    let speaker = q.speaker.as_ref().unwrap();
    assert_eq!(
        (speaker.text.as_str(), speaker.span.is_some()),
        ("she", true)
    );
    assert_eq!(q.cue.as_ref().unwrap().span, None);
}

#[test]
fn output_of_the_wrong_shape_is_refused_as_a_whole() {
    for bad in [
        json!([]),
        json!({"quotes": {}}),
        json!({}),
        json!({"offsets": "bytes", "quotes": []}),
    ] {
        let issues = resolve_output(&bad, TEXT, "p.json", "a", None).unwrap_err();
        assert!(issues.iter().any(|i| i.is_error()), "{bad}");
    }
}
