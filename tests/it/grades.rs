//! Grades of changed snapshots (docs/snapshots.md, "Grades"): property
//! tests on random pairs of outputs against the levels they are defined
//! by, and every place a grade shows, through the binary.

use proptest::prelude::*;
use quotecheck::align::{align_article, Scheme};
use quotecheck::corpus::{Prediction, Span};
use quotecheck::score::{score_article, Criterion};
use quotecheck::snapshot::{grade, render_predictions, Grade, Level, Levels};

use crate::util::articles::rich::article;
use crate::util::articles::{from_gold, Article};

/// An article and two outputs on it: the rich generator's predictions, and
/// a second output made of some of them, perfect predictions of some gold
/// quotes (with or without their speaker) and a spurious one or not.
fn pair() -> impl Strategy<Value = (Article, Vec<Prediction>)> {
    article().prop_flat_map(|a| {
        let (n_pred, n_gold) = (a.predictions.len(), a.gold.len());
        (
            Just(a),
            prop::collection::vec(any::<bool>(), n_pred),
            prop::collection::vec(0u8..3, n_gold),
            any::<bool>(),
        )
            .prop_map(|(a, keep, from_gold_as, spurious)| {
                let mut second: Vec<Prediction> = a
                    .predictions
                    .iter()
                    .zip(&keep)
                    .filter(|(_, &k)| k)
                    .map(|(p, _)| p.clone())
                    .collect();
                for (g, &how) in a.gold.iter().zip(&from_gold_as) {
                    match how {
                        1 => second.push(from_gold(&a.text, g)),
                        2 => second.push(Prediction {
                            speaker: None,
                            ..from_gold(&a.text, g)
                        }),
                        _ => {}
                    }
                }
                if spurious && !a.text.is_empty() {
                    second.push(Prediction::at(Span::new(0, 0)));
                }
                (a, second)
            })
    })
}

fn rendering(a: &Article, predictions: &[Prediction]) -> String {
    let scheme = Scheme::default();
    let alignment = align_article(&a.text, &a.gold, predictions, &scheme).alignment;
    render_predictions(&a.text, &a.gold, predictions, &alignment, &scheme)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Levels agree with the figures: as many quotes at level 2 as
    /// end-to-end TP, at level 1 or 2 as content TP, spurious predictions
    /// as content FP; and a rendering read back has the levels of the
    /// output it shows, so an accepted snapshot is graded like the output.
    #[test]
    fn levels_agree_with_the_figures_and_survive_rendering((a, second) in pair()) {
        let scheme = Scheme::default();
        for output in [&a.predictions, &second] {
            let levels = Levels::of(&a.text, &a.gold, output, &scheme);
            let score = score_article(&a.text, &a.gold, output, &scheme);
            let at_least = |l: Level| levels.quotes.iter().filter(|(_, x)| *x >= l).count() as u64;
            prop_assert_eq!(at_least(Level::EndToEnd), score.counts(Criterion::Attribution).tp);
            prop_assert_eq!(at_least(Level::Content), score.counts(Criterion::Content).tp);
            prop_assert_eq!(levels.spurious as u64, score.counts(Criterion::Content).fp);
            prop_assert_eq!(levels.quotes.len(), a.gold.iter().filter(|g| !g.optional).count());
            let read = Levels::of_rendering(&a.text, &a.gold, &rendering(&a, output), &scheme).unwrap();
            prop_assert_eq!(read, levels);
        }
    }

    /// The grade of a pair of outputs is what the levels say: `better`
    /// counts the quotes whose level rose and the spurious predictions
    /// removed, `worse` the others; fixed, broke, mixed or neutral by which
    /// of them is above 0. Swapping the outputs swaps fixed and broke.
    #[test]
    fn grades_follow_the_levels((a, second) in pair()) {
        let scheme = Scheme::default();
        let old = Levels::of_rendering(&a.text, &a.gold, &rendering(&a, &a.predictions), &scheme).unwrap();
        let new = Levels::of(&a.text, &a.gold, &second, &scheme);
        let g = grade(Some(&old), &new);
        let rose = old.quotes.iter().zip(&new.quotes).filter(|(o, n)| n.1 > o.1).count();
        let fell = old.quotes.iter().zip(&new.quotes).filter(|(o, n)| n.1 < o.1).count();
        let better = rose + old.spurious.saturating_sub(new.spurious);
        let worse = fell + new.spurious.saturating_sub(old.spurious);
        prop_assert_eq!((g.better, g.worse), (better, worse));
        let expected = match (better > 0, worse > 0) {
            (true, false) => Grade::Fixed,
            (false, true) => Grade::Broke,
            (true, true) => Grade::Mixed,
            (false, false) => Grade::Neutral,
        };
        prop_assert_eq!(g.grade, expected);
        prop_assert_eq!(g.changes.len(), rose + fell + usize::from(old.spurious != new.spurious));
        let back = grade(Some(&new), &old);
        prop_assert_eq!((back.better, back.worse), (worse, better));
        let swapped = match expected {
            Grade::Fixed => Grade::Broke,
            Grade::Broke => Grade::Fixed,
            g => g,
        };
        prop_assert_eq!(back.grade, swapped);
        prop_assert_eq!(grade(None, &new).grade, Grade::New);
    }

    /// An accepted failure has every required quote missed and nothing
    /// spurious: an output that finds something is graded fixed against
    /// it, or neutral when it finds nothing, spuriously or not.
    #[test]
    fn an_accepted_failure_is_level_0((a, second) in pair()) {
        let scheme = Scheme::default();
        let old = Levels::of_rendering(&a.text, &a.gold, "failed · error\n  no\n", &scheme).unwrap();
        prop_assert_eq!(&old, &Levels::failed(&a.gold));
        let new = Levels::of(&a.text, &a.gold, &second, &scheme);
        let g = grade(Some(&old), &new);
        let found = new.quotes.iter().any(|(_, l)| *l > Level::Missed);
        if found {
            prop_assert!(matches!(g.grade, Grade::Fixed | Grade::Mixed));
        }
        prop_assert_eq!(g.grade == Grade::Neutral, !found && new.spurious == 0);
    }
}

