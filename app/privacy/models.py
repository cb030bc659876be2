"""Models of privacy (being built)."""
