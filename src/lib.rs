//! quotecheck: verify quote-attribution extractors against gold-standard corpora.