// ------------------------------------------------------------ the binary

use crate::util::dir::copy_tree;
use crate::util::{bin, repo, Dir};

/// The project of docs/snapshots.md: `mine` replayed from its first
/// version, accepted, then its second version run: bbc-libya-us-talks
/// lost a speaker (broke), chef-nunez-apology gained one (fixed), and
/// van-driver-jailed changed a spurious prediction only (neutral).
fn graded() -> Dir {
    let dir = Dir::new();
    copy_tree(&repo().join("corpus"), &dir.join("corpus"));
    copy_tree(
        &repo().join("docs/examples/snapshots"),
        &dir.join("docs/examples/snapshots"),
    );
    dir.write(
        "quotecheck.toml",
        "[extractors.mine]\nreplay = \"runs/mine.jsonl\"\n",
    );
    let version = |v: &str| {
        dir.write(
            "runs/mine.jsonl",
            std::fs::read(repo().join(format!("docs/examples/snapshots/mine-{v}.jsonl"))).unwrap(),
        )
    };
    version("v1");
    dir.run_expect(
        1,
        &["run", "--update", "new", "--worst", "0", "--diffs", "none"],
    );
    dir.run_expect(0, &["accept", "--all"]);
    version("v2");
    dir
}

const RUN: [&str; 7] = [
    "run",
    "--worst",
    "0",
    "--diffs",
    "none",
    "--snapshot-diffs",
    "none",
];

#[test]
fn the_run_summary_junit_markdown_and_html_show_grades() {
    let dir = graded();
    let mut args = RUN.to_vec();
    args.extend([
        "--junit",
        "junit.xml",
        "--markdown",
        "summary.md",
        "--html",
        "report.html",
    ]);
    let out = dir.run_expect(1, &args);
    assert!(
        out.contains(
            "  mine: 6 unchanged, 3 changed — 1 fixed, 1 broke, 1 neutral\n\
             \x20   changed  bbc-libya-us-talks  +3 -3 lines  broke: q13 lost its speaker\n\
             \x20   changed  chef-nunez-apology  +3 -3 lines  fixed: q4 gained its speaker\n\
             \x20   changed  van-driver-jailed   +2 -2 lines  neutral: no level changed\n"
        ),
        "{out}"
    );
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains(
            "the rendering of mine on bbc-libya-us-talks changed from its accepted snapshot (broke: q13 lost its speaker)"
        ),
        "{junit}"
    );
    let md = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(
        md.contains(
            "### Snapshots\n\n**mine**: 3 changed — 1 fixed, 1 broke, 1 neutral\n\n\
             - `bbc-libya-us-talks` changed: broke: q13 lost its speaker\n\
             - `chef-nunez-apology` changed: fixed: q4 gained its speaker\n\
             - `van-driver-jailed` changed: neutral: no level changed\n"
        ),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for row in [
        "<tr data-grade=\"broke\"><td><a href=\"#a-bbc-libya-us-talks\">bbc-libya-us-talks</a></td><td>changed</td><td class=\"grade\">broke</td><td>q13 lost its speaker</td></tr>",
        "<tr data-grade=\"fixed\"><td><a href=\"#a-chef-nunez-apology\">chef-nunez-apology</a></td><td>changed</td><td class=\"grade\">fixed</td><td>q4 gained its speaker</td></tr>",
        "<tr data-grade=\"neutral\"><td><a href=\"#a-van-driver-jailed\">van-driver-jailed</a></td><td>changed</td><td class=\"grade\">neutral</td><td></td></tr>",
    ] {
        assert!(html.contains(row), "missing {row} in the HTML report");
    }
    assert!(html.contains("<strong>mine</strong>: 3 changed — 1 fixed, 1 broke, 1 neutral"));
}

