"""Scale-out: two gunicorn instances and three worker processes behind nginx (deploy/nginx.conf), on one
PostgreSQL and one Redis. The second instance is added, and the first later removed, while nginx runs: it
finds them by name (a test DNS server stands in for Docker's) and needs no restart. A browser session, its CSRF tokens, the sign-in rate limit and the sign-out
hold across the instances; 24 reports and 4 imports spread over the workers, none lost, none built twice."""
import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from regionet.platform.demo.seed import institution_login
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.imports.models import ImportBatch, ImportStatus
from regionet.tenants.participants.models import Participant, Sex
from regionet.tenants.participants.pesel import make_pesel
from regionet.tenants.reports import services as report_services
from regionet.tenants.reports.models import InstitutionReport, ReportKind, RunStatus
from regionet.workers.queues import Job, redis_connection

from .conftest import DEMO_PASSWORD
from .fake_dns import FakeDNS
from .stack import ROOT, free_port, nginx_binary, start_gunicorn, start_nginx, stop
from .test_isolation import TENANT_A, _institution_id
from .test_participant_import import person, xlsx_file
from .test_regional_report_jobs import wait_for
from .test_worker import worker_env
from .test_worker_recovery import kill_group, stop_group

pytestmark = [pytest.mark.slow, pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed")]
INSTITUTIONS = ("mops-skarzysko-kamienna", "gops-blizyn", "pup-skarzysko-kamienna", "owes-kielce")


class Browser:
    def __init__(self, base: str):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode()

    def post(self, path: str, fields: dict, token_from: str | None = None, body: bytes | None = None,
             content_type: str | None = None) -> tuple[int, str, str]:
        if token_from is not None:
            fields = {**fields, "csrf_token": csrf(self.get(token_from)[2])}
        data = body if body is not None else urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode()


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', page).group(1)


def multipart(fields: dict, name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def served_by(log_path) -> int:
    return sum(1 for line in log_path.read_text().splitlines() if '"GET /i/' in line or '"POST /i/' in line)


def test_two_web_instances_and_three_workers_behind_nginx(app, pg_database, tmp_path):
    env = {**worker_env(app, pg_database), "PSEUDONYM_SECRET": app.config["PSEUDONYM_SECRET"],
           "RATELIMIT_STORAGE_URI": app.config["REDIS_URL"], "LOGIN_RATE_LIMIT": "4 per minute"}
    processes, logs = [], [tmp_path / "web-a.log", tmp_path / "web-b.log"]
    hosts, web_port = ["127.0.0.2", "127.0.0.3"], free_port()   # two replicas: an address each, one port
    dns = FakeDNS({"web": hosts[:1]}).__enter__()
    try:
        webs = [start_gunicorn(env, logs[0], workers=1, host=hosts[0], port=web_port)]
        nginx, port = start_nginx(tmp_path / "nginx", dns.port, web_port)
        processes += [webs[0][0], nginx]

        # Scale out with the proxy running (`--scale web=2`): the new replica's address joins the name's answer,
        # and nginx, asking again once its answer is `valid` seconds old, sends it requests: no restart.
        webs.append(start_gunicorn(env, logs[1], workers=1, host=hosts[1], port=web_port))
        processes.insert(1, webs[1][0])
        dns.set("web", hosts)
        added = time.monotonic()
        wait_for(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?via=proxy", timeout=10).status == 200
                 and "/healthz?via=proxy" in logs[1].read_text(), 60, "the new replica to get requests")
        print(f"\nthe new replica got requests {time.monotonic() - added:.1f} s after it joined the name")
        for n in range(3):
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "regionet.workers", "reports", "imports", "--name", f"scale-{n}-{uuid.uuid4().hex[:6]}"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / f"worker-{n}.log").open("w"),
                start_new_session=True))
        base = f"http://127.0.0.1:{port}"

        # One session and its CSRF tokens across both instances (nginx alternates between them).
        staff = Browser(base)
        status, url, _ = staff.post("/login", {"email": institution_login(TENANT_A, "staff", 1), "password": DEMO_PASSWORD},
                                    token_from="/login")
        assert status == 200 and "/login" not in url
        rows = [person(**{"Imię": "Anna", "Nazwisko": "Skalowa" + "abcd"[k] + "x" * n,
                          "PESEL": make_pesel(date(1980 + k, 1, 1 + n), Sex.FEMALE, 10 * k + n)})
                for k in range(4) for n in range(5)]
        for k in range(4):
            body, kind = multipart({"csrf_token": csrf(staff.get(f"/i/{TENANT_A}/participants/imports/")[2])},
                                   "file", f"skala-{k}.xlsx", xlsx_file(rows[5 * k:5 * k + 5]))
            status, url, _ = staff.post(f"/i/{TENANT_A}/participants/imports/upload", {}, body=body, content_type=kind)
            assert status == 200 and "/imports/" in url, (status, url)
        for _ in range(4):
            assert staff.get(f"/i/{TENANT_A}/participants/")[0] == 200
        assert served_by(logs[0]) > 0 and served_by(logs[1]) > 0, "both instances served the session"

        # 24 reports of four institutions at once (rows as the request makes them), spread over the workers.
        report_ids = []
        with app.app_context():
            for n in range(24):
                tenant = _institution_id(app, INSTITUTIONS[n % 4])
                with tenant_scope(tenant):
                    report = InstitutionReport(kind=ReportKind.INSTITUTION_SUMMARY, status=RunStatus.QUEUED, job_id="")
                    db.session.add(report)
                    db.session.flush()
                    report.job_id = InstitutionReport.job_id_for(tenant, report.id)
                    db.session.commit()
                    report_services._enqueue(report, tenant, 600)
                    report_ids.append((tenant, report.id))

        def finished() -> bool:
            with app.app_context():
                done = 0
                for tenant, report_id in report_ids:
                    with tenant_scope(tenant):
                        done += db.session.get(InstitutionReport, (tenant, report_id)).status is RunStatus.DONE
                    db.session.rollback()
                with tenant_scope(_institution_id(app, TENANT_A)):
                    imported = db.session.execute(select(func.count()).select_from(ImportBatch).where(
                        ImportBatch.status == ImportStatus.DONE)).scalar_one()
                return done == 24 and imported == 4

        deadline = time.monotonic() + 240
        while not finished():
            assert time.monotonic() < deadline, "every report and import done"
            time.sleep(1)

        with app.app_context():
            workers = set()
            for tenant, report_id in report_ids:
                with tenant_scope(tenant):
                    row = db.session.get(InstitutionReport, (tenant, report_id))
                    assert row.attempts == 1 and row.pdf.startswith(b"%PDF"), "built once"
                    workers.add(Job.fetch(row.job_id, connection=redis_connection()).worker_name)
            with tenant_scope(_institution_id(app, TENANT_A)):
                assert db.session.execute(select(func.count()).select_from(Participant)).scalar_one() == 20
        print(f"\n24 reports built by {len(workers)} workers: {sorted(workers)}")
        assert len(workers) >= 2, "the reports were spread over the workers"

        # Rate limit shared through Redis: the 5th refused sign-in is refused whichever instance it reaches.
        stranger = Browser(base)
        answers = [stranger.post("/login", {"email": f"obcy{n}@example.org", "password": "zle"}, token_from="/login")[0]
                   for n in range(5)]
        assert answers == [401, 401, 401, 401, 429], answers

        # Sign-out on one instance ends the session on both.
        cookies = list(staff.jar)
        token = csrf(staff.get(f"/i/{TENANT_A}/participants/")[2])
        assert staff.post("/logout", {"csrf_token": token})[0] == 200
        for host in hosts:
            copy = Browser(f"http://{host}:{web_port}")
            for cookie in cookies:
                copy.jar.set_cookie(cookie)
            status, url, _ = copy.get(f"/i/{TENANT_A}/participants/")
            assert "/login" in url, f"the old cookie still works on {host}"

        # Scale in: a replica stops and leaves the name's answer; the proxy goes on answering from the other.
        dns.set("web", hosts[1:])
        stop(webs[0][0])
        answers = [urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).status for _ in range(10)]
        assert answers == [200] * 10
    finally:
        dns.__exit__()
        for process in processes[len(processes) - 3:] if len(processes) > 3 else []:
            stop_group(process)
            kill_group(process)
        for process in processes:
            stop(process)
