"""The database of journal records synced from devices, and reading records back."""
