//! Figures from alignments: TP/FP/FN, P/R/F1, accuracies, totals (scoring.md §4–§6).
