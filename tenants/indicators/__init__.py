"""Indicators of a project, computed from its records with SQL aggregates (never typed in)."""
