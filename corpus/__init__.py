"""Store structured reports in SQLite (sqlite-utils) and publish them (Datasette, CSV)."""
