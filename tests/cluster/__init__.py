"""Several webhook workers on one PostgreSQL database, killed and restarted (issue 20)."""
