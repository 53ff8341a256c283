"""A person's data through its life: consents by purpose, subject requests, retention and erasure."""
