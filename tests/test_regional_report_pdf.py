"""The regional catalogue and the institution's project report, read back from the PDF."""
import io
import re
from datetime import date, timedelta

import pdfplumber
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from regionet.platform.demo.records import CohortSpec
from regionet.platform.extensions import db
from regionet.platform.regional_reports.dataset import dataset_sha256
from regionet.platform.regional_reports.models import RegionalReport, ReportTrigger, RunStatus
from regionet.platform.regional_reports.periods import current_quarter, previous_quarter
from regionet.platform.regional_reports.services import do_request_regional_report
from regionet.platform.regions.models import Region
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.practices.models import Practice
from regionet.tenants.practices.photos import check_photo
from regionet.tenants.practices.services import do_add_photo, do_start_new_version
from regionet.workers.jobs.regional_report import execute_regional_report

from .factories import png_bytes
from .practices_support import (
    clean_region_tables,  # noqa: F401  (an autouse fixture)
    create_practice,
    decide,
    institution_id,
    make_project,
    publish,  # noqa: F401
    submission_of,
)

TITLES = {
    "mopr-kielce": ["Klub Integracji Społecznej: zażółć gęślą jaźń", "Asystent rodziny & praca socjalna <w terenie>"],
    "owes-kielce": ["Spółdzielnia socjalna uczestników warsztatów terapii zajęciowej – założona przez gminę i "
                    "stowarzyszenie, z dotacją na miejsca pracy"],
    "mops-skarzysko-kamienna": ["Nowe Szanse w MOPS", "Prace społecznie użyteczne w 27 jednostkach"],
    "pup-skarzysko-kamienna": ["Pakt Zatrudnieniowy 50+"],
}


def normalise(text: str) -> str:
    return " ".join(text.split())


def build_report(app, period=None):
    with app.app_context():
        region = db.session.get(Region, "26")
        report, _created = do_request_regional_report(region, period or current_quarter(today_in_poland()),
                                                      trigger=ReportTrigger.OPERATOR, enqueue=False)
        report_id = report.id
        assert execute_regional_report(str(report_id)).endswith("pages")
        db.session.expire_all()
        report = db.session.get(RegionalReport, report_id)
        return report_id, report.pdf, report.data_sha256, dataset_sha256(report.dataset), report.page_count


def add_photo_and_republish(app, slug, practice_id):
    with app.app_context(), tenant_scope(institution_id(app, slug)):
        practice = db.session.execute(select(Practice).where(Practice.id == practice_id)).scalar_one()
        draft = do_start_new_version(practice)
        do_add_photo(draft, check_photo(png_bytes(400, 300, (200, 30, 40)), 5_000_000), "Uczestnicy klubu", None)
        from regionet.platform.institutions.models import Institution
        from regionet.tenants.practices.services import do_submit

        from .practices_support import _admin

        do_submit(practice, db.session.get(Institution, institution_id(app, slug)), _admin(institution_id(app, slug)))
        db.session.commit()
    decide(app, submission_of(app, slug, practice_id))


