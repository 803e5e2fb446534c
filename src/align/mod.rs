//! Matching predicted quotes to gold quotes (scoring.md §1–§5).
