"""Timing of the coordinator's figures on PostgreSQL (not the issue's full benchmark).

    .venv/bin/python bench/coordinator_figures.py [PARTICIPANTS]

Creates a scratch database, seeds the demo region, inserts PARTICIPANTS participants
(3 support episodes each, outcomes for about a third) spread over the five demo
institutions and five years, then prints how long the institutions' facts and the
region's figures take to rebuild, and the latency of the dashboard and two breakdowns
(in-process test client, one request at a time). The database is dropped at the end.
"""
import os, sys, time, uuid, random
from datetime import date, timedelta
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from regionet.platform.tenancy.roles import provision_database, OWNER_ROLE, APP_ROLE, COORDINATOR_ROLE
from tests.conftest import ADMIN_URL, role_url
N = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
name = "regionet_perf_coord"
admin = create_engine(make_url(ADMIN_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
with admin.connect() as c: c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
provision_database(ADMIN_URL, name, {})
urls = {r: role_url(r, name) for r in (OWNER_ROLE, APP_ROLE, COORDINATOR_ROLE)}
from regionet.platform.app import create_app
from flask_migrate import upgrade
cfg = {"TESTING": True, "INSTANCE_PATH": f"/tmp/{name}", "SECRET_KEY": "x", "PSEUDONYM_SECRET": "x",
       "SQLALCHEMY_DATABASE_URI": urls[APP_ROLE], "MIGRATION_DATABASE_URL": urls[OWNER_ROLE],
       "COORDINATOR_DATABASE_URL": urls[COORDINATOR_ROLE], "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
       "REDIS_URL": "redis://127.0.0.1:6379/15", "RQ_QUEUE_PREFIX": "perf-coord-"}
mig = create_app({**cfg, "SQLALCHEMY_DATABASE_URI": urls[OWNER_ROLE]})
with mig.app_context(): upgrade()
app = create_app(cfg)
from regionet.platform.demo.seed import do_seed_demo
from tests.helpers import fast_password_hashing
with app.app_context(), fast_password_hashing(): do_seed_demo("haslo-demo-2026")
db_admin = create_engine(make_url(ADMIN_URL).set(drivername="postgresql+psycopg", database=name))
rnd = random.Random(1)
communes = ["2610011", "2610022", "2610032", "2661011", "2604012", "2605012", None]
instruments = ["internship","social_contract","kis","vocational_course","specialist_counselling","individual_action_plan"]
kinds = ["employment_contract","civil_contract","qualification","steps_toward_work"]
t0 = time.time()
with db_admin.begin() as c:
    tenants = [r[0] for r in c.execute(text("SELECT id FROM institutions ORDER BY id"))]
    projects = {}
    for t in tenants:
        pid = uuid.uuid4(); projects[t] = pid
        c.execute(text("INSERT INTO projects (tenant_id,id,title,code,funding_source,start_date,end_date,budget_total,eu_cofinancing,own_contribution) VALUES (:t,:i,'P','C','fp','2020-01-01','2030-12-31',0,0,0)"), {"t": t, "i": pid})
    parts, enrs, eps, outs = [], [], [], []
    for n in range(N):
        t = rnd.choice(tenants); pid = uuid.uuid4(); eid = uuid.uuid4()
        pesel = f"{rnd.randint(0, N//2):011d}" if rnd.random() < .9 else None
        entry = date(2022, 1, 1) + timedelta(days=rnd.randint(0, 1750))
        ex = entry + timedelta(days=rnd.randint(30, 400)) if rnd.random() < .6 else None
        parts.append({"t": t, "i": pid, "pesel": pesel, "ps": (None if pesel is None else f"ps{pesel}"), "b": date(1950,1,1)+timedelta(days=rnd.randint(0,20000)), "s": rnd.choice(["female","male"]), "d": rnd.choice(["yes","no","no","no","refused"]), "c": rnd.choice(communes)})
        enrs.append({"t": t, "i": eid, "p": projects[t], "pa": pid, "e": entry, "x": ex})
        for k in range(3):
            eps.append({"t": t, "i": uuid.uuid4(), "e": eid, "ins": rnd.choice(instruments), "s": entry + timedelta(days=rnd.randint(0, 200))})
        if ex and rnd.random() < .6:
            outs.append({"t": t, "i": uuid.uuid4(), "e": eid, "k": rnd.choice(kinds), "a": ex + timedelta(days=rnd.randint(-20, 40))})
    # unique pesel per tenant
    seen=set(); 
    for p in parts:
        if p["pesel"] and (p["t"], p["pesel"]) in seen: p["pesel"]=None; p["ps"]=None
        elif p["pesel"]: seen.add((p["t"], p["pesel"]))
    c.execute(text("INSERT INTO participants (tenant_id,id,first_name,last_name,pesel,birth_date,sex,pseudonym,labour_status,disability,migrant_or_minority,homeless,jobless_household,legal_basis,legal_basis_date,consent_given,commune_code) VALUES (:t,:i,'A','B',:pesel,:b,:s,:ps,'inactive',:d,'no','no','no','consent','2020-01-01',false,:c)"), parts)
    c.execute(text("INSERT INTO enrolments (tenant_id,id,project_id,participant_id,entry_date,exit_date,status_at_entry) VALUES (:t,:i,:p,:pa,:e,:x,'inactive')"), enrs)
    c.execute(text("INSERT INTO support_episodes (tenant_id,id,enrolment_id,instrument,start_date) VALUES (:t,:i,:e,:ins,:s)"), eps)
    c.execute(text("INSERT INTO outcomes (tenant_id,id,enrolment_id,kind,achieved_on) VALUES (:t,:i,:e,:k,:a)"), outs)
    c.execute(text("ANALYZE"))
print(f"generated {N} participants, {len(eps)} episodes, {len(outs)} outcomes in {time.time()-t0:.1f}s")
from regionet.platform.coordinator.refresh import do_refresh_tenant, do_refresh_region
from regionet.platform.tenancy import tenant_scope
with app.app_context():
    t0 = time.time()
    for t in tenants:
        with tenant_scope(t): do_refresh_tenant(t)
    t1 = time.time(); print(f"tenant facts: {t1-t0:.1f}s")
    n = do_refresh_region("26"); print(f"region figures: {n} rows in {time.time()-t1:.1f}s")
c = app.test_client()
c.post("/login", data={"email": "koordynator.rops@demo.regionet.example", "password": "haslo-demo-2026"})
for url in ["/r/swietokrzyskie/?period=2024", "/r/swietokrzyskie/explore?measure=people&rows=commune&period=2024",
            "/r/swietokrzyskie/explore?measure=episodes&rows=institution&cols=instrument&period=2024"]:
    times = []
    for i in range(12):
        s = time.time(); r = c.get(url); times.append(time.time()-s); assert r.status_code == 200, r.status_code
    times.sort(); print(url, f"median {times[6]*1000:.0f} ms, max {times[-1]*1000:.0f} ms")
db_admin.dispose()
with admin.connect() as conn:
    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
