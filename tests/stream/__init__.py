"""End-to-end and build tests of the stream targets."""
