#!/usr/bin/env bash
# `make run`: a private PostgreSQL (unless DATABASE_URL is set), the database prepared
# (scripts/prepare.sh), Redis (private unless REDIS_URL is set), an RQ worker and the web
# server on 127.0.0.1:5000, all stopped together by Ctrl+C (platform/devserver.py).
set -euo pipefail
cd "$(dirname "$0")/.."
exec flask --app wsgi serve --host 127.0.0.1 --port "${PORT:-5000}"
