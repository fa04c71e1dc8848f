"""Search: full-text and semantic indexes, hybrid ranking, suggestions, deflection (issue #5)."""
