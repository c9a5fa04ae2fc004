"""The store: one SQLite file, opened and migrated here, written through journalled transactions."""
