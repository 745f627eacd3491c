"""PostgreSQL migrations, numbered as the SQLite ones beside them."""
