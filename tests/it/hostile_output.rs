//! Control characters never reach a terminal, a Markdown summary, a JUnit
//! file or an HTML page raw: ESC (colours, OSC 8 links), BEL, CR and NUL
//! that came from input — an extractor's `error`, a worker's stderr and
//! stray lines, a handshake, an id that failed its check, an article's
//! text in `validate` — are shown as `\u{…}`, with colour and without.
//! (The HTTP bodies are in the `http` module, with its server.)

use serde_json::json;

use crate::util::{self, need, Dir};

/// Every kind of control: a 256-colour SGR (anstyle never writes one), a
/// bell, an OSC 8 link, a carriage return that would overwrite the line,
/// and a NUL.
pub const HOSTILE: &str =
    "\x1b[38;5;196mRED\x1b[0m \x07BELL \x1b]8;;https://evil.test/\x1b\\CLICK\x1b]8;;\x1b\\ \rCR NUL\0END";

/// What [`HOSTILE`] looks like once cleaned: the link shown, not made.
pub const SHOWN: &str = "\\u{1b}]8;;https://evil.test/";

/// Fails unless `out` holds none of [`HOSTILE`]'s controls raw, nor any
/// control at all but line breaks, tabs and (when `sgr`) quotecheck's own
/// colours; `what` names the output in the message.
pub fn assert_clean(what: &str, out: &str, sgr: bool) {
    for raw in ["\x1b[38;5;196m", "\x1b]", "\x07", "\r", "\0"] {
        assert!(
            !out.contains(raw),
            "{what}: {raw:?} reached it raw:\n{}",
            show(out)
        );
    }
    let mut rest = out;
    while let Some(i) = rest.find(|c: char| c.is_control() && c != '\n' && c != '\t') {
        let tail = &rest[i..];
        let own_colour = sgr
            && tail.starts_with("\x1b[")
            && tail[2..].find('m').is_some_and(|m| {
                tail[2..2 + m]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b';')
            });
        assert!(
            own_colour,
            "{what}: a control reached it raw at {:?}",
            &tail[..tail.len().min(40)]
        );
        rest = &tail[1..];
    }
}

/// Output made safe to print in a failure message.
fn show(s: &str) -> String {
    quotecheck::text::printable(s).into_owned()
}

fn run(dir: &Dir, args: &[&str]) -> String {
    util::bin::quotecheck(dir.path())
        .keep(&["PATH", "HOME"])
        .args(args)
        .output()
        .lossy()
}

