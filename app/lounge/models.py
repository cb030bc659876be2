"""Models of lounge (being built)."""