def test_the_regional_catalogue_reads_back_with_its_contents_figures_fonts_and_provenance(app):
    project_id = make_project(app, "mopr-kielce", CohortSpec(
        participants=17, women=2, disability=3, exited=15, employed_within_4_weeks=8, qualified=11,
        instruments=(("kis", 17), ("art_therapy", 1))), title="Klub Integracji Społecznej")
    ids = {}
    for slug, titles in TITLES.items():
        for title in titles:
            linked = project_id if title.startswith("Klub Integracji") else None
            ids[title] = publish(app, slug, project_id=linked, title=title)[0]
    add_photo_and_republish(app, "mopr-kielce", ids["Klub Integracji Społecznej: zażółć gęślą jaźń"])

    report_id, pdf, data_sha256, recomputed, pages = build_report(app)
    assert data_sha256 == recomputed
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pages
    # pdfplumber orders text by its position on the page (a TOC line reads "title . . . page")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        texts = [normalise(page.extract_text()) for page in document.pages]
        fonts = {char["fontname"].split("+")[-1] for page in document.pages for char in page.chars}
        images = sum(len(page.images) for page in document.pages)

    # metadata, language, page furniture
    assert reader.metadata.title == "Katalog dobrych praktyk · Świętokrzyskie"
    assert b"/Lang (pl-PL)" in pdf
    assert all(f"Strona {n} z {pages}" in texts[n - 1] for n in range(1, pages + 1))

    # the table of contents names the page on which each practice's chapter is
    toc = " ".join(texts[1:3])
    summary_page = int(re.search(r"Podsumowanie regionalne[\s.]*?(\d+)", toc).group(1))
    toc = " ".join(texts[1:summary_page - 1])
    starts = {}
    for titles in TITLES.values():
        for title in titles:
            found = re.search(re.escape(normalise(title)) + r"(?:\s*\.)*\s*(\d+)", toc)
            assert found, f"{title!r} not in the table of contents"
            page = starts[title] = int(found.group(1))
            assert normalise(title) in texts[page - 1], f"{title!r} is not on page {page}"
            assert normalise(title) not in texts[page - 2] or page - 2 < summary_page, "the chapter starts there"
    assert "Powiat: Kielce" in toc and "Powiat: skarżyski" in toc and "Indeks instytucji" in toc

    # Polish diacritics come back as text, in the embedded DejaVu family (regular, bold, italic)
    everything = " ".join(texts)
    for phrase in ("zażółć gęślą jaźń", "Świętokrzyskie", "Spółdzielnia socjalna", "Miejski Ośrodek Pomocy "
                   "Społecznej w Skarżysku-Kamiennej", "Asystent rodziny & praca socjalna <w terenie>"):
        assert phrase in everything, phrase
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}, fonts
    assert images == 1, "the photo of the practice is in its chapter"

    # the figures equal the records, small cells suppressed, with the rule printed
    klub_page = starts["Klub Integracji Społecznej: zażółć gęślą jaźń"]
    next_chapter = min(page for page in starts.values() if page > klub_page)
    klub = " ".join(texts[klub_page - 1:next_chapter - 1])
    for expected in ("Uczestnicy 17", "Uczestnicy: kobiety x", "Uczestnicy z niepełnosprawnościami x",
                     "Uczestnicy, którzy podjęli zatrudnienie 8", "Uczestnicy, którzy podnieśli kwalifikacje 11",
                     "Efektywność zatrudnieniowa 53,3%", "Arteterapia x", "Klub integracji społecznej (KIS) 17",
                     "Tajemnica statystyczna (art. 38 ustawy o statystyce publicznej): liczby mniejsze niż 3",
                     "Tajemnica statystyczna (dane wrażliwe): liczby mniejsze niż 5"):
        assert expected in klub, expected
    summary = texts[summary_page - 1]
    assert "Podsumowanie regionalne" in summary and "Osoby (bez powtórzeń)" in summary
    assert "Katalog obejmuje: dobre praktyki – 6, instytucje – 4, powiaty – 2." in summary

    # the index lists every institution; the last page gives the provenance
    index = next(t for t in texts if t.startswith("Katalog dobrych praktyk · Świętokrzyskie · Indeks instytucji"))
    for name in ("Miejski Ośrodek Pomocy Rodzinie w Kielcach", "Ośrodek Wsparcia Ekonomii Społecznej w Kielcach",
                 "Powiatowy Urząd Pracy w Skarżysku-Kamiennej"):
        assert name in index
    last = texts[-1]
    assert "Metryka raportu" in last and data_sha256 in last.replace(" ", "")
    assert "Zatwierdzenie okresu Koordynator nie otworzył tego kwartału jako okresu sprawozdawczego" in last
    assert "Praktyki w raporcie 6" in last
    assert "Tajemnica statystyczna (art. 38 ustawy o statystyce publicznej): liczby mniejsze niż 3" in last


def _region_summary_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        texts = [normalise(page.extract_text()) for page in document.pages]
    return " ".join(t for t in texts if "· Podsumowanie regionalne" in t), texts[-1]


