"""Benchmark (issue 5): the regional good-practice report of a region at scale.

On a scratch PostgreSQL database (bench/scratch.py: roles, migrations, the demo region
seeded) bench/generate.py builds the region of the coordinator's benchmark: 150
institutions of Świętokrzyskie with 300,000 participants, 900,000 support episodes and
200,000 outcomes (`--scale small`: 15 institutions, 30,000 participants, for development).
Then 300 good practices (the demo's published ones included) are created through the
real services (`do_create_practice`, `do_submit`, the coordinator's `do_decide`), spread
over the generated institutions, each linked to one of its institution's generated
projects, with Polish text (bench/practice_texts.py) and partners; their figures come
from the records like any other. Their publication dates are moved into the past (as if
published over the last years), so the reports of the last eight quarters all hold them.
The coordinator's figures are recounted (every institution's facts, then the region).

Printed, in one run:
0. (unless --skip-cold) the same report with nothing counted since the records changed:
   every institution's facts of the quarter, the region's figures and every practice's
   figures recounted while collecting (what a report costs when the figures jobs have not
   run at all);
1. the regional report for the current quarter, built as `flask report regional` builds it
   (`do_request_regional_report`: collect and hash the data; `execute_regional_report`:
   render and store the PDF) in a child process, with the figures kept current as the
   figures jobs keep them after every change: time of each step, pages (read back with
   pypdf) and the child's peak RSS (`wait4`);
2. a bare ReportLab document with the same page count, the same embedded DejaVu TTF
   family and similar flowables (a heading, a key-value table, paragraphs and a data table
   per page, as many characters per page as the report), in a child process too: its time
   and the ratio;
3. eight regional reports (the current and the seven previous quarters: different data, so
   different job ids) built by real `python -m regionet.workers reports --burst`
   processes, first one worker, then two: wall time of each and the speed-up.

Targets: report under 20 s, within 3x of the bare document, peak memory under 500 MB.

    .venv/bin/python -m bench.report_bench [--scale small] [--keep-db NAME] [--practices 300]
                                           [--reports 8] [--profile]

`--keep-db NAME` builds the region into database NAME once and keeps it: the next run with
the same name skips the generation (and creates only the practices still missing).
Without it the scratch database is dropped at the end.
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

from sqlalchemy import create_engine, func, select, text

from bench import generate
from bench.practice_texts import COMMON, partner_specs, practice_text
from bench.scratch import database_exists, scratch_platform

REGION_CODE = "26"
REGION_SLUG = "swietokrzyskie"
SCALES = {
    "full": ["--institutions", "150", "--participants", "300000", "--episodes", "900000", "--outcomes", "200000"],
    "small": ["--institutions", "15", "--participants", "30000", "--episodes", "90000", "--outcomes", "20000"],
}
BENCH_DOMAIN = "bench.regionet.example"


# --- the region and its practices ---------------------------------------------------------

def ensure_region(scratch, scale: str) -> None:
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution

    with scratch.app.app_context():
        present = db.session.execute(select(func.count()).select_from(Institution)
                                     .where(Institution.slug.like("bench-%"))).scalar_one()
    if present:
        print(f"region: {present} generated institutions already in {scratch.name}, generation skipped")
        return
    generate.main(["--database-url", scratch.owner_url, "--region", REGION_CODE, *SCALES[scale]])


def report_periods(count: int):
    from regionet.platform.regional_reports.periods import WARSAW, period_choices

    return period_choices(datetime.now(WARSAW).date(), count - 1)


def ensure_practices(scratch, count: int, seed: int = 5) -> None:
    """Create published practices until the region has `count`; backdate their publication."""
    from regionet.platform.accounts.models import User
    from regionet.platform.demo.seed import demo_login
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.practices.models import PublishedPractice
    from regionet.platform.practices.services import do_decide
    from regionet.platform.regions.models import Region, TerytUnit
    from regionet.platform.tenancy import tenant_scope
    from regionet.tenants.partners.models import PartnerKind, PartnerOrganisation
    from regionet.tenants.practices.services import (
        PracticeInput,
        do_create_practice,
        do_submit,
    )
    from regionet.tenants.projects.models import Project

    started = time.perf_counter()
    with scratch.app.app_context():
        region = db.session.get(Region, REGION_CODE)
        coordinator = db.session.execute(select(User).where(User.email == demo_login("koordynator.rops"))).scalar_one()
        published = db.session.execute(select(func.count()).select_from(PublishedPractice)
                                       .where(PublishedPractice.region_code == REGION_CODE)).scalar_one()
        institutions = db.session.execute(select(Institution).where(Institution.slug.like("bench-%"))
                                          .order_by(Institution.slug)).scalars().all()
        names = {u.code: u.name for u in db.session.execute(select(TerytUnit).where(
            TerytUnit.voivodeship == REGION_CODE)).scalars()}
        missing = max(0, count - published)
        rnd = random.Random(f"practices/{seed}/{published}")
        plan: dict[int, list[int]] = {}
        for number in range(published, published + missing):
            plan.setdefault(number % len(institutions), []).append(number)
        for position, numbers in sorted(plan.items()):
            institution = institutions[position]
            commune = names.get(institution.teryt_code, institution.short_name)
            county = names.get(institution.teryt_code[:4], commune)
            staff = db.session.execute(select(User).where(
                User.email == f"{institution.slug}.staff@{BENCH_DOMAIN}")).scalar_one()
            submissions = []
            with tenant_scope(institution.id):
                projects = db.session.execute(select(Project).where(Project.code.like("BENCH-%"))
                                              .order_by(Project.code)).scalars().all()
                partners = []
                for name, kind, role in partner_specs(rnd, commune, county):
                    partner = PartnerOrganisation(name=name, kind=PartnerKind(kind))
                    db.session.add(partner)
                    partners.append((partner, role))
                db.session.flush()
                for number in numbers:
                    project = projects[number // len(institutions) % len(projects)]
                    values = practice_text(rnd, number, commune, county)
                    values.update(period_start=project.start_date, period_end=project.end_date,
                                  project_id=project.id, funding_source=project.funding_source,
                                  funding_total=project.budget_total, funding_eu=project.eu_cofinancing,
                                  funding_own=project.own_contribution,
                                  contact_email=f"{institution.slug}@{BENCH_DOMAIN}")
                    chosen = rnd.sample(partners, rnd.randint(1, len(partners)))
                    practice = do_create_practice(PracticeInput(
                        values=values, partners=[(p.id, role) for p, role in chosen]), staff.id)
                    do_submit(practice, institution, staff)
                    submissions.append(practice.submitted.submission_id)
            for submission_id in submissions:
                do_decide(submission_id, region, coordinator, approve=True, comment=None)
            db.session.commit()
        _backdate(rnd)
        db.session.commit()
        total = db.session.execute(select(func.count()).select_from(PublishedPractice)
                                   .where(PublishedPractice.region_code == REGION_CODE)).scalar_one()
    print(f"practices: {missing} created and published through the services in "
          f"{time.perf_counter() - started:.1f} s; {total} published in the region")


def _backdate(rnd: random.Random) -> None:
    """Publication dates spread over the year before the oldest benchmarked quarter began."""
    from regionet.platform.extensions import db
    from regionet.platform.practices.models import PracticeSubmission, PublishedPractice
    from regionet.platform.regional_reports.periods import WARSAW

    oldest = report_periods(8)[-1].start
    latest = datetime.combine(oldest, datetime.min.time(), WARSAW) - timedelta(days=1)
    entries = db.session.execute(select(PublishedPractice).where(PublishedPractice.region_code == REGION_CODE,
                                                                 PublishedPractice.published_at > latest)).scalars()
    for entry in entries:
        day = latest - timedelta(days=rnd.randint(0, 365), minutes=rnd.randint(0, 600))
        entry.published_at = entry.first_published_at = day
        submission = db.session.get(PracticeSubmission, entry.submission_id)
        submission.submitted_at, submission.decided_at = day - timedelta(days=rnd.randint(3, 30)), day


def refresh_figures(scratch) -> None:
    """What the figures job does after an institution's records change, for every institution
    (its facts, its catalogue entries' figures), then the region's summary."""
    from regionet.platform.coordinator.refresh import (
        do_refresh_region,
        do_refresh_tenant,
    )
    from regionet.platform.extensions import db
    from regionet.platform.institutions.models import Institution
    from regionet.platform.practices.entry_figures import do_refresh_catalogue_figures_for_tenant
    from regionet.platform.tenancy import tenant_scope

    started = time.perf_counter()
    with scratch.app.app_context():
        ids = db.session.execute(select(Institution.id).where(Institution.region_code == REGION_CODE)
                                 .order_by(Institution.id)).scalars().all()
        for tenant_id in ids:
            with tenant_scope(tenant_id):
                do_refresh_tenant(tenant_id)
                do_refresh_catalogue_figures_for_tenant()
                db.session.commit()
        tenants_done = time.perf_counter()
        rows = do_refresh_region(REGION_CODE)
    print(f"coordinator figures: facts of {len(ids)} institutions in "
          f"{tenants_done - started:.1f} s, region ({rows:,} rows) in {time.perf_counter() - tenants_done:.1f} s")


def clear_reports(scratch) -> None:
    """Forget built reports (rows and RQ jobs), so that the same data is built again."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    from regionet.workers.queues import redis_connection

    owner = create_engine(scratch.owner_url)
    with owner.begin() as conn:
        job_ids = conn.execute(text("DELETE FROM regional_reports RETURNING job_id")).scalars().all()
    owner.dispose()
    with scratch.app.app_context():
        for job_id in job_ids:
            try:
                Job.fetch(job_id, connection=redis_connection()).delete()
            except NoSuchJobError:
                pass


def forget_what_is_current(scratch) -> None:
    """As if nothing had been counted since the records changed: every institution's facts, the
    region's figures and every catalogue entry's figures must be recounted by the next report."""
    from bench.scratch import admin_engine

    admin = admin_engine(scratch.name)   # the superuser: the fact builds are under forced row-level security
    with admin.connect() as conn:
        conn.execute(text("DELETE FROM figure_fact_builds"))
        conn.execute(text("UPDATE region_figure_status SET facts_stamp = NULL"))
        conn.execute(text("UPDATE published_practices SET figures_records_version = NULL"))
    admin.dispose()


# --- child processes (the process measured is the one that builds) --------------------------

def run_child(scratch, *args: str) -> dict:
    env = {**scratch.environment(), "PYTHONPATH": os.getcwd()}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bench.report_bench", "--child", *args], env=env,
                               stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"child {args[0]} failed with status {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    # The child's own high-water mark since exec (VmHWM); wait4's ru_maxrss would also count the
    # parent's pages the child shared before exec.
    result["max_rss_mb"] = result.pop("peak_rss_mb", usage.ru_maxrss / 1024)
    return result


def peak_rss_mb() -> float:
    """This process's peak resident set size since exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_build(period_key: str | None, out: str, profile: str | None) -> dict:
    from regionet.platform.app import create_app
    from regionet.platform.extensions import db
    from regionet.platform.regional_reports import services
    from regionet.platform.regional_reports.models import RegionalReport, ReportTrigger
    from regionet.platform.regional_reports.periods import (
        WARSAW,
        current_quarter,
        period_from_key,
    )
    from regionet.platform.regions.models import Region
    from regionet.workers.jobs.regional_report import execute_regional_report

    app = create_app()
    with app.app_context():
        today = datetime.now(WARSAW).date()
        period = period_from_key(period_key, today) if period_key else current_quarter(today)
        region = db.session.execute(select(Region).where(Region.slug == REGION_SLUG)).scalar_one()
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t0, c0 = time.perf_counter(), time.process_time()
        report, _created = services.do_request_regional_report(region, period, trigger=ReportTrigger.OPERATOR,
                                                               enqueue=False)
        t1, c1 = time.perf_counter(), time.process_time()
        outcome = execute_regional_report(str(report.id))
        t2, c2 = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        db.session.expire_all()
        report = db.session.get(RegionalReport, report.id)
        with open(out, "wb") as file:
            file.write(report.pdf)
        shape = story_shape(report.dataset)
        return {"shape": shape, "cpu_seconds": c2 - c0, "render_cpu_seconds": c2 - c1, "collect_seconds": t1 - t0, "render_seconds": t2 - t1, "total_seconds": t2 - t0,
                "outcome": outcome, "pages": report.page_count, "practices": report.practice_count,
                "bytes": report.size_bytes}


def story_shape(dataset: dict) -> dict:
    """How many paragraphs, tables and table cells the report's practice chapters hold (not timed)."""
    from flask_babel import force_locale
    from reportlab.platypus import Paragraph, Table

    from regionet.platform.regional_reports.pdf import practice_chapter

    counts = {"paragraphs": 0, "tables": 0, "cells": 0, "paragraph_cells": 0}

    def visit(flowable) -> None:
        if isinstance(flowable, Paragraph):
            counts["paragraphs"] += 1
        elif isinstance(flowable, Table):
            counts["tables"] += 1
            for row in flowable._cellvalues:
                for cell in row:
                    counts["cells"] += 1
                    counts["paragraph_cells"] += isinstance(cell, Paragraph)
        for inner in getattr(flowable, "_content", None) or []:   # KeepTogether
            visit(inner)

    with force_locale("pl"):
        for number, practice in enumerate(dataset["practices"], start=1):
            for flowable in practice_chapter(practice, number, None):
                visit(flowable)
    return counts


def child_bare(pages: int, chars_per_page: int, out: str, shape: dict | None) -> dict:
    """A plain ReportLab document: same page count, same TTF family, no data, no queries, one pass.

    Each page gets its share of the report's paragraphs, tables and table cells (`shape`,
    counted in the report's chapters) and of its characters, filled with Polish sentences.
    """
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        PageBreak,
        PageTemplate,
        Paragraph,
        Table,
        TableStyle,
    )

    from regionet.platform.pdf.document import FONT_DIR

    faces = {"Bare": "DejaVuSans.ttf", "Bare-Bold": "DejaVuSans-Bold.ttf", "Bare-Oblique": "DejaVuSans-Oblique.ttf",
             "Bare-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily("Bare", normal="Bare", bold="Bare-Bold", italic="Bare-Oblique",
                                  boldItalic="Bare-BoldOblique")
    body = ParagraphStyle("body", fontName="Bare", fontSize=10, leading=13.5, spaceAfter=2 * mm)
    heading = ParagraphStyle("h3", fontName="Bare-Bold", fontSize=10.5, leading=14, spaceBefore=3 * mm,
                             spaceAfter=1.5 * mm)
    cell = ParagraphStyle("cell", fontName="Bare", fontSize=9, leading=12)
    sentences = [s.format(commune="Bliżyn", county="skarżyski") for pool in COMMON.values() for s in pool]
    shape = shape or {"paragraphs": 12 * pages, "tables": 2 * pages, "cells": 30 * pages, "paragraph_cells": pages}
    per_page = {key: shape[key] / max(1, pages) for key in ("paragraphs", "tables", "cells", "paragraph_cells")}

    def share(key: str, page: int) -> int:
        return int((page + 1) * per_page[key]) - int(page * per_page[key])

    t0, c0 = time.perf_counter(), time.process_time()
    story, cursor = [], 0

    def words(n_chars: int) -> str:
        nonlocal cursor
        chunk = []
        while sum(len(s) + 1 for s in chunk) < n_chars:
            chunk.append(sentences[cursor % len(sentences)])
            cursor += 1
        return " ".join(chunk)[:n_chars].rsplit(" ", 1)[0]

    table_style = TableStyle([("FONTNAME", (0, 0), (-1, -1), "Bare"), ("FONTSIZE", (0, 0), (-1, -1), 9),
                              ("FONTNAME", (0, 0), (-1, 0), "Bare-Bold"), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                              ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6"))])
    for page in range(pages):
        paragraphs, tables = share("paragraphs", page), share("tables", page)
        cells, paragraph_cells = share("cells", page), share("paragraph_cells", page)
        flowables, table_chars = [], 0
        for t in range(tables):
            n = cells // tables + (t < cells % tables)
            rows = []
            for r in range(max(1, n // 2)):
                label = f"Wskaźnik rezultatu nr {r} – uczestnicy ogółem"
                if paragraph_cells > 0:
                    label, paragraph_cells = Paragraph(escape(label + " " + words(60)), cell), paragraph_cells - 1
                rows.append([label, f"{100 + page + r:,}".replace(",", "\u00a0")])
                table_chars += 50
            table = Table(rows, colWidths=[135 * mm, 35 * mm])
            table.setStyle(table_style)
            flowables.append(table)
        text_paragraphs = max(1, paragraphs)
        size = max(20, (chars_per_page - table_chars) // text_paragraphs)
        for n in range(text_paragraphs):
            short = n % 3 == 0   # every third one a heading-like short line, as the chapters' section titles
            story.append(Paragraph(escape(words(20 if short else size * 3 // 2)), heading if short else body))
            if n == text_paragraphs // 2:
                story += flowables
        story.append(PageBreak())
    story.pop()   # no blank page at the end

    def furniture(canvas, document):
        canvas.saveState()
        canvas.setFont("Bare", 8)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, "Katalog dobrych praktyk · województwo świętokrzyskie")
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Strona {document.page}")
        canvas.restoreState()

    with open(out, "wb") as file:
        document = BaseDocTemplate(file, pagesize=A4, title="Katalog", lang="pl-PL", leftMargin=20 * mm,
                                   rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=18 * mm)
        frame = Frame(document.leftMargin, document.bottomMargin, document.width, document.height)
        document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=furniture)])
        document.build(story)
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "pages": document.page}


def pdf_facts(path: str) -> tuple[int, int]:
    """(pages, extracted characters per page, from a sample of pages) read back with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    count = len(reader.pages)
    sample = range(0, count, max(1, count // 40))
    chars = sum(len(reader.pages[i].extract_text() or "") for i in sample)
    return count, chars // max(1, len(sample))


# --- workers ------------------------------------------------------------------------------

def workers_round(scratch, periods, workers: int) -> dict:
    from regionet.platform.extensions import db
    from regionet.platform.regional_reports import services
    from regionet.platform.regional_reports.models import (
        RegionalReport,
        ReportTrigger,
        RunStatus,
    )
    from regionet.platform.regions.models import Region

    clear_reports(scratch)
    with scratch.app.app_context():
        region = db.session.get(Region, REGION_CODE)
        started = time.perf_counter()
        ids = [services.do_request_regional_report(region, period, trigger=ReportTrigger.OPERATOR)[0].id
               for period in periods]
        requested = time.perf_counter() - started
        db.session.commit()
    env = {**scratch.environment(), "PYTHONPATH": os.getcwd()}
    log = tempfile.NamedTemporaryFile(prefix="report-bench-workers-", suffix=".log", delete=False)
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-m", "regionet.workers", "reports", "--burst", "--name",
                                   f"report-bench-{os.getpid()}-{workers}-{n}"], env=env, stdout=log, stderr=log)
                 for n in range(workers)]
    cpu = 0.0
    for process in processes:   # wait4: the worker's CPU time with its work horses'
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
    wall = time.perf_counter() - started
    with scratch.app.app_context():
        reports = db.session.execute(select(RegionalReport).where(RegionalReport.id.in_(ids))).scalars().all()
        done = [r for r in reports if r.status is RunStatus.DONE]
        job_seconds = [(r.finished_at - r.started_at).total_seconds() for r in done]
        pages = sorted({r.page_count for r in done})
    if len(done) != len(ids):
        print(f"  warning: {len(ids) - len(done)} reports not done (worker log: {log.name})")
    return {"wall": wall, "cpu": cpu, "load": os.getloadavg()[0], "requested": requested, "done": len(done), "job_seconds": job_seconds, "pages": pages}


# --- main -------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report_bench")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--keep-db", metavar="NAME", help="build the region into NAME once and keep it")
    parser.add_argument("--practices", type=int, default=300)
    parser.add_argument("--reports", type=int, default=8, help="reports built by the workers")
    parser.add_argument("--profile", action="store_true", help="cProfile the report build (top functions)")
    parser.add_argument("--skip-workers", action="store_true", help="no worker rounds")
    parser.add_argument("--skip-cold", action="store_true",
                        help="no build with every figure recounted (only the build with figures kept current)")
    parser.add_argument("--no-refresh", action="store_true",
                        help="with --keep-db: the coordinator's figures were recounted by the run that built it")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = child_build(rest[0] or None, rest[1], rest[2] if len(rest) > 2 else None) if kind == "build" \
            else child_bare(int(rest[0]), int(rest[1]), rest[2], json.loads(rest[3]) if len(rest) > 3 else None)
        print(json.dumps({**result, "peak_rss_mb": peak_rss_mb()}))
        return

    keep = bool(args.keep_db)
    if keep and database_exists(args.keep_db):
        print(f"reusing database {args.keep_db}")
    workdir = tempfile.mkdtemp(prefix="report-bench-")
    with scratch_platform(args.keep_db, keep=keep) as scratch:
        ensure_region(scratch, args.scale)
        ensure_practices(scratch, args.practices)
        if not (keep and args.no_refresh):
            refresh_figures(scratch)
        clear_reports(scratch)

        report_pdf = os.path.join(workdir, "regional.pdf")
        if not args.skip_cold:
            forget_what_is_current(scratch)
            cold = run_child(scratch, "build", "", report_pdf)
            print(f"\nregional report with nothing counted since the records changed (the figures jobs not run): "
                  f"collect {cold['collect_seconds']:.1f} s (every institution's facts of the quarter, the region's "
                  f"figures, all {cold['practices']} practices' figures) + render {cold['render_seconds']:.1f} s = "
                  f"{cold['total_seconds']:.1f} s")
            clear_reports(scratch)
        profile = os.path.join(workdir, "build.prof") if args.profile else None
        build = run_child(scratch, "build", "", report_pdf, *([profile] if profile else []))
        pages, chars = pdf_facts(report_pdf)
        print(f"\nregional report ({build['practices']} practices, current quarter; the figures kept current by the "
              f"figures jobs, as after any change): "
              f"collect {build['collect_seconds']:.1f} s + render {build['render_seconds']:.1f} s = "
              f"{build['total_seconds']:.1f} s; {pages} pages (pypdf; {build['pages']} recorded), "
              f"{build['bytes'] / 1e6:.1f} MB, ~{chars} characters a page; "
              f"peak RSS of the building process {build['max_rss_mb']:.0f} MB")
        if profile:
            import pstats

            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)

        print(f"load average {os.getloadavg()[0]:.1f}")
        bare_pdf = os.path.join(workdir, "bare.pdf")
        bare = run_child(scratch, "bare", str(pages), str(chars), bare_pdf, json.dumps(build["shape"]))
        bare_pages, bare_chars = pdf_facts(bare_pdf)
        ratio = build["total_seconds"] / bare["seconds"]
        cpu_ratio = build["cpu_seconds"] / bare["cpu_seconds"]
        shape = build["shape"]
        print(f"bare ReportLab document: {bare['seconds']:.1f} s; {bare_pages} pages, ~{bare_chars} characters "
              f"a page; like the report's chapters {shape['paragraphs']:,} paragraphs and {shape['tables']:,} tables "
              f"of {shape['cells']:,} cells ({shape['paragraph_cells']:,} wrapped), DejaVu TTF embedded; "
              f"peak RSS {bare['max_rss_mb']:.0f} MB")
        print(f"report / bare: {ratio:.2f}x wall time (render only: {build['render_seconds'] / bare['seconds']:.2f}x); "
              f"CPU time of the two processes {build['cpu_seconds']:.1f} s / {bare['cpu_seconds']:.1f} s = "
              f"{cpu_ratio:.2f}x (render only {build['render_cpu_seconds'] / bare['cpu_seconds']:.2f}x; the "
              f"database's own work is not in the report's CPU time)")

        rounds = {}
        if not args.skip_workers:
            periods = report_periods(args.reports)
            print(f"\n{len(periods)} reports ({periods[-1].key} … {periods[0].key}) by real workers "
                  f"(python -m regionet.workers reports --burst):")
            for workers in (1, 2):
                rounds[workers] = result = workers_round(scratch, periods, workers)
                jobs = result["job_seconds"]
                print(f"  {workers} worker{'s' if workers > 1 else ''}: {result['wall']:.1f} s wall "
                      f"({result['done']} done, pages {result['pages']}; jobs {min(jobs):.1f}–{max(jobs):.1f} s; "
                      f"CPU time of the workers {result['cpu']:.0f} s; load average {result['load']:.1f}; "
                      f"requests collected beforehand in {result['requested']:.1f} s)")
            print(f"  speed-up with 2 workers: {rounds[1]['wall'] / rounds[2]['wall']:.2f}x")
            clear_reports(scratch)

        load = os.getloadavg()
        print(f"\n{os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
        print(f"targets: build {build['total_seconds']:.1f} s (< 20 s) {_ok(build['total_seconds'] < 20)}; "
              f"{ratio:.2f}x bare (<= 3x) {_ok(ratio <= 3)}; {build['max_rss_mb']:.0f} MB (< 500 MB) "
              f"{_ok(build['max_rss_mb'] < 500)}")
        if keep:
            print(f"database {scratch.name} kept (--keep-db)")


def _ok(passed: bool) -> str:
    return "met" if passed else "NOT met"


if __name__ == "__main__":
    main()
