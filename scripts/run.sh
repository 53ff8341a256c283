#!/usr/bin/env bash
# `make run`: migrate, seed the demo region when the database is empty, print the demo
# logins, then start private Redis (unless REDIS_URL is set), an RQ worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
instance=${INSTANCE_PATH:-$PWD/instance}
mkdir -p "$instance"
flask db upgrade
password_file="$instance/demo_password"
if flask demo is-empty; then
  password=${DEMO_PASSWORD:-$(python -c 'import secrets; print(secrets.token_urlsafe(9))')}
  flask demo seed --password "$password"
  (umask 077; printf '%s\n' "$password" > "$password_file")
fi
echo
echo "Demo accounts (sign in at http://127.0.0.1:5000/login):"
flask demo accounts
if [ -f "$password_file" ]; then
  echo "Password of every demo account: $(cat "$password_file")"
else
  echo "Password of every demo account: the one given to 'flask demo seed' (DEMO_PASSWORD)"
fi
echo
exec flask serve --host 127.0.0.1 --port "${PORT:-5000}"