def test_the_regional_summary_hides_a_cell_its_total_would_reveal(app):
    """Women 2 of 12 is below the threshold; with men and the total printed it could be worked
    out, so the men's count is hidden too (secondary suppression), while the total stays."""
    quarter = previous_quarter(today_in_poland())
    make_project(app, "mopr-kielce", CohortSpec(participants=12, women=2, disability=1,
                                                entry=quarter.start + timedelta(days=1),
                                                instruments=(("kis", 12), ("art_therapy", 2))))
    report_id, pdf, *_rest = build_report(app, quarter)
    with app.app_context():
        dataset = db.session.get(RegionalReport, report_id).dataset
    region = dataset["summary"]["region"]
    assert region["period"]["key"] == f"{quarter.start.year}-Q{(quarter.start.month - 1) // 3 + 1}"
    sex = next(t for t in region["tables"] if t["id"] == "people--sex")
    cells = {line["key"]: line["cells"][0] for line in sex["rows"]}
    assert cells == {"female": {"value": None, "suppressed": True}, "male": {"value": None, "suppressed": True}}
    # the total is the headline's cell: printed the same way in both (12, or "x" where the quarter's
    # linked set, in a world of one project, hides it too)
    assert sex["total"]["cells"][0] == region["headline"]["people"]
    assert region["headline"]["people"] in ({"value": 12}, {"value": None, "suppressed": True})
    total = "12" if region["headline"]["people"] == {"value": 12} else "x"
    summary, last = _region_summary_text(pdf)
    assert f"Płeć Osoby (bez powtórzeń) Kobiety x Mężczyźni x Razem {total}" in summary
    assert "Tajemnica statystyczna (art. 38 ustawy o statystyce publicznej): liczby mniejsze niż 3" in summary
    assert "Tajemnica statystyczna (dane wrażliwe): liczby mniejsze niż 5" in summary
    # 12 episodes of one instrument and 2 of another: the 2 is hidden, so is the 12
    assert "Instrument Formy wsparcia Klub integracji społecznej (KIS) x Arteterapia x Razem" in summary
    assert "from the coordinator" not in last


def test_a_quarter_opened_as_a_reporting_period_prints_its_sign_off(app):
    from regionet.platform.accounts.models import User
    from regionet.platform.coordinator.services import do_open_period
    from regionet.platform.demo.seed import demo_login

    quarter = previous_quarter(today_in_poland())
    make_project(app, "mopr-kielce", CohortSpec(participants=5, entry=quarter.start + timedelta(days=1)))
    with app.app_context():
        region = db.session.get(Region, "26")
        user = db.session.execute(select(User).where(User.email == demo_login("koordynator.rops"))).scalar_one()
        period = do_open_period(region, "Sprawozdanie kwartalne", quarter.start, quarter.end, None, user)
        key = period.period_key
    report_id, pdf, *_rest = build_report(app, quarter)
    with app.app_context():
        report = db.session.get(RegionalReport, report_id)
        dataset = report.dataset
        institutions = report.period_sign_off
    assert dataset["summary"]["region"]["period"]["key"] == key, "the figures of the reporting period"
    assert dataset["period"]["sign_off"]["state"] == "in_progress"
    assert institutions.startswith("zatwierdzony przez 0 z ")
    _summary, last = _region_summary_text(pdf)
    assert "Okres sprawozdawczy „Sprawozdanie kwartalne”: zatwierdzony dla 0 z" in last


def test_a_dataset_stored_before_the_disclosure_module_still_renders(app):
    """Reports keep their dataset: one collected in the old format (own suppression, "below"
    cells, no region figures) is rendered with the disclosure module's mark and rule."""
    from datetime import UTC, datetime

    from regionet.platform.regional_reports.pdf import render_regional_report

    rule = {"threshold": 3, "sensitive_threshold": 5}
    dataset = {
        "format": 1, "kind": "catalogue", "region": {"code": "26", "name": "Świętokrzyskie", "slug": "swietokrzyskie"},
        "period": {"key": "2026Q3", "start": "2026-07-01", "end": "2026-09-30", "label": "III kwartał 2026",
                   "sign_off": None},
        "as_of": "2026-09-30", "rule": rule, "practices": [],
        "summary": {"region_code": "26", "as_of": "2026-09-30", "practices": 0, "institutions": 0, "counties": 0,
                    "linked_projects": 0, "by_kind": [{"key": "ops", "count": 1}], "by_county": [],
                    "by_instrument": [], "by_target_group": [], "rule": rule,
                    "people": [{"key": "participants_total", "cell": {"value": 17}},
                               {"key": "participants_women", "cell": {"value": None, "below": 3}},
                               {"key": "employment_rate", "cell": {"value": None, "hidden": True}}],
                    "participants_by_instrument": [{"key": "kis", "cell": {"value": 17}},
                                                   {"key": "art_therapy", "cell": {"value": None, "below": 3}}]}}
    with app.app_context():
        rendered = render_regional_report(dataset, data_taken_at=datetime(2026, 10, 1, tzinfo=UTC))
    text = normalise(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages))
    assert "Uczestnicy 17 Uczestnicy: kobiety x Efektywność zatrudnieniowa x" in text
    assert "<3" not in text and "Zatwierdzenie okresu nieznany" in text
    assert "Indeks instytucji Raport nie obejmuje żadnej praktyki." in text and "Placeholder" not in text
    assert "Tajemnica statystyczna (art. 38 ustawy o statystyce publicznej): liczby mniejsze niż 3" in text


