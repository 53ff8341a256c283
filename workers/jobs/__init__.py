"""Job functions, referenced by dotted path when enqueued."""
