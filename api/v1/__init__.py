"""The /api/v1 operations, one module per part of the portal (each a flask-smorest
Blueprint): thin like the web views — parse, ask the same predicate, call the same
service, commit once, dump."""
