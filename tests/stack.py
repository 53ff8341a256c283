"""The production shape in processes: gunicorn instances (wsgi:app, gunicorn.conf.py) behind nginx running
deploy/nginx.conf, whose upstream is pointed at them. For the slow-client and scale-out tests."""
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, f"{process.args[:3]} ended with {process.returncode}"
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            assert time.monotonic() < deadline, f"{url} did not answer"
            time.sleep(0.2)


def start_gunicorn(env: dict, log: Path, workers: int = 2) -> tuple[subprocess.Popen, int]:
    port = free_port()
    output = log.open("w")   # gunicorn's access log (stdout) and error log (stderr)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
                                str(workers), "wsgi:app"], cwd=ROOT, env={**env, "TRUSTED_PROXY_COUNT": "1"},
                               stdout=output, stderr=output, start_new_session=True)
    wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    return process, port


def start_nginx(folder: Path, upstream_ports: list[int]) -> tuple[subprocess.Popen, int]:
    """deploy/nginx.conf with its upstream set to `upstream_ports` and its port to a free one."""
    port = free_port()
    site = (ROOT / "deploy/nginx.conf").read_text()
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports)
    site = re.sub(r"    server web:5000;\n", servers, site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o777)
    (folder / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        "events { worker_connections 2048; }\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n  proxy_temp_path {folder}/proxy;\n"
        f"  fastcgi_temp_path {folder}/fastcgi;\n  uwsgi_temp_path {folder}/uwsgi;\n  scgi_temp_path {folder}/scgi;\n"
        f"  include {folder}/site.conf;\n}}\n")
    process = subprocess.Popen([nginx_binary(), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g",
                                "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    return process, port


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
