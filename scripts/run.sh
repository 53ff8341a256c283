#!/usr/bin/env bash
# `make run`: prepare the database, then Redis (private unless REDIS_URL is set), an RQ
# worker and the web server on 127.0.0.1:5000, all stopped together by Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare.sh
exec flask --app wsgi serve --host 127.0.0.1 --port "${PORT:-5000}"
