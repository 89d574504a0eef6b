"""Validation tests (a package, so modules can share corpus helpers)."""
