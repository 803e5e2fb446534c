//! The HTML report (`--html PATH`): escaping of hostile input, a page that
//! loads nothing, and, in a real headless Chromium, a page that loads
//! without errors, highlights as many quotes of each verdict as the report
//! counts, and whose filters change what is visible.
//!
//! The browser test needs Chromium (`.ci/run` installs Debian's package).
//! Without it the test fails when `CI` is set and is skipped with a notice
//! otherwise (`util::need`). It leaves the page and its screenshots in
//! `target/tmp/html-report/` for people and CI to look at.

use crate::util;

#[path = "browser/cdp.rs"]
mod cdp;
#[path = "browser/png.rs"]
mod png;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quotecheck::corpus::{Corpus, Item, PredMention, Prediction, Span};
use quotecheck::report::html;
use quotecheck::run::{run, RunSettings};
use serde_json::{json, Value};
use util::{replay_of_corpus, Dir};

/// Tags the page may contain.
const TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "script", "body", "header", "h1", "h2", "h3", "p",
    "code", "form", "label", "input", "fieldset", "legend", "span", "output", "section", "table",
    "caption", "thead", "tbody", "tr", "th", "td", "b", "div", "ul", "li", "mark", "a", "br",
    "svg", "line", "rect", "main", "article", "details", "summary", "pre", "em", "footer",
];

/// Attributes the page may use (besides `data-*`).
const ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "href",
    "title",
    "type",
    "name",
    "value",
    "checked",
    "hidden",
    "aria-label",
    "lang",
    "charset",
    "http-equiv",
    "content",
    "dir",
    "open",
    "rowspan",
    "colspan",
    "viewbox",
    "preserveaspectratio",
    "role",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "width",
    "height",
];

/// One start tag: its name and attributes (values as written, escaped).
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// Reads every tag of `page` and checks the markup is what the report
/// writes and nothing else: known tags and attributes only, double-quoted
/// values, no `>` or `"` in text or values (so every string was escaped),
/// in-page links only, no comments, one inline style and one inline
/// script, no URL anywhere outside text.
fn check_markup(page: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = page
        .strip_prefix("<!DOCTYPE html>")
        .expect("the page starts with its doctype");
    let mut raw_text = Vec::new();
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert!(
            !text.contains('>'),
            "an unescaped `>` in text: {}",
            &text[..text.len().min(200)]
        );
        rest = &rest[open + 1..];
        assert!(!rest.starts_with("!--"), "a comment in the page");
        if let Some(after) = rest.strip_prefix('/') {
            let end = after.find('>').expect("a closed end tag");
            let name = &after[..end];
            assert!(TAGS.contains(&name), "an unexpected end tag </{name}>");
            rest = &after[end + 1..];
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .expect("a tag name");
        let name = rest[..name_len].to_string();
        assert!(TAGS.contains(&name.as_str()), "an unexpected tag <{name}>");
        rest = &rest[name_len..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            let len = rest
                .find(|c: char| c == '=' || c == '>' || c.is_whitespace())
                .expect("an attribute");
            let attr = rest[..len].to_ascii_lowercase();
            assert!(
                ATTRIBUTES.contains(&attr.as_str())
                    || attr.starts_with("data-")
                        && attr[5..].chars().all(|c| c.is_ascii_lowercase()),
                "an unexpected attribute {attr} on <{name}>"
            );
            rest = &rest[len..];
            let value = if let Some(after) = rest.strip_prefix("=\"") {
                let end = after.find('"').expect("a closed attribute value");
                let value = &after[..end];
                assert!(
                    !value.contains('<') && !value.contains('>'),
                    "an unescaped value {attr}={value:?}"
                );
                rest = &after[end + 1..];
                value.to_string()
            } else {
                assert!(
                    !rest.starts_with('='),
                    "an unquoted value of {attr} on <{name}>"
                );
                String::new()
            };
            if attr == "href" {
                assert!(value.starts_with('#'), "a link out of the page: {value:?}");
            }
            let lower = value.to_ascii_lowercase();
            assert!(
                !lower.contains("http:")
                    && !lower.contains("https:")
                    && !lower.contains("javascript:")
                    && !lower.contains("url("),
                "a resource in {attr}={value:?}"
            );
            attributes.push((attr, value));
        }
        if name == "style" || name == "script" {
            let close = format!("</{name}>");
            let end = rest.find(&close).expect("a closed style or script");
            raw_text.push((name.clone(), rest[..end].to_string()));
            rest = &rest[end..];
        }
        tags.push(Tag { name, attributes });
    }
    for (name, text) in &raw_text {
        let lower = text.to_ascii_lowercase();
        for banned in [
            "http:",
            "https:",
            "url(",
            "@import",
            "//cdn",
            "fetch(",
            "xmlhttprequest",
        ] {
            assert!(!lower.contains(banned), "{banned} in the inline {name}");
        }
    }
    let count = |n: &str| tags.iter().filter(|t| t.name == n).count();
    assert_eq!(count("script"), 1, "one inline script");
    assert_eq!(count("style"), 1, "one inline style sheet");
    assert!(
        tags.iter()
            .filter(|t| t.name == "script")
            .all(|t| t.attributes.is_empty()),
        "the script is inline"
    );
    let csp = tags
        .iter()
        .find(|t| {
            t.name == "meta"
                && t.attributes
                    .iter()
                    .any(|(a, v)| a == "http-equiv" && v == "Content-Security-Policy")
        })
        .expect("a Content-Security-Policy");
    let policy = &csp
        .attributes
        .iter()
        .find(|(a, _)| a == "content")
        .unwrap()
        .1;
    assert!(
        policy.starts_with("default-src &#39;none&#39;")
            || policy.starts_with("default-src 'none'")
    );
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    tags
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attributes
        .iter()
        .find(|(a, _)| a == name)
        .map(|(_, v)| v.as_str())
}

