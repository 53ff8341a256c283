#!/usr/bin/env bash
# Make sure `python3 -m venv` works (Debian and Ubuntu ship venv as a separate package).
set -euo pipefail
python=${1:-python3}
if ! command -v "$python" >/dev/null; then
  echo "error: $python not found; install Python 3.11 or newer" >&2; exit 1
fi
"$python" - <<'PY' || { echo "error: Python 3.11 or newer is required" >&2; exit 1; }
import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
if ! "$python" -c "import ensurepip, venv" 2>/dev/null; then
  version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${version}-venv" || \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
  else
    echo "error: the venv module is missing; run: sudo apt-get install python${version}-venv" >&2; exit 1
  fi
fi
