"""Hostile and broken input: the attack suite (issue 6)."""
