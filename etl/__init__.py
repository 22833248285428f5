"""ETL of the Fabriques dashboard: fetch → staging → marts."""