/// The report files of a run, each checked (JUnit lists scored articles,
/// not those that could not be loaded: `junit` false).
fn assert_files_clean(dir: &Dir, junit: bool) {
    for file in ["m.md", "j.xml", "h.html"] {
        if file == "j.xml" && !junit {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert_clean(file, &text, false);
        assert!(
            text.contains("evil.test"),
            "{file} does not show the text:\n{}",
            show(&text)
        );
    }
}

const FILES: [&str; 6] = ["--markdown", "m.md", "--junit", "j.xml", "--html", "h.html"];

#[test]
fn a_replays_error_is_shown_not_acted_on() {
    let dir = util::corpus::town_corpus(&["a", "b"], "", true);
    let lines = [
        json!({"id": "a", "error": HOSTILE}),
        json!({"id": "b", "quotes": []}),
    ];
    dir.write("replay.jsonl", lines.map(|l| l.to_string() + "\n").concat());
    for color in ["never", "always"] {
        let mut args = vec!["run", "--replay", "v=replay.jsonl", "--color", color];
        args.extend(FILES);
        let out = run(&dir, &args);
        assert_clean(
            &format!("terminal, --color {color}"),
            &out,
            color == "always",
        );
        assert!(out.contains(SHOWN), "{}", show(&out));
        assert_files_clean(&dir, true);
    }
}

#[test]
fn an_unloadable_id_is_shown_not_acted_on() {
    let dir = Dir::new();
    let bad = format!("x{HOSTILE}");
    let lines = [
        json!({"id": "ok", "text": "He said so.", "quotes": []}),
        json!({"id": bad, "text": "He said so.", "quotes": []}),
    ];
    dir.write("c.jsonl", lines.map(|l| l.to_string() + "\n").concat());
    for color in ["never", "always"] {
        let mut args = vec![
            "run", "-e", "baseline", "--corpus", "c.jsonl", "--color", color,
        ];
        args.extend(FILES);
        let out = run(&dir, &args);
        assert!(out.contains("could not be loaded"), "{}", show(&out));
        assert_clean(
            &format!("terminal, --color {color}"),
            &out,
            color == "always",
        );
        assert!(out.contains(SHOWN), "{}", show(&out));
        assert_files_clean(&dir, false);
    }
    let out = run(&dir, &["validate", "c.jsonl"]);
    assert_clean("validate", &out, false);
    assert!(out.contains("unsafe-id"), "{}", show(&out));
}

#[test]
fn show_draws_an_articles_text_without_its_controls() {
    let dir = Dir::new();
    let text = format!("A{HOSTILE} \"We stay,\" he said.\n");
    let start = text.chars().position(|c| c == '"').unwrap() + 1;
    let gold = json!({"quotes": [{
        "id": "q1", "kind": "direct",
        "content": {"start": start, "end": start + 8, "text": "We stay,"},
        "speaker": {"start": start + 10, "end": start + 12, "text": "he"}, "cue": null,
    }]});
    dir.write("corpus/a.txt", &text);
    dir.write("corpus/a.json", gold.to_string());
    for color in ["never", "always"] {
        let out = run(&dir, &["show", "a", "--corpus", "corpus", "--color", color]);
        assert!(out.contains("We stay,"), "{}", show(&out));
        assert_clean(&format!("show, --color {color}"), &out, color == "always");
        assert!(out.contains(SHOWN), "{}", show(&out));
    }
}

#[test]
fn validates_context_line_shows_the_texts_controls() {
    let dir = Dir::new();
    let text = format!("A{HOSTILE} \"We stay,\" he said.\n");
    let start = text.chars().position(|c| c == '"').unwrap() + 1;
    let gold = json!({"quotes": [{
        "id": "q1", "kind": "direct",
        "content": {"start": start, "end": start + 8, "text": "We go,"},
        "speaker": null, "cue": null,
    }]});
    dir.write("corpus/a.txt", &text);
    dir.write("corpus/a.json", gold.to_string());
    let out = run(&dir, &["validate", "corpus"]);
    assert!(out.contains("context: "), "{}", show(&out));
    assert_clean("validate", &out, false);
    assert!(out.contains("\\u{1b}\\CLICK"), "{}", show(&out));
}

#[test]
fn a_workers_error_stderr_stray_lines_and_handshake_are_shown_not_acted_on() {
    if !need::python3() {
        return;
    }
    let dir = util::corpus::town_corpus(&["a", "b", "c"], "", true);
    dir.write(
        "w.py",
        format!(
            r#"import json, os, sys
H = {hostile}
print("starting " + H, file=sys.stderr, flush=True)
print(json.dumps({{"quotecheck": 1, "name": "w" + H, "version": "1" + H, "offsets": "codepoint"}}), flush=True)
for line in sys.stdin:
    r = json.loads(line)
    if r["id"] == "a":
        print(json.dumps({{"id": "a", "error": "E" + H}}), flush=True)
    elif r["id"] == "b":
        print("not json " + H, flush=True)
    else:
        # A crash: the whole stderr tail is read before the article fails.
        print("on c: " + H, file=sys.stderr, flush=True)
        os._exit(3)
"#,
            hostile = serde_json::to_string(HOSTILE).unwrap()
        ),
    );
    dir.write(
        "quotecheck.toml",
        format!(
            "corpus = \"corpus\"\n[extractors.w]\ncommand = [{}, \"w.py\"]\n",
            serde_json::to_string(need::python3_executable()).unwrap()
        ),
    );
    for color in ["never", "always"] {
        let mut args = vec!["run", "--no-cache", "--color", color];
        args.extend(FILES);
        let out = run(&dir, &args);
        assert!(
            out.contains("on c: "),
            "the stderr tail is shown\n{}",
            show(&out)
        );
        assert!(
            out.contains("not json "),
            "the stray line is shown\n{}",
            show(&out)
        );
        assert_clean(
            &format!("terminal, --color {color}"),
            &out,
            color == "always",
        );
        assert!(out.contains(SHOWN), "{}", show(&out));
        assert_files_clean(&dir, true);
    }
    let out = run(&dir, &["extractors"]);
    assert_clean("extractors", &out, false);
}
