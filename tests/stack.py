"""The production shape in processes: gunicorn instances (wsgi:app, gunicorn.conf.py) behind nginx running
deploy/nginx.conf, which finds them by the name `web` as in compose: here a test DNS server (tests/fake_dns.py)
stands in for Docker's, and the instances listen on loopback addresses of their own (127.0.0.2, 127.0.0.3 …)
on one port, as replicas do on theirs. For the slow-client, proxy and scale-out tests."""
import os
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


def start_gunicorn(env: dict, log: Path, workers: int = 2, host: str = "127.0.0.1",
                   port: int | None = None) -> tuple[subprocess.Popen, int]:
    port = port or free_port()
    output = log.open("w")   # gunicorn's access log (stdout) and error log (stderr)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers",
                                str(workers), "wsgi:app"], cwd=ROOT, env={**env, "TRUSTED_PROXY_COUNT": "1"},
                               stdout=output, stderr=output, start_new_session=True)
    wait_until_up(f"http://{host}:{port}/healthz", process)
    return process, port


def start_nginx(folder: Path, dns_port: int, web_port: int) -> tuple[subprocess.Popen, int]:
    """deploy/nginx.conf as it is, but for where things are: its resolver is the test DNS server on `dns_port`
    (answers kept 1 s instead of 10 s), the instances listen on `web_port`, nginx on a free port."""
    port = free_port()
    site = (ROOT / "deploy/nginx.conf").read_text()
    for deployed, here in (("resolver 127.0.0.11 valid=10s", f"resolver 127.0.0.1:{dns_port} valid=1s"),
                           ("http://web:5000;", f"http://web:{web_port};"), ("listen 80;", f"listen 127.0.0.1:{port};")):
        assert deployed in site, f"deploy/nginx.conf no longer has {deployed!r}"
        site = site.replace(deployed, here)
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