/// Predictions equal to the gold of every article of `corpus/`: an
/// extractor that is right everywhere.
fn perfect_replay() -> String {
    let corpus = Corpus::open(util::repo().join("corpus")).unwrap();
    let mut lines = String::new();
    for item in corpus.items() {
        let Item::Article { article, .. } = item else {
            panic!("corpus/ is valid")
        };
        let Some(gold) = &article.gold else { continue };
        let span = |s: Span| json!({"start": s.start, "end": s.end});
        let quotes: Vec<Value> = gold
            .quotes
            .iter()
            .map(|q| {
                let mut v =
                    json!({"content": q.content.iter().map(|s| span(*s)).collect::<Vec<_>>()});
                if let Some(sp) = &q.speaker {
                    v["speaker"] = sp.span.map_or(json!({"text": sp.text}), span);
                }
                if let Some(c) = q.cue {
                    v["cue"] = span(c);
                }
                if let Some(k) = q.kind {
                    v["kind"] = json!(k.as_str());
                }
                v
            })
            .collect();
        let line = json!({"id": article.id.as_str(), "offsets": "utf8", "quotes": quotes});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    lines
}

/// Runs two extractors (damaged and perfect replays) on `corpus/` and
/// returns the folder, the page and the JSON report.
fn project_run() -> (Dir, String, Value) {
    let dir = Dir::new();
    dir.write("damaged.jsonl", replay_of_corpus());
    dir.write("perfect.jsonl", perfect_replay());
    let corpus = util::repo().join("corpus");
    dir.run_expect(
        0,
        &[
            "run",
            "--corpus",
            corpus.to_str().unwrap(),
            "--replay",
            "damaged=damaged.jsonl",
            "--replay",
            "perfect=perfect.jsonl",
            "--html",
            "out/report.html",
            "--json",
            "report.json",
            "--diffs",
            "none",
        ],
    );
    let page = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    let report = serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    (dir, page, report)
}

#[test]
fn the_page_loads_nothing_and_shows_every_scored_article() {
    let (_dir, page, report) = project_run();
    let tags = check_markup(&page);
    let sections: Vec<&Tag> = tags.iter().filter(|t| t.name == "article").collect();
    let scored = report["corpus"]["scored"].as_u64().unwrap() as usize;
    assert_eq!(sections.len(), scored);
    // In corpus order, anchored by id.
    let ids: Vec<String> = report["extractors"][0]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("a-{}", a["id"].as_str().unwrap()))
        .collect();
    let anchors: Vec<String> = sections
        .iter()
        .map(|t| attr(t, "id").unwrap().to_string())
        .collect();
    assert_eq!(anchors, ids);
    // Every in-page link leads somewhere.
    let targets: std::collections::HashSet<&str> =
        tags.iter().filter_map(|t| attr(t, "id")).collect();
    for t in &tags {
        if let Some(href) = attr(t, "href") {
            assert!(targets.contains(&href[1..]), "a link to nowhere: {href}");
        }
    }
    // Two extractors side by side in every section, the filters hidden
    // until the script shows them.
    assert_eq!(
        tags.iter()
            .filter(|t| t.name == "div" && attr(t, "class") == Some("col"))
            .count(),
        2 * scored
    );
    let form = tags.iter().find(|t| t.name == "form").unwrap();
    assert!(attr(form, "hidden").is_some());
    assert!(page.contains("<svg"), "the chart");
    assert!(page.contains("Gold diff"));
}

