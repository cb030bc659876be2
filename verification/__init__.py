"""Verification domain: resident ID numbers, department adapters, workflow (issue #3)."""
