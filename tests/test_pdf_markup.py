"""ReportLab markup in names and texts is printed as text, never obeyed.

ReportLab parses a Paragraph's text as markup: `<img src="/etc/passwd"/>` in an institution's
name made the worker open that file. Every text field that reaches a PDF here holds markup
(an image of a real file, a font, a javascript: link, a <para>), and every PDF the platform
makes is built: the text must read back literally, no file may be opened, no link written and
no font but DejaVu used. A lint test keeps markup-parsing flowables inside platform/pdf/text.py.
"""
import ast
import io
import re
import sys
import uuid
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from regionet.platform.coordinator.models import ReportingPeriod
from regionet.platform.coordinator.periods import reporting_key
from regionet.platform.demo.records import CohortSpec
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.regional_reports.models import RegionalReport, ReportTrigger
from regionet.platform.regional_reports.periods import current_quarter, quarter_bounds, quarter_of
from regionet.platform.regional_reports.services import do_request_regional_report
from regionet.platform.regions.models import Region, TerytUnit
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.partners.models import PartnerKind, PartnerOrganisation
from regionet.tenants.practices.models import Practice
from regionet.tenants.practices.photos import check_photo
from regionet.tenants.practices.services import do_add_photo, do_submit
from regionet.tenants.projects.models import Project
from regionet.tenants.reports.models import InstitutionReport
from regionet.workers.jobs.regional_report import execute_regional_report

from .factories import png_bytes
from .practices_support import (
    _admin,
    clean_region_tables,  # noqa: F401  (an autouse fixture)
    create_practice,
    decide,
    make_project,
    submission_of,
)

ROOT = Path(__file__).resolve().parent.parent
SLUG = "mopr-kielce"
# Flowables that parse their text as markup (or run code), allowed only in platform/pdf/text.py;
# the contents and index classes only in platform/pdf/ (their entries go through plain_markup).
MARKUP_FLOWABLES = {"Paragraph", "XPreformatted", "PythonPreformatted", "ImageAndFlowables", "ParagraphAndImage",
                    "Macro", "CallerMacro", "DocExec", "DocPara", "DocAssign", "DocAssert", "DocIf", "DocWhile",
                    "FootNote", "BalancedColumns"}
INDEX_FLOWABLES = {"TableOfContents", "SimpleIndex", "AlphabeticIndex"}


class Markup:
    """Markup payloads that fit the columns they go into, each naming its field."""

    def __init__(self, image: Path):
        self.image = image
        self.pieces = [f'<img src="{image}"/>', '<font name="Courier" color="red">F</font>',
                       '<a href="javascript:alert(1)">A</a>', '<para autoLeading="max">P</para>', "&amp;<b>"]
        self.given: dict[str, str] = {}

    def __call__(self, field: str, limit: int = 300) -> str:
        text = field
        for piece in self.pieces:
            if len(text) + len(piece) + 1 <= limit:
                text += " " + piece
        assert "<" in text, (field, limit)
        self.given[field] = text
        return text


@pytest.fixture
def markup(tmp_path_factory):
    image = Path(f"/tmp/rl-{uuid.uuid4().hex[:6]}.png")   # short: the payload must fit 80 characters
    image.write_bytes(png_bytes(40, 40, (220, 20, 20)))   # a real image: obeyed markup would embed it
    yield Markup(image)
    image.unlink(missing_ok=True)


@pytest.fixture
def opened_files():
    """Every file this process opens while the test runs (an audit hook cannot be removed: it checks a flag)."""
    opened, state = [], {"on": True}

    def hook(event, args):
        if state["on"] and event == "open" and isinstance(args[0], str | bytes | Path):
            opened.append(str(args[0]))

    sys.addaudithook(hook)
    yield opened
    state["on"] = False


def printed(payload: str, text: str) -> bool:
    """The payload's words in order, each within a few words of the previous one: a table prints the
    cells of one line side by side, so a wrapped cell's words are interleaved with its neighbours'."""
    words, wanted = text.split(), payload.split()
    for start in (i for i, word in enumerate(words) if wanted[0] in word):
        position, found = start, 1
        while found < len(wanted):
            window = [i for i, word in enumerate(words[position + 1:position + 13]) if wanted[found] in word]
            if not window:
                break
            position += 1 + window[0]
            found += 1
        if found == len(wanted):
            return True
    return False


def read_back(pdf: bytes) -> tuple[str, set, bytes]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(page.extract_text() or "" for page in document.pages)
        fonts = {char["fontname"].split("+")[-1] for page in document.pages for char in page.chars}
    return text, fonts, pdf


