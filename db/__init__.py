"""Database access: where the database is, connections to it, and its schema."""
