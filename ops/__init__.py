"""Starting and stopping the servers of team mode (PostgreSQL, nginx, Streamlit replicas): used by
the deployment script, the tests and the benchmarks; everything is stopped by its pid."""