#[test]
fn pending_lists_grades_as_text_and_json() {
    let dir = graded();
    dir.run_expect(1, &RUN);
    let out = dir.run_expect(0, &["pending"]);
    assert!(
        out.contains(
            "mine  bbc-libya-us-talks  changed  +3 -3 lines  broke: q13 lost its speaker\n\
             mine  chef-nunez-apology  changed  +3 -3 lines  fixed: q4 gained its speaker\n\
             mine  van-driver-jailed   changed  +2 -2 lines  neutral: no level changed\n"
        ),
        "{out}"
    );
    let json = bin::quotecheck(dir.path())
        .args(["pending", "--format", "json"])
        .output()
        .stdout();
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        list,
        serde_json::json!([
            {"extractor": "mine", "article": "bbc-libya-us-talks", "state": "changed",
             "grade": "broke", "better": 0, "worse": 1},
            {"extractor": "mine", "article": "chef-nunez-apology", "state": "changed",
             "grade": "fixed", "better": 1, "worse": 0},
            {"extractor": "mine", "article": "van-driver-jailed", "state": "changed",
             "grade": "neutral", "better": 0, "worse": 0},
        ])
    );
    // A new one is `new`; the grade is gone from the file once accepted.
    let pending =
        std::fs::read_to_string(dir.join("snapshots/mine/bbc-libya-us-talks.snap.new")).unwrap();
    assert!(
        pending.contains(
            "  grade: broke\n  better: \"0\"\n  worse: \"1\"\n  changes: q13 lost its speaker\n"
        ),
        "{pending}"
    );
    dir.run_expect(0, &["accept", "bbc-libya-us-talks"]);
    let accepted =
        std::fs::read_to_string(dir.join("snapshots/mine/bbc-libya-us-talks.snap")).unwrap();
    assert!(!accepted.contains("grade"), "{accepted}");
    std::fs::remove_file(dir.join("snapshots/mine/ferry-strike-talks.snap")).unwrap();
    dir.run_expect(1, &RUN);
    let json = bin::quotecheck(dir.path())
        .args(["pending", "--format", "json"])
        .output()
        .stdout();
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ferry = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["article"] == "ferry-strike-talks")
        .unwrap();
    assert_eq!(ferry["state"], "new");
    assert_eq!(ferry["grade"], "new");
}

#[test]
fn accept_and_reject_keep_to_the_grades_only_names() {
    let dir = graded();
    dir.run_expect(1, &RUN);
    let out = dir.run_expect(0, &["accept", "--all", "--only", "fixed"]);
    assert!(
        out.contains("accepted snapshots/mine/chef-nunez-apology.snap\n1 snapshot(s) accepted\n"),
        "{out}"
    );
    let out = dir.run_expect(
        0,
        &["reject", "--all", "--only", "broke", "--only", "mixed"],
    );
    assert!(
        out.contains(
            "rejected snapshots/mine/bbc-libya-us-talks.snap.new\n1 snapshot(s) rejected\n"
        ),
        "{out}"
    );
    let out = dir.run_expect(0, &["pending"]);
    assert!(out.contains("mine  van-driver-jailed  changed  +2 -2 lines  neutral: no level changed\n1 pending snapshot(s)"), "{out}");
    let out = dir.run_expect(2, &["accept", "--all", "--only", "better"]);
    assert!(
        out.contains("unknown grade \"better\": one of fixed, broke, mixed, neutral, new"),
        "{out}"
    );
}

