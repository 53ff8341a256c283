"""Slow clients: ten slow-loris clients (each keeping 25 connections open, trickling one header line a
second and reconnecting when dropped) against the documented shape, nginx (deploy/nginx.conf) in front of
gunicorn: /healthz and a signed-in page keep answering. The same clients aimed at gunicorn directly
starve its sync workers: /healthz stops answering (the reason for the proxy)."""
import http.cookiejar
import re
import socket
import threading
import time
import urllib.parse
import urllib.request

import pytest

from regionet.platform.demo.seed import institution_login

from .conftest import DEMO_PASSWORD
from .fake_dns import FakeDNS
from .stack import nginx_binary, start_gunicorn, start_nginx, stop
from .test_isolation import TENANT_A
from .test_worker import worker_env

pytestmark = [pytest.mark.slow, pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed")]
CLIENTS, CONNECTIONS = 10, 25


class SlowLoris:
    def __init__(self, port: int):
        self.port, self.stopping, self.threads = port, threading.Event(), []

    def _client(self) -> None:
        sockets: list[socket.socket | None] = [None] * CONNECTIONS
        while not self.stopping.is_set():
            for n, sock in enumerate(sockets):
                try:
                    if sock is None:
                        sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
                        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
                        sockets[n] = sock
                    else:
                        sock.sendall(b"X-Slow: %d\r\n" % n)
                except OSError:
                    if sock is not None:
                        sock.close()
                    sockets[n] = None
            self.stopping.wait(1.0)
        for sock in sockets:
            if sock is not None:
                sock.close()

    def __enter__(self):
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(CLIENTS)]
        for thread in self.threads:
            thread.start()
        time.sleep(2)   # every connection open and trickling
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(10)


def probe(url: str, opener=None, timeout: float = 3) -> float | None:
    """Seconds to a complete 200 answer, or None."""
    start = time.monotonic()
    try:
        with (opener.open if opener else urllib.request.urlopen)(url, timeout=timeout) as response:
            response.read()
            signed_out = "/login" in response.url and "/login" not in url
            return time.monotonic() - start if response.status == 200 and not signed_out else None
    except OSError:
        return None


def signed_in_opener(base: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    data = urllib.parse.urlencode({"email": institution_login(TENANT_A, "staff", 1), "password": DEMO_PASSWORD,
                                   "csrf_token": token.group(1) or token.group(2)}).encode()
    opener.open(f"{base}/login", data=data, timeout=10).read()
    return opener


def test_slow_loris_clients_do_not_starve_the_platform_behind_nginx(app, pg_database, tmp_path):
    env = {**worker_env(app, pg_database), "PSEUDONYM_SECRET": app.config["PSEUDONYM_SECRET"]}
    gunicorn, nginx = None, None
    dns = FakeDNS({"web": ["127.0.0.1"]}).__enter__()
    try:
        gunicorn, web_port = start_gunicorn(env, tmp_path / "gunicorn.log", workers=2)
        nginx, proxy_port = start_nginx(tmp_path / "nginx", dns.port, web_port)
        base = f"http://127.0.0.1:{proxy_port}"
        opener = signed_in_opener(base)
        page = f"{base}/i/{TENANT_A}/participants/"
        assert probe(page, opener) is not None, "signed in through the proxy"

        healthz, pages = [], []
        with SlowLoris(proxy_port):
            deadline = time.monotonic() + 20   # longer than nginx's 10 s header timeout: clients reconnect
            while time.monotonic() < deadline:
                healthz.append(probe(f"{base}/healthz"))
                pages.append(probe(page, opener))
                time.sleep(0.3)
        print(f"\nbehind nginx, {CLIENTS}×{CONNECTIONS} slow connections: /healthz {len(healthz)} probes, "
              f"max {max(t for t in healthz if t is not None):.3f} s; signed-in page max "
              f"{max(t for t in pages if t is not None):.3f} s")
        assert None not in healthz and None not in pages

        with SlowLoris(web_port):   # the same clients, straight at gunicorn's two sync workers
            direct = [probe(f"http://127.0.0.1:{web_port}/healthz", timeout=2) for _ in range(3)]
        print(f"straight at gunicorn: {sum(t is None for t in direct)} of 3 /healthz probes failed")
        assert None in direct, "without the proxy the slow clients hold every sync worker"
    finally:
        stop(nginx)
        stop(gunicorn)
        dns.__exit__()
