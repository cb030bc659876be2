"""Real-name verification (实名认证): the workflow and its pages.

The tables (cases, checks, consents, verified facts, the departments' health), the
operations and queries, the Celery tasks and the department probe, the runtime built
from the configuration, the applicant's pages (blueprint ``verify``, ``routes``) and
the administrators' review (blueprint ``review``, ``admin`` and ``departments``).
The rules themselves are plain Python in the top-level ``verification`` package.
"""
