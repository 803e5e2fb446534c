"""The extractor's tests, through the quotecheck pytest plugin: scored on
the project's corpus, gated on content F1, and compared with the
snapshots accepted in snapshots/example/."""
from extractor import extract


def test_extractor_on_the_corpus(quotecheck):
    report = quotecheck.check(
        "../../corpus", extract, name="example", version="1", min_f1={"content": 0.4}
    )
    assert report.totals["content"]["tp"] > 0


def test_extractor_finds_a_quote():
    text = '"We will stay," Anna Berg said.'
    [quote] = extract(text)
    assert text[quote.content.start : quote.content.end] == "We will stay,"
    assert text[quote.speaker.start : quote.speaker.end] == "Anna Berg"