/// A corpus and a replay full of markup and quotes.
fn hostile_dir() -> (Dir, String) {
    let text = "<script>alert(1)</script> “We will <b>never</b> leave,” said \"><img src=x onerror=alert(2)> the minister. \
' onmouseover='alert(3)' “Prices & <i>wages</i> rise,” she added. See https://evil.example/x.js </textarea></style></script><!-- -->";
    let at = |s: &str| {
        let start = text.find(s).unwrap();
        json!({"start": start, "end": start + s.len(), "text": s})
    };
    let gold = json!({
        "article": "evil-1",
        "offsets": "utf8",
        "status": "gold",
        "quotes": [
            {
                "id": "q\"><script>alert(4)</script>",
                "kind": "direct",
                "content": at("We will <b>never</b> leave,"),
                "speaker": {
                    "start": at("\"><img src=x onerror=alert(2)> the minister")["start"],
                    "end": at("\"><img src=x onerror=alert(2)> the minister")["end"],
                    "text": "\"><img src=x onerror=alert(2)> the minister",
                    "entity": "<img src=x onerror=alert(5)>",
                    "aliases": ["\"</a><a href=\"javascript:alert(6)\">"]
                },
                "cue": at("said"),
                "note": "<script>alert(7)</script>"
            },
            {
                "id": "q2' onclick='alert(8)",
                "kind": "direct",
                "content": at("Prices & <i>wages</i> rise,"),
                "speaker": at("she"),
                "cue": at("added")
            }
        ]
    });
    let predictions = json!({
        "offsets": "utf8",
        "quotes": [
            {
                "id": "\"><script>alert(10)</script>",
                "content": at("We will <b>never</b> leave,"),
                "speaker": {"text": "<img src=y onerror=alert(9)>"},
                "cue": {"text": "said"},
                "kind": "direct"
            },
            {
                "content": {"text": "<svg onload=alert(11)>"},
                "speaker": {"text": "</mark><script>alert(12)</script>"}
            },
            {
                "content": at("<script>alert(1)</script>"),
                "kind": "indirect"
            }
        ]
    });
    let dir = Dir::new();
    dir.write("corpus/evil-1.txt", text);
    dir.write("corpus/evil-1.json", gold.to_string());
    dir.write("evil/evil-1.json", predictions.to_string());
    (dir, text.to_string())
}