#[test]
fn review_shows_grades_and_accepts_all_remaining() {
    let dir = graded();
    dir.run_expect(1, &RUN);
    let out = bin::quotecheck(dir.path())
        .args(["review"])
        .stdin("r\nA\n")
        .output();
    assert_eq!(out.code(), Some(0));
    let o = out.stdout();
    for expected in [
        "[1/3] mine · bbc-libya-us-talks · changed · broke: q13 lost its speaker\n--- snapshots/mine/bbc-libya-us-talks.snap (accepted)\n",
        "or quit (q)? r\nrejected\n",
        "[2/3] mine · chef-nunez-apology · changed · fixed: q4 gained its speaker\n",
        "or quit (q)? A\naccepted\n",
        // The rest is accepted without its diff or a question.
        "[3/3] mine · van-driver-jailed · changed · neutral: no level changed\naccepted\n",
        "review: 2 accepted, 1 rejected, 0 skipped\n",
    ] {
        assert!(o.contains(expected), "missing {expected:?} in\n{o}");
    }
    assert!(!o.contains("@@ -9,8"), "{o}");
}

/// On a terminal, one key answers: `script` gives the review a
/// pseudo-terminal and types `A` alone.
#[cfg(unix)]
#[test]
fn review_on_a_terminal_takes_one_key() {
    if !crate::util::need::script() {
        return;
    }
    let dir = graded();
    dir.run_expect(1, &RUN);
    let mut child = std::process::Command::new("script")
        .current_dir(dir.path())
        .env_clear()
        .env("TERM", "dumb")
        .args([
            "-q",
            "-e",
            "-c",
            &format!("{} review", bin::BIN),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::io::Write::write_all(&mut stdin, b"A").unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("or quit (q)? A\naccepted\n"), "{stdout}");
    assert!(
        stdout.contains("review: 3 accepted, 0 rejected, 0 skipped"),
        "{stdout}"
    );
    drop(stdin);
}

/// A snapshot written before predictions were named by position (`p3`,
/// by rank) and otherwise the rendering of today is unchanged: CI stays
/// green on upgrade, and `--update always` rewrites it with today's names.
/// The fixture is the project's own accepted snapshot of the built-in
/// extractor on world/bremen-hansewerft with the names of before,
/// `paired with p…` included.
#[test]
fn snapshots_naming_predictions_by_rank_are_unchanged_and_renamed_on_accept() {
    let dir = Dir::new();
    copy_tree(&repo().join("corpus"), &dir.join("corpus"));
    copy_tree(
        &repo().join("tests/fixtures/legacy-snapshots"),
        &dir.join("snapshots"),
    );
    let path = dir.join("snapshots/baseline/world/bremen-hansewerft.snap");
    let old = std::fs::read_to_string(&path).unwrap();
    assert!(
        old.contains("\np1 [b1] · ") && old.contains("paired with p5 [b5]"),
        "{old}"
    );
    let run = [
        "run",
        "--extractor",
        "baseline",
        "--no-cache",
        "--articles",
        "world/bremen-hansewerft",
        "--worst",
        "0",
        "--diffs",
        "none",
    ];
    let out = bin::quotecheck(dir.path())
        .env("CI", "true")
        .args(run)
        .output();
    assert_eq!(out.code(), Some(0), "{}", out.lossy());
    assert!(
        out.stdout().contains("  baseline: 1 unchanged\n"),
        "{}",
        out.stdout()
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        old,
        "CI wrote nothing"
    );

    let out = bin::quotecheck(dir.path())
        .args(run)
        .args(["--update", "always"])
        .output();
    assert_eq!(out.code(), Some(0), "{}", out.lossy());
    let new = std::fs::read_to_string(&path).unwrap();
    let parse = |t: &str| quotecheck::snapshot::store::SnapshotFile::parse(t).unwrap();
    assert_eq!(
        quotecheck::snapshot::rename_legacy(&parse(&old).body).as_deref(),
        Some(parse(&new).body.as_str())
    );
    assert!(
        new.contains("\np@59 [b1] · ")
            && !new.contains("\np1 [")
            && !new.contains("paired with p5 "),
        "{new}"
    );
    assert_eq!(parse(&new).info, parse(&old).info);
}
