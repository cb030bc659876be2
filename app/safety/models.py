"""Models of safety (being built)."""
