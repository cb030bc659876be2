"""Matching domain: features, candidates, scoring, exposure, batch. Never imports Flask."""
