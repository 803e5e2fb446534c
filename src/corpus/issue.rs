//! Problems found in input files, reported as data rather than as errors.

use std::fmt;

use crate::text::printable_line;

/// How serious an [`Issue`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file is wrong and must be fixed.
    Error,
    /// Suspicious but usable (for example a prediction whose `text`
    /// disagrees with its offsets).
    Warning,
    /// Worth knowing, nothing to fix (an unannotated article, a nested quote).
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// One problem in one file, located as precisely as the input allows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    /// How serious it is.
    pub severity: Severity,
    /// A stable kebab-case name for the kind of problem, for tooling.
    pub code: &'static str,
    /// The file, as given on the command line or found in the corpus.
    pub file: String,
    /// 1-based line: of a JSON-lines corpus, or of a JSON syntax error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column of a JSON syntax error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The article the problem belongs to, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// The record's `id`, when the problem is inside a record that has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The JSON path of the offending value, such as `quotes[2].content.start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The article text around a bad span, with the span marked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Issue {
    /// A new issue in `file` with nothing located yet.
    pub fn new(
        severity: Severity,
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Issue {
        Issue {
            severity,
            code,
            file: file.into(),
            line: None,
            column: None,
            article: None,
            record: None,
            path: None,
            message: message.into(),
            context: None,
            hint: None,
        }
    }

    /// Sets the JSON path.
    pub fn at(mut self, path: impl Into<String>) -> Issue {
        self.path = Some(path.into());
        self
    }

    /// Sets the record id.
    pub fn record(mut self, record: Option<&str>) -> Issue {
        self.record = record.map(str::to_string);
        self
    }

    /// Sets the article id.
    pub fn article(mut self, article: impl Into<String>) -> Issue {
        self.article = Some(article.into());
        self
    }

    /// Sets the line.
    pub fn line(mut self, line: usize) -> Issue {
        self.line = Some(line);
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Issue {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the context.
    pub fn context(mut self, context: impl Into<String>) -> Issue {
        self.context = Some(context.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The human form, in the style of compiler diagnostics:
///
/// ```text
/// error[text-mismatch]: `text` disagrees with the article slice
///   --> corpus/a.json: record "q3", at quotes[2].content.text
///   text:  "Gaddafi must go"
///   slice: "Gaddafi must leave"
///   context: …officials had ⟦Gaddafi must leave⟧ power…
///   hint: fix `text`, or the offsets if they point at the wrong place
/// ```
impl fmt::Display for Issue {
    /// Every part but the code and severity comes from input, or quotes
    /// it: each goes through the one cleaner of control characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines = self.message.lines();
        writeln!(
            f,
            "{}[{}]: {}",
            self.severity,
            self.code,
            printable_line(lines.next().unwrap_or(""))
        )?;
        write!(f, "  --> {}", printable_line(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        let mut sep = ": ";
        // In a JSON-lines corpus the line alone does not say which article.
        if let (Some(article), Some(_), None) = (&self.article, self.line, self.column) {
            write!(f, "{sep}article {article:?}")?;
            sep = ", ";
        }
        if let Some(record) = &self.record {
            write!(f, "{sep}record {record:?}")?;
            sep = ", ";
        }
        if let Some(path) = &self.path {
            write!(f, "{sep}at {}", printable_line(path))?;
        }
        writeln!(f)?;
        for line in lines {
            writeln!(f, "  {}", printable_line(line.trim_start()))?;
        }
        if let Some(context) = &self.context {
            writeln!(f, "  context: {}", printable_line(context))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  hint: {}", printable_line(hint))?;
        }
        Ok(())
    }
}
