"""The design card's `platform/` folder must never shadow the standard library's `platform`."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run from the repository root with it first on sys.path, as gunicorn, `flask --app`,
# `python -m` and pytest do; then import what breaks when `platform` is shadowed.
PROBE = """
import sys
sys.path.insert(0, {root!r})
import platform, uuid, sqlalchemy, flask.cli, rq, redis
assert platform.__file__.startswith(sys.base_prefix) or 'lib/python' in platform.__file__, platform.__file__
assert callable(platform.system) and platform.system()
uuid.uuid4()
import wsgi
print("ok", platform.__file__)
"""


def test_platform_folder_is_not_a_package():
    assert (ROOT / "platform").is_dir()
    assert not (ROOT / "platform" / "__init__.py").exists(), \
        "platform/__init__.py shadows the stdlib module 'platform' (uuid, SQLAlchemy, Flask and RQ break)"


def test_stdlib_platform_wins_with_the_repository_root_first_on_sys_path(tmp_path):
    result = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT))], cwd=ROOT,
                            capture_output=True, text=True, timeout=60,
                            env={"INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok")


def test_the_probe_does_detect_shadowing(tmp_path):
    """The probe above is not vacuous: a `platform` package first on sys.path breaks it."""
    fake = tmp_path / "fake"
    (fake / "platform").mkdir(parents=True)
    (fake / "platform" / "__init__.py").write_text("")
    probe = PROBE.replace("import wsgi\n", "").format(root=str(fake))
    result = subprocess.run([sys.executable, "-c", probe], cwd=fake, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "platform" in result.stderr


def test_every_package_directory_is_declared_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = set(config["tool"]["setuptools"]["packages"])
    mapping = config["tool"]["setuptools"]["package-dir"]
    found = set()
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("*.py"):
            relative = init.parent.relative_to(ROOT / folder)
            if "__pycache__" in relative.parts or "templates" in relative.parts:
                continue
            found.add(".".join([package, *relative.parts]))
    assert found == declared, f"undeclared: {found - declared}; stale: {declared - found}"


def test_top_level_follows_the_design_card():
    for name in ("platform", "tenants", "workers", "migrations", "wsgi.py", "Dockerfile", "tests"):
        assert (ROOT / name).exists(), name
    assert re.search(r"^exec make test$", (ROOT / ".ci" / "run").read_text(), re.M)



def test_gunicorn_reads_its_configuration_and_the_app():
    """`make run`, the Dockerfile and the benchmarks all start gunicorn with gunicorn.conf.py."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run([str(gunicorn), "--check-config", "-c", "gunicorn.conf.py", "wsgi:app"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
