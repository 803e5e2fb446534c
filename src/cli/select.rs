//! The flags every command that runs extractors shares, and how they
//! combine with `quotecheck.toml` (flags win).

use std::path::PathBuf;

use anyhow::Context;

use crate::align::Scheme;
use crate::config::Config;
use crate::extract::{check_name, Extractor, Replay};

/// The flags of every command that runs extractors: which corpus, which
/// extractors, which scheme, how many jobs, which configuration.
#[derive(Debug, clap::Args)]
pub struct ExtractorArgs {
    /// The corpus: a folder of .txt/.json pairs, or a .jsonl / .jsonl.gz
    /// file [default: `corpus` in quotecheck.toml, else `corpus`].
    #[arg(long, value_name = "PATH")]
    corpus: Option<PathBuf>,

    /// Run the extractor NAME from quotecheck.toml, or a built-in one
    /// (`baseline`). Repeat to run several. Without --extractor or
    /// --replay, every configured extractor runs (the baseline when none
    /// is configured).
    #[arg(long, short = 'e', value_name = "NAME")]
    extractor: Vec<String>,

    /// Score saved predictions: a folder of <id>.json files or a .jsonl file,
    /// as `[NAME=]PATH` (NAME defaults to the file name without extension).
    /// Repeat to score several.
    #[arg(long, value_name = "[NAME=]PATH")]
    replay: Vec<String>,

    /// How content is matched: `overlap` (token overlap ≥ 0.5), `overlap:θ`
    /// with θ in (0, 1], or `exact` (same tokens in the same order)
    /// [default: from quotecheck.toml, else `overlap`].
    #[arg(long)]
    scheme: Option<String>,

    /// How many articles to score at once [default: from quotecheck.toml,
    /// else one per core]. Results are the same for every value.
    /// At least 1; more than 4 × the cores is capped there. Reading the
    /// corpus and writing the reports take a thread each beside them.
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,

    /// Read settings and extractors from PATH instead of ./quotecheck.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// The flags and the configuration combined.
pub struct Setup {
    pub corpus: PathBuf,
    pub scheme: Scheme,
    pub jobs: usize,
    pub extractors: Vec<Box<dyn Extractor>>,
}

impl ExtractorArgs {
    /// Whether extractors were named on the command line.
    pub fn names_extractors(&self) -> bool {
        !self.extractor.is_empty() || !self.replay.is_empty()
    }

    pub fn resolve(&self, config: &Config) -> anyhow::Result<Setup> {
        let scheme = match (&self.scheme, &config.scheme) {
            (Some(s), _) => s
                .parse()
                .with_context(|| format!("invalid --scheme {s:?}"))?,
            (None, Some(s)) => *s,
            (None, None) => Scheme::default(),
        };
        let corpus = match (&self.corpus, &config.corpus) {
            (Some(c), _) => c.clone(),
            (None, Some(c)) => config.base.join(c),
            (None, None) => PathBuf::from("corpus"),
        };
        let jobs = capped_jobs(self.jobs.or(config.jobs).unwrap_or(0));

        let mut extractors: Vec<Box<dyn Extractor>> = Vec::new();
        let mut names = self.extractor.clone();
        if names.is_empty() && self.replay.is_empty() {
            names = config.default_names();
            if names.is_empty() {
                return Err(super::hinted(
                    "no extractor to run",
                    "score saved predictions with --replay NAME=PATH",
                ));
            }
        }
        for name in &names {
            extractors.push(config.build(name)?);
        }
        for spec in &self.replay {
            let (name, path) = replay_spec(spec)?;
            extractors.push(Box::new(Replay::open(&name, &path)?));
        }
        for (i, e) in extractors.iter().enumerate() {
            if extractors[..i].iter().any(|other| other.name() == e.name()) {
                return Err(super::hinted(
                    format!("two extractors are named {:?}", e.name()),
                    "name them apart with --replay NAME=PATH",
                ));
            }
        }
        Ok(Setup {
            corpus,
            scheme,
            jobs,
            extractors,
        })
    }
}

/// `--jobs N`: a whole number, at least 1 (0 was once "one per core",
/// which leaving the flag out says).
fn parse_jobs(s: &str) -> Result<usize, JobsError> {
    match s.parse::<usize>()? {
        0 => Err(JobsError::Zero),
        n => Ok(n),
    }
}

/// Why `--jobs` was refused.
#[derive(Debug, thiserror::Error)]
enum JobsError {
    #[error("must be at least 1 (leave --jobs out for one job per core)")]
    Zero,
    #[error(transparent)]
    NotANumber(#[from] std::num::ParseIntError),
}

/// More jobs than 4 × the cores only add threads that wait (and each holds
/// a batch of articles), so the number is capped there, with a note on
/// standard error. 0: one per core, chosen by the runner.
fn capped_jobs(jobs: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = cores.saturating_mul(4);
    if jobs > most {
        eprintln!(
            "note: {jobs} jobs is more than 4 × the {cores} cores of this machine; using {most}"
        );
        return most;
    }
    jobs
}

/// Splits `[NAME=]PATH` and checks the name.
fn replay_spec(spec: &str) -> anyhow::Result<(String, PathBuf)> {
    let (name, path) = match spec.split_once('=') {
        Some((name, path)) if !name.is_empty() => (name.to_string(), PathBuf::from(path)),
        _ => {
            let path = PathBuf::from(spec);
            let file = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default();
            let stem = file
                .trim_end_matches(".gz")
                .trim_end_matches(".jsonl")
                .to_string();
            (stem, path)
        }
    };
    check_name(&name).map_err(|e| {
        super::hinted(
            e.to_string(),
            format!("name it explicitly with --replay NAME={}", path.display()),
        )
    })?;
    Ok((name, path))
}
