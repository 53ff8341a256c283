#!/usr/bin/env bash
# `make test`: find (or start) PostgreSQL, Redis and Chromium, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/ensure-services.sh)"
echo "PostgreSQL: ${TEST_DATABASE_ADMIN_URL}  Redis: ${TEST_REDIS_URL}  Chromium: ${CHROMIUM_PATH:-none}" >&2
exec python -m pytest "$@"
