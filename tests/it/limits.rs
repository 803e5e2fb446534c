//! Numbers and names at their limits: `--shard` with the largest values,
//! `--jobs 0`, a huge `--jobs`, and ids whose file names would be too long.
//! Each is an error that says so, or works in bounded memory; none panics.

use crate::util::{self, Dir};

/// A corpus of three articles with gold, run with the baseline.
fn three() -> Dir {
    util::corpus::town_corpus(&["a", "b", "c"], "", true)
}

#[test]
fn shards_of_any_size_work_or_are_refused() {
    let dir = three();
    let max = usize::MAX;
    // One shard among more shards than articles: the first three hold one
    // article each, every other holds none.
    let out = dir.run_expect(0, &["run", "-e", "baseline", "--shard", "1/4294967296"]);
    assert!(out.contains("shard 1/4294967296: "), "{out}");
    // A shard that holds nothing says so and exits 0 (one shard of a
    // matrix may hold nothing; `merge` checks the whole).
    for spec in ["4/4294967296".to_string(), format!("{max}/{max}")] {
        let out = dir.run_expect(
            0,
            &[
                "run",
                "-e",
                "baseline",
                "--shard",
                &spec,
                "--json",
                "last.json",
            ],
        );
        assert!(
            out.contains(&format!("shard {spec}: 3 in other shards")),
            "{out}"
        );
    }
    // A report that claims a split into the largest count is a part like
    // any other: merged alone, it covers none of the corpus, which merge
    // says, and scored nothing, which fails.
    let out = dir.run_expect(2, &["merge", "last.json"]);
    assert!(
        out.contains("3 of the corpus's 3 articles are in none of the 1 parts merged")
            && out.contains("nothing scored"),
        "{out}"
    );
    // Beyond the largest number: refused as such.
    let out = dir.run_expect(
        2,
        &["run", "-e", "baseline", "--shard", "1/18446744073709551616"],
    );
    assert!(out.contains("is larger than 18446744073709551615"), "{out}");
}

#[test]
fn merge_goes_by_the_articles_of_the_parts_not_by_the_shard_they_claim() {
    let dir = three();
    dir.run_expect(0, &["run", "-e", "baseline", "--json", "whole.json"]);
    for k in 1..=2 {
        dir.run_expect(
            0,
            &[
                "run",
                "-e",
                "baseline",
                "--shard",
                &format!("{k}/2"),
                "--json",
                &format!("p{k}.json"),
            ],
        );
    }
    let mut report = dir.json("p1.json");
    report["shard"]["index"] = 0.into();
    report["shard"]["count"] = usize::MAX.into();
    dir.write("zero.json", report.to_string());
    dir.run_expect(
        0,
        &["merge", "zero.json", "p2.json", "--json", "merged.json"],
    );
    let plain = |name: &str| crate::util::corpus::without_timings(dir.json(name));
    assert_eq!(plain("merged.json"), plain("whole.json"));
}

#[test]
fn zero_jobs_are_refused_and_too_many_are_capped_with_a_note() {
    let dir = three();
    let out = dir.run_expect(2, &["run", "-e", "baseline", "--jobs", "0"]);
    assert!(
        out.contains("invalid value '0' for '--jobs <N>': must be at least 1"),
        "{out}"
    );
    dir.write("quotecheck.toml", "jobs = 0\n");
    let out = dir.run_expect(2, &["run", "-e", "baseline"]);
    assert!(out.contains("jobs: must be at least 1"), "{out}");
    std::fs::remove_file(dir.join("quotecheck.toml")).unwrap();

    let cores = std::thread::available_parallelism().unwrap().get();
    let out = dir.run_expect(0, &["run", "-e", "baseline", "--jobs", "1000000"]);
    assert!(
        out.contains(&format!(
            "note: 1000000 jobs is more than 4 × the {cores} cores of this machine; using {}",
            4 * cores
        )),
        "{out}"
    );
    let out = dir.run_expect(
        0,
        &["run", "-e", "baseline", "--jobs", &format!("{}", 4 * cores)],
    );
    assert!(!out.contains("note:"), "{out}");
}

#[test]
fn validate_refuses_an_id_whose_snapshot_name_would_be_too_long() {
    // 246 bytes is the longest segment: `<246>.snap.new` is 255 bytes.
    let longest = "a".repeat(246);
    let too_long = "b".repeat(247);
    let dir = util::corpus::town_corpus(&[&longest, &too_long], "", true);
    let out = dir.run_expect(1, &["validate", "corpus"]);
    assert!(out.contains("unsafe-id"), "{out}");
    assert!(out.contains("a segment is longer than 246 bytes"), "{out}");
    assert_eq!(out.matches("a segment is longer than").count(), 1, "{out}");
    // The longest allowed one runs and gets its snapshot.
    let ok = util::corpus::town_corpus(&[&longest], "", true);
    ok.run_expect(0, &["run", "-e", "baseline", "--update", "always"]);
    assert!(
        ok.join(&format!("snapshots/baseline/{longest}.snap"))
            .is_file(),
        "{}",
        ok.listing()
    );
}
