//! The built-in baseline extractor: rule-based, in-process, no model.
