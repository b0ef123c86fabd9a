"""The report: figures from the database's records (summary), the `report` command, its charts and page."""
