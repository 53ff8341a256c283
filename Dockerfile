# Production image: gunicorn (web) or the RQ worker, as a non-root user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    INSTANCE_PATH=/app/instance MIGRATIONS_DIR=/app/migrations FLASK_APP=wsgi

WORKDIR /app
RUN useradd --create-home --uid 10001 regionet

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# Compile the catalogs first so the regular (non-editable) install packages the .mo files.
RUN pybabel compile -d platform/translations \
    && pip install --no-deps . \
    && mkdir -p /app/instance && chown regionet /app/instance

USER regionet
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/healthz', timeout=4)"

# The same processes `make run` starts: gunicorn for the web, `python -m regionet.workers` for jobs.
# Workers, timeouts and the access log come from gunicorn.conf.py (WEB_CONCURRENCY overrides the workers).
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "wsgi:app"]
