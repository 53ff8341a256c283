"""Files attached to records (signed agreements, later photos), stored in the database."""
