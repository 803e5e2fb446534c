//! The built-in baseline called a given number of times on one article of
//! `corpus/` made real-size as in `benches/baseline.rs`: a driver for
//! instruction counts under callgrind, which are the same however loaded
//! the machine is (docs/baseline.md, "Figures").
//!
//! ```text
//! cargo bench --bench baseline-calls --no-run
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/deps/baseline_calls-HASH 10 corpus/bbc-libya-us-talks.txt
//! ```
//!
//! Run with 10 and 30 calls: the difference of the two counts over 20 is
//! the cost of one article, start-up and the word lists' first reading
//! left out. Without arguments (as `cargo bench` runs it), each article of
//! `benches/baseline.rs` once.

use std::hint::black_box;

use quotecheck::extract::baseline::Baseline;

/// `text` repeated, blank line between copies, to at least 5,000 bytes.
fn real_size(text: &str) -> String {
    let mut out = String::from(text.trim_end());
    while out.len() < 5000 {
        out.push_str("\n\n");
        out.push_str(text.trim_end());
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (calls, paths) = match args.first().and_then(|n| n.parse::<usize>().ok()) {
        Some(n) if args.len() == 2 => (n, vec![args[1].clone()]),
        _ => (
            1,
            [
                "corpus/bbc-libya-us-talks.txt",
                "corpus/world/bremen-hansewerft.txt",
                "corpus/world/lyon-musee-greve.txt",
                "corpus/world/saginoura-bus.txt",
            ]
            .map(|p| format!("{}/{p}", env!("CARGO_MANIFEST_DIR")))
            .to_vec(),
        ),
    };
    let baseline = Baseline::new();
    for path in paths {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => real_size(&t),
            Err(e) => {
                eprintln!("baseline-calls: cannot read {path}: {e}");
                std::process::exit(2);
            }
        };
        let mut quotes = 0;
        for _ in 0..calls {
            quotes += black_box(baseline.find(black_box(&text))).len();
        }
        println!("{path}: {calls} calls, {quotes} quotes");
    }
}