def assert_literal(pdf: bytes, payloads: dict[str, str], opened: list[str], image: Path, images_allowed: int = 0):
    text, fonts, raw = read_back(pdf)
    missing = [field for field, payload in payloads.items() if not printed(payload, text)]
    assert not missing, f"not printed literally: {missing}"
    assert fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}, fonts
    assert not [path for path in opened if image.name in path], "the markup made ReportLab open a file"
    reader = PdfReader(io.BytesIO(pdf))
    links = [annotation.get_object() for page in reader.pages for annotation in page.get("/Annots") or []]
    assert not [link for link in links if "/A" in link], "a link was written"
    assert b"/URI" not in raw and b"/JavaScript" not in raw
    images = sum(len(page.images) for page in reader.pages)
    assert images == images_allowed, images


@pytest.fixture
def marked_world(app, markup):
    """Region, institution, its commune and county, a project with a partner, a published practice with
    a photo and partners, and a reporting period of this quarter: every text holds markup. Restored after."""
    with app.app_context():
        institution = db.session.execute(select(Institution).where(Institution.slug == SLUG)).scalar_one()
        region = db.session.get(Region, institution.region_code)
        units = [db.session.get(TerytUnit, institution.teryt_code), db.session.get(TerytUnit, institution.teryt_code[:4])]
        saved = ({k: getattr(institution, k) for k in ("name", "short_name", "nip", "regon")}, region.name,
                 [unit.name for unit in units])
        institution.name, institution.short_name = markup("Instytucja", 250), markup("Skrót", 80)
        institution.nip, institution.regon = "<b>1</b>", "<i>12</i>&amp;"
        markup.given.update(nip=institution.nip, regon=institution.regon)
        region.name = markup("Region", 120)
        units[0].name, units[1].name = markup("Gmina", 100), markup("Powiat", 100)
        tenant = institution.id
        start, end = quarter_bounds(*quarter_of(today_in_poland()))
        period_id = uuid.uuid4()
        db.session.add(ReportingPeriod(id=period_id, period_key=reporting_key(period_id), region_code=region.teryt_code,
                                       name=markup("Okres", 120), start_date=start, end_date=end))
        db.session.commit()
    try:
        project_id = make_project(app, SLUG, CohortSpec(participants=12, women=6, disability=5, exited=10,
                                                        employed_within_4_weeks=6, qualified=7,
                                                        instruments=(("kis", 12),)),
                                  title=markup("Projekt", 300), code=markup("Kod", 60))
        with app.app_context(), tenant_scope(tenant):
            partner = PartnerOrganisation(name=markup("Partner", 250), kind=PartnerKind.NGO)
            db.session.add(partner)
            project = db.session.get(Project, (tenant, project_id))
            project.partners.append(partner)
            db.session.commit()
            partner_id = partner.id
        texts = {name: markup(name, 300) for name in (
            "problem", "local_figures", "target_group_description", "cooperation", "results_narrative",
            "success_factors", "barriers", "sustainability", "transferability", "contact_name")}
        practice_id = create_practice(app, SLUG, project_id, partners=[(partner_id, markup("Rola", 300))],
                                      title=markup("Tytuł", 300), contact_email=markup("Email", 254),
                                      contact_phone=markup("Tel", 30), **texts)
        with app.app_context(), tenant_scope(tenant):
            practice = db.session.execute(select(Practice).where(Practice.id == practice_id)).scalar_one()
            do_add_photo(practice.draft, check_photo(png_bytes(60, 40), 5_000_000), markup("Podpis", 300), None)
            do_submit(practice, db.session.get(Institution, tenant), _admin(tenant))
            db.session.commit()
        decide(app, submission_of(app, SLUG, practice_id))
        yield tenant
    finally:
        with app.app_context():
            institution = db.session.get(Institution, tenant)
            for key, value in saved[0].items():
                setattr(institution, key, value)
            db.session.get(Region, institution.region_code).name = saved[1]
            for code, name in zip((institution.teryt_code, institution.teryt_code[:4]), saved[2], strict=True):
                db.session.get(TerytUnit, code).name = name
            db.session.commit()


