"""Storage: the database is the source of truth for everything that must survive a restart."""
