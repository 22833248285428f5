"""The workspace: saved work of the users (views, lists, scenarios, eligibility batches,
presentations) on SQLite by default or PostgreSQL in team mode, through one store interface."""
