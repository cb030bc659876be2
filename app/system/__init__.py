"""System-level tasks that prove the plumbing (Celery, database) works."""
