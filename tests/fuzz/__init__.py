"""Property-based fuzzing of the whole pipeline (issue 6)."""
