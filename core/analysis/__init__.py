"""Analyses of a selection: filters, the scope of a selection, indicators by theme, reconciliation."""