def test_the_same_data_builds_one_report_and_new_data_a_new_one(app):
    project_id = make_project(app, "mopr-kielce", CohortSpec(participants=6))
    publish(app, "mopr-kielce", project_id=project_id, title="Praktyka A")
    with app.app_context():
        region = db.session.get(Region, "26")
        period = current_quarter(today_in_poland())
        first, created = do_request_regional_report(region, period, trigger=ReportTrigger.OPERATOR, enqueue=False)
        again, created_again = do_request_regional_report(region, period, trigger=ReportTrigger.OPERATOR,
                                                          enqueue=False)
        assert created and not created_again and first.id == again.id
        first_id, first_hash = first.id, first.data_sha256
    # not linked, and over long before the period (not in the region's figures): the same data
    make_project(app, "mopr-kielce", CohortSpec(participants=1, exited=1))
    with app.app_context():
        same, created = do_request_regional_report(db.session.get(Region, "26"), period,
                                                   trigger=ReportTrigger.OPERATOR, enqueue=False)
        assert not created and same.id == first_id
    from regionet.platform.demo.records import do_create_project_records
    from regionet.tenants.projects.models import Project

    with app.app_context(), tenant_scope(institution_id(app, "mopr-kielce")):
        project = db.session.execute(select(Project).where(Project.id == project_id)).scalar_one()
        do_create_project_records(project, CohortSpec(participants=2, entry=date(2013, 7, 1)), seed=9)
        db.session.commit()
    with app.app_context():
        changed, created = do_request_regional_report(db.session.get(Region, "26"), period,
                                                      trigger=ReportTrigger.OPERATOR, enqueue=False)
        assert created and changed.data_sha256 != first_hash
        assert db.session.execute(select(func.count()).select_from(RegionalReport)).scalar_one() == 2
        assert {r.status for r in db.session.execute(select(RegionalReport)).scalars()} == {RunStatus.QUEUED}


