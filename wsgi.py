"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from regionet.platform.app import create_app

app = create_app()
