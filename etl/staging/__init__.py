"""Staging: one function per source; rename, cast, validate, repair, bring codes to COG 2026."""