#[test]
fn hostile_article_text_and_extractor_output_are_shown_as_text() {
    let (dir, _) = hostile_dir();
    dir.run_expect(
        0,
        &[
            "run",
            "--replay",
            "evil=evil",
            "--html",
            "report.html",
            "--diffs",
            "none",
        ],
    );
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    check_markup(&page);
    for raw in [
        "<script>alert",
        "<img",
        "<svg onload",
        "<b>never",
        "<i>wages",
        "</textarea>",
        "<!--",
    ] {
        // As text these are harmless (and present, escaped); as markup
        // check_markup would have refused them already.
        assert!(!page.contains(raw), "{raw:?} reached the page unescaped");
    }
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
        "&lt;img src=y onerror=alert(9)&gt;",
        "&lt;svg onload=alert(11)&gt;",
        "q&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(5)&gt;",
        "&lt;script&gt;alert(7)&lt;/script&gt;",
        "Prices &amp; &lt;i&gt;wages&lt;/i&gt; rise,",
        "https://evil.example/x.js",
    ] {
        assert!(page.contains(escaped), "{escaped:?} is not shown");
    }
}

#[test]
fn hostile_extractor_names_and_versions_are_escaped() {
    let (dir, _) = hostile_dir();
    let corpus = Corpus::open(dir.join("corpus")).unwrap();
    // The command line only accepts safe names; the library takes any.
    let name = "<img src=x onerror=alert(13)>\"'&";
    let extractor = quotecheck::extract::from_fn(name, |article: &quotecheck::corpus::Article| {
        let end = article.text.find('>').unwrap() + 1;
        Ok::<_, String>(vec![Prediction::at(Span::new(0, end))
            .with_speaker(PredMention::named("<b>bold</b>"))
            .with_cue(PredMention::named("\"><x>"))])
    })
    .with_version("</title><script>alert(14)</script>");
    let result = run(&corpus, &[&extractor], &RunSettings::default(), &mut |_| {});
    let mut page = Vec::new();
    let articles = corpus.items().filter_map(|item| match item {
        Item::Article { article, .. } => Some(article),
        Item::Broken { .. } => None,
    });
    html::write(
        &result,
        html::Texts::Articles(Box::new(articles)),
        html::Embed::All,
        &mut page,
    )
    .unwrap();
    let page = String::from_utf8(page).unwrap();
    check_markup(&page);
    assert!(!page.contains("<img"));
    assert!(!page.contains("<b>bold"));
    assert!(page.contains("&lt;img src=x onerror=alert(13)&gt;&quot;'&amp;"));
    assert!(page.contains("&lt;/title&gt;&lt;script&gt;alert(14)&lt;/script&gt;"));
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;"));
}

#[test]
fn a_corpus_changed_since_the_run_is_not_highlighted() {
    let (dir, text) = hostile_dir();
    let corpus = Corpus::open(dir.join("corpus")).unwrap();
    let replay = quotecheck::extract::Replay::open("evil", dir.join("evil")).unwrap();
    let result = run(&corpus, &[&replay], &RunSettings::default(), &mut |_| {});
    // Another gold file for the same article: the pairing no longer fits.
    dir.write(
        "corpus/evil-1.json",
        json!({"article": "evil-1", "status": "gold", "quotes": []}).to_string(),
    );
    let changed = Corpus::open(dir.join("corpus")).unwrap();
    let articles = changed.items().filter_map(|item| match item {
        Item::Article { article, .. } => Some(article),
        Item::Broken { .. } => None,
    });
    let mut page = Vec::new();
    html::write(
        &result,
        html::Texts::Articles(Box::new(articles)),
        html::Embed::All,
        &mut page,
    )
    .unwrap();
    let page = String::from_utf8(page).unwrap();
    check_markup(&page);
    assert!(page.contains("no longer matches these results"), "{page}");
    assert!(!page.contains("<mark class=\"q "));
    assert!(!page.contains(&text[..20]), "the text is not shown");
}