def test_the_institution_project_report_lists_its_projects_figures_and_practices(app, client, auth):
    slug = "owes-kielce"
    make_project(app, slug, CohortSpec(participants=9, women=4, disability=9, aged_50_plus=1),
                 title="Wsparcie spółdzielni socjalnej WTZ", code="RPSW.09.03.00-26-0011/19")
    create_practice(app, slug, title="Spółdzielnia socjalna jako miejsce pracy")
    auth.login_as(slug)
    first = client.post(f"/i/{slug}/reports/projects")
    second = client.post(f"/i/{slug}/reports/projects")
    assert first.status_code == 302 and first.location == second.location, "the same data builds one report"
    report_id = first.location.rstrip("/").rsplit("/", 1)[1]
    from regionet.workers.jobs.institution_projects import build_institution_projects

    assert build_institution_projects(institution_id(app, slug), report_id).endswith("pages")
    download = client.get(f"/i/{slug}/reports/{report_id}/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(download.data))
    text = normalise(" ".join(page.extract_text() for page in reader.pages))
    assert reader.metadata.title == "Projekty i dobre praktyki: Ośrodek Wsparcia Ekonomii Społecznej w Kielcach"
    for expected in ("Wsparcie spółdzielni socjalnej WTZ", "RPSW.09.03.00-26-0011/19", "904 150,00 zł",
                     "Uczestnicy 9", "Uczestnicy: kobiety 4", "Uczestnicy z niepełnosprawnościami 9",
                     "Uczestnicy w wieku 50 lat i więcej x", "Spółdzielnia socjalna jako miejsce pracy",
                     "Wersja robocza", "SHA-256 danych"):
        assert expected in text.replace("\xa0", " "), expected
    page = client.get(f"/i/{slug}/reports/").get_data(as_text=True)
    assert "Projekty i dobre praktyki" in page


def test_the_index_follows_the_polish_alphabet():
    from regionet.platform.pdf.catalogue import polish_sort_key

    names = ["Łódź", "Lublin", "Żary", "Zamość", "Ślesin", "Sandomierz", "Ćmielów", "Chęciny", "ośrodek", "Opatów"]
    assert sorted(names, key=polish_sort_key) == ["Chęciny", "Ćmielów", "Lublin", "Łódź", "Opatów", "ośrodek",
                                                  "Sandomierz", "Ślesin", "Zamość", "Żary"]


@pytest.fixture
def network_year(app, pg_database):
    """Last year's planted referrals and working groups (tests/network_attack.py), counted into the
    region's figures; the figures emptied afterwards (this module's cleaning leaves them)."""
    from .coordinator_data import truncate_region_figures
    from .test_network_disclosure_attack import YEAR, _seed

    truncate_region_figures(pg_database)
    _seed(app, pg_database)
    yield YEAR
    truncate_region_figures(pg_database)


def test_the_report_prints_the_network_cooperation_as_the_coordinator_pages_publish_it(app, network_year):
    """"Współpraca w sieci": the quarter's referrals and working groups with the network pages' cells.
    tests/network_attack.py plants in the fourth quarter 9 referrals from the MOPS and the GOPS to the
    MOPR (7 accepted, 3 started, 1 completed) and 2 meetings of the 4 groups."""
    from flask_babel import force_locale

    from regionet.platform.coordinator.network_tables import REPORT_COLUMNS, group_tables, referral_tables
    from regionet.platform.coordinator.tables import Selection
    from regionet.platform.regional_reports.periods import coordinator_period, whole_quarter
    from regionet.platform.regional_reports.summary import cell_json

    quarter = whole_quarter(network_year, 4)
    report_id, pdf, *_rest = build_report(app, quarter)
    with app.app_context():
        network = {t["id"]: t for t in db.session.get(RegionalReport, report_id).dataset["summary"]["region"]["network"]}
    with app.test_request_context(), force_locale("pl"):
        sel = Selection.load(db.session.get(Region, "26"), coordinator_period("26", quarter)[0], "all")
        pages = {t.id: t for t in referral_tables(sel) + group_tables(sel)}

    # the report's cells are the pages' cells (the referral tables turned: one row per measure)
    for table_id in ("net-ref--ref_from", "net-ref--ref_to"):
        sent = [row for row in pages[table_id].rows if row.cells[0].value != 0] + [pages[table_id].total]
        assert [line["cells"] for line in network[table_id]["rows"]] == [
            [cell_json(row.cells[i]) for row in sent] for i in REPORT_COLUMNS]
    for table_id in ("net-cross--ref_sent--ref_from--ref_to", "net-grp--grp_kind"):
        page = pages[table_id]
        assert [line["cells"] for line in network[table_id]["rows"] + [network[table_id]["total"]]] == [
            [cell_json(c) for c in row.cells] for row in page.rows + [page.total]]
    by_type, groups = pages["net-ref--ref_from"].total.cells, pages["net-grp--grp_kind"].total.cells
    assert [c.value for c in by_type[:4]] == [9, 7, None, 3] and by_type[4].hidden     # 2 declined, 1 completed
    assert groups[0].value == 4 and groups[1].hidden                                    # 2 meetings

    summary, _last = _region_summary_text(pdf)
    section = summary[summary.index("Współpraca w sieci"):]
    assert "Skierowania według typu instytucji kierującej OPS Razem Wysłane skierowania 9 9 Zaakceptowane 7 7 " \
           "Rozpoczęte 3 3 Zakończone z rezultatem x x Odsetek przyjętych x x Odsetek zakończonych x x" in section
    assert "Skierowania według typu instytucji przyjmującej OPS Razem Wysłane skierowania 9 9" in section
    assert "Wysłane skierowania — typ instytucji kierującej i typ instytucji przyjmującej" in section
    assert "Grupy robocze / Spotkania — typ instytucji uczestniczących" in section and "Razem 4 x" in section
    # the hidden counts are nowhere: 1 completed, 2 meetings, and no rate over them
    assert "z rezultatem 1" not in section and "Razem 4 2" not in section and "%" not in section
    assert "Tajemnica statystyczna (art. 38 ustawy o statystyce publicznej): liczby mniejsze niż 3" in section
    assert "Odsetek przyjętych: przyjęte spośród przyjętych lub odrzuconych" in section
