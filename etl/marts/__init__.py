"""Marts: joins, spatial joins and aggregates of the staged sources."""