#[test]
fn merged_results_have_the_summary_and_say_why_texts_are_missing() {
    let dir = Dir::new();
    dir.write("damaged.jsonl", replay_of_corpus());
    let corpus = util::repo().join("corpus");
    for k in ["1/2", "2/2"] {
        let part = format!("part-{}.json", &k[..1]);
        dir.run_expect(
            0,
            &[
                "run",
                "--corpus",
                corpus.to_str().unwrap(),
                "--replay",
                "damaged.jsonl",
                "--shard",
                k,
                "--json",
                &part,
                "--diffs",
                "none",
            ],
        );
    }
    dir.run_expect(
        0,
        &[
            "merge",
            "part-1.json",
            "part-2.json",
            "--html",
            "merged.html",
        ],
    );
    let page = std::fs::read_to_string(dir.join("merged.html")).unwrap();
    let tags = check_markup(&page);
    assert!(page.contains("read from JSON reports"), "{page}");
    assert!(!page.contains("<mark class=\"q "));
    assert_eq!(tags.iter().filter(|t| t.name == "article").count(), 9);
    assert!(page.contains("<table class=\"summary\">"));
}

/// Where the browser test leaves the page and its screenshots.
fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a screenshot and checks it shows something.
fn screenshot(browser: &mut cdp::Browser, path: &Path) {
    let bytes = browser.screenshot().unwrap();
    std::fs::write(path, &bytes).unwrap();
    let image = png::decode(&bytes).unwrap();
    let (ink, colours) = image.ink();
    assert!(
        image.width >= 1000 && image.height >= 800,
        "{}: {}×{}",
        path.display(),
        image.width,
        image.height
    );
    assert!(
        ink > 0.05 && colours > 50,
        "{} looks blank: {:.1}% of pixels differ from the background, {colours} colours",
        path.display(),
        ink * 100.0
    );
}

/// How many records, highlighted quotes and counted quotes each column
/// has per verdict, and what the JSON report says.
const COUNT_IN_DOM: &str = r#"(() => {
  const tally = (els, key) => {
    const sets = {};
    els.forEach(el => { (sets[el.dataset.v] = sets[el.dataset.v] || new Set()).add(key(el)); });
    return Object.fromEntries(Object.entries(sets).map(([v, s]) => [v, s.size]));
  };
  return [...document.querySelectorAll("article.art .col")].map(col => ({
    article: col.closest("article").querySelector("h2 a.anchor").textContent,
    x: Number(col.dataset.x),
    marked: tally([...col.querySelectorAll("mark.q")], el => el.dataset.r),
    records: tally([...col.querySelectorAll("details.rec")], el => el.id),
    counted: Object.fromEntries([...col.querySelectorAll(".counts .count")].map(c => [c.dataset.v, Number(c.dataset.n)])),
  }));
})()"#;

/// How much of the page is visible: articles, columns, records and
/// highlighted quotes by verdict.
const VISIBLE: &str = r#"(() => {
  const shown = el => el.getClientRects().length > 0;
  const painted = el => shown(el) && getComputedStyle(el).backgroundColor !== "rgba(0, 0, 0, 0)";
  const by = (els, test) => {
    const n = {};
    els.forEach(el => { if (test(el)) n[el.dataset.v] = (n[el.dataset.v] || 0) + 1; });
    return n;
  };
  return {
    articles: [...document.querySelectorAll("article.art")].filter(shown).length,
    columns: [...document.querySelectorAll(".col")].filter(shown).map(c => Number(c.dataset.x)),
    records: by([...document.querySelectorAll("details.rec")], shown),
    marks: by([...document.querySelectorAll("mark.q")], painted),
    kinds: [...new Set([...document.querySelectorAll("mark.q")].filter(painted).map(m => m.dataset.k))].sort(),
    status: (document.getElementById("shown") || {}).textContent || "",
    filters: shown(document.getElementById("filters")),
  };
})()"#;

fn click(browser: &mut cdp::Browser, selector: &str) {
    let js = format!(
        "(() => {{ const el = document.querySelector({}); el.click(); return true; }})()",
        serde_json::to_string(selector).unwrap()
    );
    browser
        .eval(&js)
        .unwrap_or_else(|e| panic!("cannot click {selector}: {e}"));
}

