"""Levels on lifetime score and badges from a rule registry (issue 3 §4)."""