def test_markup_in_every_field_is_printed_literally_in_every_pdf(app, markup, marked_world, opened_files):
    from regionet.tenants.reports.services import do_request_projects_report, do_request_summary
    from regionet.workers.jobs.institution_projects import build_institution_projects
    from regionet.workers.jobs.institution_summary import build_institution_summary

    tenant = marked_world
    with app.app_context(), tenant_scope(tenant):
        institution = db.session.get(Institution, tenant)
        summary = do_request_summary(tenant, None, 600).id
        projects, _created = do_request_projects_report(institution, None, 600)
        projects = projects.id
    assert build_institution_summary(tenant, str(summary)).endswith("pages")
    assert build_institution_projects(tenant, str(projects)).endswith("pages")
    with app.app_context(), tenant_scope(tenant):
        summary_pdf = db.session.get(InstitutionReport, (tenant, summary)).pdf
        projects_report = db.session.get(InstitutionReport, (tenant, projects))
        projects_pdf, projects_dataset = projects_report.pdf, projects_report.dataset
        region = db.session.get(Region, db.session.get(Institution, tenant).region_code)
        report, _created = do_request_regional_report(region, current_quarter(today_in_poland()),
                                                      trigger=ReportTrigger.OPERATOR, enqueue=False)
        report_id = report.id
    with app.app_context():
        assert execute_regional_report(str(report_id)).endswith("pages")
        db.session.expire_all()
        regional = db.session.get(RegionalReport, report_id)
        regional_pdf, regional_dataset = regional.pdf, regional.dataset

    given = markup.given
    assert_literal(summary_pdf, {k: given[k] for k in ("Instytucja", "Region", "Gmina", "nip", "regon")},
                   opened_files, markup.image)
    assert_literal(projects_pdf, {k: given[k] for k in ("Instytucja", "Projekt", "Kod", "Partner", "Tytuł")},
                   opened_files, markup.image)
    regional_fields = set(given) - {"Skrót", "nip", "regon"}
    assert_literal(regional_pdf, {k: given[k] for k in regional_fields}, opened_files, markup.image,
                   images_allowed=1)   # the practice's photo, not the file the markup names
    # Every text people typed into the reports' data was given markup: a new field cannot be left out
    # here. (The region's figure tables print names from the register and the platform's own labels,
    # through the same table cells as the institution's name above.)
    typed = [*_strings(projects_dataset), *_strings(regional_dataset["practices"], ".practices"),
             *_strings(regional_dataset["region"], ".region")]
    untested = [path for path, value in typed if not _is_code(value) and "<" not in value
                and not path.endswith(DERIVED) and path.rsplit(".", 1)[-1] not in NOT_PRINTED]
    assert not untested, f"text fields of a report's data without markup in this test: {untested}"


# Labels the report's data carries from the platform's catalogues, not typed by anyone.
DERIVED = (".funding.programme", ".funding.measure", ".content_type")
NOT_PRINTED = {"approved_by"}   # kept with the entry for its history; no PDF prints it


def _strings(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


CODE = re.compile(r"^(?:[a-z0-9_.:+\-]*|\d{4}-\d\d-\d\d(?:T[\d:+.]+)?|[0-9a-f-]{36}|\d+Q\d(?:-current)?)$")


def _is_code(value: str) -> bool:
    """Keys, dates, ids and numbers: what a report looks up or formats rather than prints."""
    return bool(CODE.match(value))


def _python_files():
    for folder in ("platform", "tenants", "workers"):
        yield from (ROOT / folder).rglob("*.py")


def test_no_markup_parsing_flowable_is_built_outside_the_one_escaping_path():
    """A new PDF cannot forget: Paragraph (and every flowable that parses markup or runs code) is
    used only in platform/pdf/text.py, the contents and indexes only in platform/pdf/."""
    found = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        allowed = set()
        if relative == "platform/pdf/text.py":
            allowed = MARKUP_FLOWABLES
        if relative.startswith("platform/pdf/"):
            allowed = allowed | INDEX_FLOWABLES
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Attribute):
                names = [node.attr]
            elif isinstance(node, ast.Name):
                names = [node.id]
            for name in names:
                if name == "*" or (name in MARKUP_FLOWABLES | INDEX_FLOWABLES and name not in allowed):
                    found.append(f"{relative}:{node.lineno}: {name}")
    assert not found, "build markup through regionet.platform.pdf.text (para, paragraphs, Heading):\n" + \
        "\n".join(found)


def test_the_escaping_path_shows_text_as_it_is(app):
    from regionet.platform.pdf import build_pdf, para
    from regionet.platform.pdf.text import plain_markup

    assert plain_markup('<a href="x">&amp;\x00\x07') == "&lt;a href=&quot;x&quot;&gt;&amp;amp;"
    text = 'Zażółć <b>gęślą</b> & "jaźń"\nnowa linia'
    pdf = build_pdf([para(text)], title="t", author="a", header="h", footer="f").data
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = document.pages[0].extract_text().splitlines()
    assert 'Zażółć <b>gęślą</b> & "jaźń"' in lines and "nowa linia" in lines