#[test]
fn in_a_real_browser() {
    let Some(chromium) = util::need::or_skip(
        cdp::find_chromium(),
        "Chromium (Debian package chromium, or CHROMIUM set to a browser)",
    ) else {
        return;
    };
    let out = artifacts();
    let (dir, page, report) = project_run();
    let page_path = out.join("report.html");
    std::fs::write(&page_path, &page).unwrap();
    let mut browser = cdp::Browser::launch(&chromium).unwrap();

    // --- The project corpus, two extractors.
    browser.new_page(1280, 2000, true).unwrap();
    browser.load(&page_path).unwrap();
    assert_eq!(browser.errors(), Vec::<String>::new(), "errors on load");
    screenshot(&mut browser, &out.join("report.png"));

    // Every quote of every column is highlighted and has a record, and
    // their numbers per verdict are the report's.
    let columns = browser.eval(COUNT_IN_DOM).unwrap();
    let columns = columns.as_array().unwrap();
    let scored = report["corpus"]["scored"].as_u64().unwrap() as usize;
    assert_eq!(columns.len(), 2 * scored);
    for column in columns {
        let x = column["x"].as_u64().unwrap() as usize;
        let id = column["article"].as_str().unwrap();
        let article = report["extractors"][x]["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap();
        let mut expected: BTreeMap<&str, u64> = BTreeMap::new();
        for row in article["alignment"].as_array().unwrap() {
            let verdict = match row["verdict"].as_str().unwrap() {
                "optional-match" | "optional-missed" => "optional",
                v => v,
            };
            *expected.entry(verdict).or_default() += 1;
        }
        assert_eq!(
            expected.get("matched").copied().unwrap_or(0),
            article["content"]["tp"].as_u64().unwrap()
        );
        assert_eq!(
            expected.get("missed").copied().unwrap_or(0),
            article["content"]["fn"].as_u64().unwrap()
        );
        assert_eq!(
            expected.get("spurious").copied().unwrap_or(0),
            article["content"]["fp"].as_u64().unwrap()
        );
        let expected = json!(expected);
        assert_eq!(
            column["marked"], expected,
            "highlighted quotes of {id}, extractor {x}"
        );
        assert_eq!(
            column["records"], expected,
            "records of {id}, extractor {x}"
        );
        let counted: BTreeMap<String, u64> =
            serde_json::from_value(column["counted"].clone()).unwrap();
        let counted: BTreeMap<String, u64> = counted.into_iter().filter(|(_, n)| *n > 0).collect();
        assert_eq!(
            json!(counted),
            expected,
            "counts shown for {id}, extractor {x}"
        );
    }

    // The filters change what is visible.
    let all = browser.eval(VISIBLE).unwrap();
    assert_eq!(all["articles"], json!(scored));
    assert_eq!(all["filters"], json!(true), "the script shows the filters");
    assert_eq!(
        all["status"],
        json!(format!("showing {scored} of {scored} articles"))
    );
    assert!(all["marks"]["missed"].as_u64().unwrap() > 0);
    assert!(all["records"]["missed"].as_u64().unwrap() > 0);

    click(&mut browser, "input[name=v][value=missed]");
    let v = browser.eval(VISIBLE).unwrap();
    assert_eq!(
        v["marks"].get("missed"),
        None,
        "missed quotes are no longer highlighted"
    );
    assert_eq!(v["records"].get("missed"), None, "nor listed");
    assert_eq!(v["marks"]["matched"], all["marks"]["matched"]);
    click(&mut browser, "input[name=v][value=missed]");

    click(&mut browser, "input[name=k][value=direct]");
    let v = browser.eval(VISIBLE).unwrap();
    assert!(
        !v["kinds"].as_array().unwrap().contains(&json!("direct")),
        "{v}"
    );
    assert!(all["kinds"].as_array().unwrap().contains(&json!("direct")));
    click(&mut browser, "input[name=k][value=direct]");

    click(&mut browser, "input[name=x][value='0']");
    let v = browser.eval(VISIBLE).unwrap();
    assert_eq!(
        v["columns"],
        json!(vec![1; scored]),
        "only the second extractor"
    );
    click(&mut browser, "#only-mismatches");
    let v = browser.eval(VISIBLE).unwrap();
    assert_eq!(
        v["articles"],
        json!(0),
        "the perfect extractor has no mismatch"
    );
    assert_eq!(
        v["status"],
        json!(format!("showing 0 of {scored} articles"))
    );
    click(&mut browser, "input[name=x][value='0']");
    let v = browser.eval(VISIBLE).unwrap();
    assert_eq!(
        v["articles"],
        json!(scored),
        "the damaged one has some everywhere"
    );
    click(&mut browser, "#only-mismatches");
    assert_eq!(browser.eval(VISIBLE).unwrap(), all, "all filters undone");

    // A click on a highlighted quote opens its record.
    let opened = browser
        .eval(
            r#"(() => {
  const mark = [...document.querySelectorAll("mark.q.v-missed")][0];
  const record = document.getElementById(mark.dataset.r);
  const before = record.open;
  mark.click();
  return [before, record.open];
})()"#,
        )
        .unwrap();
    assert_eq!(opened, json!([false, true]));
    // A speaker link leads to the record of its quote, opened.
    let followed = browser
        .eval(
            r#"new Promise(resolve => {
  const link = document.querySelector("main a.m.spk");
  const id = link.getAttribute("href").slice(1);
  link.click();
  setTimeout(() => resolve([location.hash.slice(1) === id, document.getElementById(id).open]), 100);
})"#,
        )
        .unwrap();
    assert_eq!(followed, json!([true, true]));
    assert_eq!(
        browser.errors(),
        Vec::<String>::new(),
        "errors while filtering"
    );

    // The first article's records, one of them open, and its gold diff.
    browser
        .eval(r#"document.querySelector("article.art .records").scrollIntoView(); true"#)
        .unwrap();
    screenshot(&mut browser, &out.join("report-records.png"));

    // --- Scripts off: everything is there and visible, filters hidden.
    browser.new_page(1280, 2000, false).unwrap();
    browser.load(&page_path).unwrap();
    let off = browser.eval(VISIBLE).unwrap();
    assert_eq!(off["articles"], json!(scored));
    assert_eq!(off["filters"], json!(false));
    assert_eq!(off["marks"], all["marks"]);
    assert_eq!(off["records"], all["records"]);

    // --- Hostile input: shown as text, nothing runs.
    let (evil, text) = hostile_dir();
    evil.run_expect(
        0,
        &["run", "--replay", "evil=evil", "--html", "report.html"],
    );
    let evil_path = out.join("hostile.html");
    std::fs::copy(evil.join("report.html"), &evil_path).unwrap();
    browser.new_page(1280, 1000, true).unwrap();
    browser.load(&evil_path).unwrap();
    let seen = browser
        .eval(
            r#"(() => ({
  text: document.querySelector("article .text").textContent,
  scripts: document.scripts.length,
  images: document.images.length,
  svgs: document.querySelectorAll("svg").length,
  handlers: [...document.querySelectorAll("*")].filter(el => [...el.attributes].some(a => a.name.startsWith("on"))).length,
  pwned: typeof window.alert !== "function",
}))()"#,
        )
        .unwrap();
    assert_eq!(seen["text"], json!(text), "the article text, as text");
    assert_eq!(seen["scripts"], json!(1));
    assert_eq!(seen["images"], json!(0));
    assert_eq!(seen["svgs"], json!(1), "the chart only");
    assert_eq!(seen["handlers"], json!(0));
    assert_eq!(
        browser.errors(),
        Vec::<String>::new(),
        "errors on the hostile page"
    );
    screenshot(&mut browser, &out.join("hostile.png"));
    drop(browser);
    drop(dir);
    eprintln!("the page and its screenshots are in {}", out.display());
}

