"""Pure domain logic of the Fabriques dashboard. Never imports streamlit nor etl."""
