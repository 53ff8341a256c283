#!/usr/bin/env bash
# Bring the database to the current schema and seed the demo region when it is empty.
# Used by `make run` and by the `migrate` service of compose.yaml.
#   DATABASE_ADMIN_URL set  -> first create/refresh the PostgreSQL roles and database
#   DEMO_PASSWORD set       -> the demo password; otherwise one is generated and kept in instance/
set -euo pipefail
instance=${INSTANCE_PATH:-$(cd "$(dirname "$0")/.." && pwd)/instance}
mkdir -p "$instance"
if [ -n "${DATABASE_ADMIN_URL:-}" ]; then
  flask --app wsgi db-roles provision
fi
flask --app wsgi db upgrade
password_file="$instance/demo_password"
if [ "${SEED_DEMO:-1}" = 1 ] && flask --app wsgi demo is-empty; then
  password=${DEMO_PASSWORD:-$(python -c 'import secrets; print(secrets.token_urlsafe(9))')}
  flask --app wsgi demo seed --password "$password"
  [ -n "${DEMO_PASSWORD:-}" ] || (umask 077; printf '%s\n' "$password" > "$password_file")
fi
# The seed queues no figure jobs (Redis may not be running yet): count the coordinator's
# figures of any region that has none, so that the dashboard is populated on first start.
flask --app wsgi coordinator refresh-figures --if-missing
echo
echo "Demo accounts (sign in at http://127.0.0.1:${PORT:-5000}/login):"
flask --app wsgi demo accounts
if [ -n "${DEMO_PASSWORD:-}" ]; then
  echo "Password of every demo account: the value of DEMO_PASSWORD"
elif [ -f "$password_file" ]; then
  echo "Password of every demo account: $(cat "$password_file")"
fi
echo