#[test]
fn html_articles_embeds_the_failed_and_worst_and_summarises_the_rest() {
    let dir = Dir::new();
    dir.run_expect(
        0,
        &[
            "gen",
            "--articles",
            "40",
            "--seed",
            "3",
            "--corpus",
            "c.jsonl",
            "--replay",
            "r.jsonl",
        ],
    );
    // One article fails: it comes first whatever its F1.
    let mut replay = std::fs::read_to_string(dir.join("r.jsonl")).unwrap();
    let last = replay.lines().last().unwrap().to_string();
    let failed_id = serde_json::from_str::<Value>(&last).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    replay = replay.replace(
        &last,
        &json!({"id": failed_id, "error": "down"}).to_string(),
    );
    dir.write("r.jsonl", replay);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "--corpus",
            "c.jsonl",
            "--replay",
            "v=r.jsonl",
            "--html",
            "h.html",
            "--json",
            "r.json",
            "--diffs",
            "none",
        ];
        args.extend(extra);
        dir.run_expect(1, &args);
        let page = std::fs::read_to_string(dir.join("h.html")).unwrap();
        (page, dir.json("r.json"))
    };
    let sections = |tags: &[Tag]| -> Vec<String> {
        tags.iter()
            .filter(|t| t.name == "article")
            .map(|t| attr(t, "id").unwrap().to_string())
            .collect()
    };

    let (page, report) = run(&["--html-articles", "5"]);
    let tags = check_markup(&page);
    // The failed article, then the lowest F1 (ties in corpus order).
    let mut ranked: Vec<(bool, f64, usize, String)> = report["extractors"][0]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let e2e = &a["attribution"];
            let (tp, fp, fn_) = (
                e2e["tp"].as_f64().unwrap(),
                e2e["fp"].as_f64().unwrap(),
                e2e["fn"].as_f64().unwrap(),
            );
            let f1 = if tp + fp + fn_ == 0.0 {
                1.0
            } else {
                2.0 * tp / (2.0 * tp + fp + fn_)
            };
            (
                a["status"] == "ok",
                f1,
                i,
                a["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut worst: Vec<(usize, String)> = ranked[..5]
        .iter()
        .map(|r| (r.2, format!("a-{}", r.3)))
        .collect();
    assert_eq!(worst[0].1, format!("a-{failed_id}"));
    worst.sort();
    assert_eq!(
        sections(&tags),
        worst.into_iter().map(|w| w.1).collect::<Vec<_>>()
    );
    assert!(
        page.contains("This page embeds the texts of 5 of 40 articles"),
        "the page says so"
    );
    // The other 35 are one row each, anchored, so every link still leads somewhere.
    let rows = tags
        .iter()
        .filter(|t| t.name == "tr" && attr(t, "id").is_some_and(|id| id.starts_with("a-")))
        .count();
    assert_eq!(rows, 35);
    let targets: std::collections::HashSet<&str> =
        tags.iter().filter_map(|t| attr(t, "id")).collect();
    for t in &tags {
        if let Some(href) = attr(t, "href") {
            assert!(targets.contains(&href[1..]), "a link to nowhere: {href}");
        }
    }

    // `all`, and the default on a corpus smaller than it: every text.
    for extra in [&["--html-articles", "all"][..], &[]] {
        let (page, _) = run(extra);
        let tags = check_markup(&page);
        assert_eq!(sections(&tags).len(), 40, "{extra:?}");
        assert!(!page.contains("This page embeds the texts of"));
        assert!(!page.contains("id=\"rest\""));
    }
    let out = dir.run_expect(
        2,
        &[
            "run",
            "--corpus",
            "c.jsonl",
            "--replay",
            "v=r.jsonl",
            "--html-articles",
            "most",
        ],
    );
    assert!(
        out.contains("expected a number of articles or `all`"),
        "{out}"
    );
}
