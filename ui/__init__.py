"""Streamlit glue: cached loaders, shared widgets, formatting for display."""
