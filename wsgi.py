"""Entry point for gunicorn, ``flask`` and Celery.

gunicorn wsgi:app
celery -A wsgi.celery_app worker
"""

from app import create_app

app = create_app()
celery_app = app.extensions["celery"]
