"""The code passes the linter, with the settings in pyproject.toml (pyflakes, pycodestyle errors,
import order with `regionet` first-party, bugbear), so style drift fails the suite, not a review."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_code_passes_the_linter():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", "platform",
                             "tenants", "workers", "tests", "migrations", "wsgi.py", "bench"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
