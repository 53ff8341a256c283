"""The regional good-practice catalogue as a PDF, rendered from its dataset alone.

Cover, table of contents, regional summary with charts, one chapter per practice (grouped
by county) with its results table and partners, an index of institutions and a last page
of provenance. Polish typography in the embedded DejaVu family; "Strona X z Y" footers;
language pl-PL and the title in the document's metadata.
"""
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from regionet.platform.coordinator.disclosure import RegionRules, cell_text, is_hidden
from regionet.platform.coordinator.labels import MEASURE_LABELS
from regionet.platform.institutions.labels import KIND_SHORT, institution_kind_label
from regionet.platform.institutions.models import InstitutionKind
from regionet.platform.pdf import Heading, build_pdf, table_of_contents
from regionet.platform.pdf.catalogue import (
    InstitutionIndex,
    bar_chart,
    data_table,
    key_value_table,
    para,
    paragraphs,
    photo,
)
from regionet.platform.pdf.document import RenderedPdf
from regionet.platform.ui.formatting import format_datetime, format_day, format_money, format_number
from regionet.tenants.practices.labels import PARTNER_KIND_LABELS, TARGET_GROUP_LABELS, label_of
from regionet.tenants.practices.presentation import funding_label, indicator_label, source_text
from regionet.tenants.support.labels import INSTRUMENT_LABELS

from .dataset import dataset_sha256

WIDTH = 170 * mm
PhotoLoader = Callable[[str, int, str], bytes | None]
PHOTOS_SHOWN = 1   # a practice's first photo is printed (withdrawal.py finds the reports that show one)


def _day(value: str | None) -> str:
    return format_day(date.fromisoformat(value)) if value else "—"


def _money(value: str | None) -> str:
    return format_money(Decimal(value)) if value else "—"


def _period(period: dict) -> str:
    end = _day(period["end"]) if period.get("end") else _("ongoing")
    return f"{_day(period['start'])} – {end}"


def results_flowables(figures: dict | None, narrative: str | None) -> list:
    """The results table of one practice (suppressed cells), its instruments and the narrative."""
    story = []
    if figures:
        rows = [[_("Indicator"), _("Value"), _("Target")]]
        rows += [[indicator_label(row["key"]), cell_text(row["cell"]),
                  format_number(row["target"]) if row.get("target") is not None else "—"] for row in figures["rows"]]
        story.append(data_table(rows, [100 * mm, 35 * mm, 35 * mm], align_right=(1, 2)))
        if figures.get("by_instrument"):
            story.append(Spacer(1, 2 * mm))
            story.append(data_table([[_("Instrument"), _("Participants")]] + [
                [label_of(INSTRUMENT_LABELS, item["instrument"]), cell_text(item["cell"])]
                for item in figures["by_instrument"]], [135 * mm, 35 * mm], align_right=(1,)))
        story.append(Spacer(1, 1.5 * mm))
        story.append(para(_("From the records of the linked project, as of %(day)s.", day=_day(figures["as_of"]))
                          + " " + RegionRules.from_json(figures["rule"]).text(), "small"))
        story.append(Spacer(1, 2 * mm))
    story += paragraphs(narrative)
    if not story:
        story.append(para(_("No results given."), "italic"))
    return story


def practice_chapter(practice: dict, number: int, load_photo: PhotoLoader | None) -> list:
    content = practice["content"]
    institution = content["institution"]
    heading = Heading(content["title"], 2, index_term=institution["name"], running=True)
    heading.chapter = number
    story = [heading, para(_("%(name)s · %(kind)s · %(area)s, county %(county)s", name=institution["name"],
                             kind=institution_kind_label(institution["kind"]), area=institution["area"],
                             county=institution["county_name"]), "italic")]
    facts = [(_("Period"), _period(content["period"]))]
    if content.get("project"):
        facts.append((_("Project"), f"{content['project']['title']} ({content['project']['code']})"))
    facts.append((_("Version"), _("%(n)s, approved %(day)s", n=practice["version"],
                                  day=_day(practice["published_at"][:10]))))
    story.append(key_value_table(facts, 40 * mm, WIDTH))

    def section(title: str, flowables: list) -> None:
        if flowables:
            story.append(para(title, "h3"))
            story.extend(flowables)

    section(_("The problem"), paragraphs(content.get("problem")))
    section(_("Local figures"), paragraphs(content.get("local_figures")))
    group = content["target_group"]
    group_flow = []
    if group.get("groups"):
        group_flow.append(para(", ".join(label_of(TARGET_GROUP_LABELS, g) for g in group["groups"])))
    group_flow += paragraphs(group.get("description"))
    if group.get("size") and (group["size"].get("value") is not None or is_hidden(group["size"])):
        group_flow.append(para(_("Size of the group: %(n)s people", n=cell_text(group["size"]))))
    section(_("Target group"), group_flow)
    section(_("Instruments"), [para(", ".join(label_of(INSTRUMENT_LABELS, i) for i in content["instruments"]))]
            if content.get("instruments") else [])
    cooperation = paragraphs(content.get("cooperation"))
    if content.get("partners"):
        cooperation.append(data_table([[_("Partner"), _("Type"), _("Role")]] + [
            [p["name"], label_of(PARTNER_KIND_LABELS, p["kind"]), p.get("role") or "—"] for p in content["partners"]],
            [65 * mm, 40 * mm, 65 * mm]))
    section(_("Cooperation and partners"), cooperation)
    section(_("Where the practice came from"), [para("• " + source_text(source))
                                                for source in content.get("sources") or []])
    funding = content["funding"]
    if funding.get("source") or funding.get("total"):
        section(_("Funding"), [data_table(
            [[_("Source"), _("Total value"), _("EU funds"), _("Own contribution")],
             [funding_label(funding.get("source")), _money(funding.get("total")), _money(funding.get("eu")),
              _money(funding.get("own"))]], [74 * mm, 32 * mm, 32 * mm, 32 * mm], align_right=(1, 2, 3))])
    section(_("Results"), results_flowables(practice.get("figures"), content.get("results_narrative")))
    section(_("Success factors"), paragraphs(content.get("success_factors")))
    section(_("Barriers"), paragraphs(content.get("barriers")))
    section(_("Sustainability"), paragraphs(content.get("sustainability")))
    section(_("Transferability"), paragraphs(content.get("transferability")))
    contact = content.get("contact") or {}
    section(_("Contact"), [para(" · ".join(x for x in (contact.get("name"), contact.get("email"),
                                                         contact.get("phone")) if x) or "—")])
    if load_photo is not None:
        for item in (content.get("photos") or [])[:PHOTOS_SHOWN]:
            data = load_photo(practice["submission_id"], item["position"], item["sha256"])
            if data:
                story.append(Spacer(1, 3 * mm))
                story.append(photo(data, item["caption"]))
    return story


def _lines(table: dict, every_row: bool = False) -> list[dict]:
    """The rows worth printing: a row of zeros says nothing (zeros are published, so leaving it
    out hides nothing) and the total follows the rows."""
    rows = [line for line in table["rows"]
            if every_row or any(cell.get("value") or is_hidden(cell) for cell in line["cells"])]
    return rows + ([table["total"]] if table.get("total") else [])


def figure_table_flowables(table: dict, chart: bool = True, every_row: bool = False) -> list:
    """One protected table of the region's figures: a chart of what is shown, the table, its rules."""
    story = [para(table["title"], "h3")]
    if table.get("withheld"):
        return story + [para(_("Not published: the table cannot be protected for this period."), "italic")]
    column = (table.get("chart_columns") or [0])[0]
    shown = [(line["short"], line["cells"][column]["value"]) for line in table["rows"]
             if line["cells"][column].get("value")]
    if chart and table.get("chart") == "bars" and len(shown) >= 2:
        story.append(bar_chart("", shown))
    # up to 38 mm a column; a wide table (the network's) shares what the row labels leave
    each = min(38 * mm, (WIDTH - 45 * mm) / len(table["columns"]))
    widths = [WIDTH - each * len(table["columns"])] + [each] * len(table["columns"])
    rows = [[table["row_header"]] + list(table["columns"])]
    rows += [[line["label"]] + [cell_text(cell) for cell in line["cells"]] for line in _lines(table, every_row)]
    story.append(data_table(rows, widths, align_right=tuple(range(1, len(table["columns"]) + 1))))
    story = [KeepTogether(story[:2])] + story[2:]      # the title on the page of what follows it
    story += [para(text, "small") for text in list(table.get("notes") or []) + list(table.get("rules") or [])]
    story.append(Spacer(1, 3 * mm))
    return story


def region_flowables(figures: dict) -> list:
    """The region's figures of the period (from the coordinator's figures summary)."""
    story = [para(_("The region in the period: %(period)s", period=figures["period"]["label"]), "h2"),
             para(_("Every institution of the region on the platform, from its records; a person supported by "
                    "several institutions is counted once among the unique people."))]
    rows = [[_("Figure"), _("Value")]] + [
        [str(MEASURE_LABELS[key]) if key in MEASURE_LABELS else _("Employment rate"), cell_text(cell)]
        for key, cell in figures["headline"].items()]
    story += [data_table(rows, [135 * mm, 35 * mm], align_right=(1,)), para(figures["rules"][0], "small"),
              Spacer(1, 3 * mm)]
    for table in figures["tables"]:
        story += figure_table_flowables(table)
    return story + network_flowables(figures.get("network"))


def network_flowables(tables: list | None) -> list:
    """"Współpraca w sieci": the period's referrals and working groups as the coordinator's network
    pages publish them (none in a dataset collected before they were part of the summary)."""
    if not tables:
        return []
    story = [para(_("Cooperation in the network"), "h2"),
             para(_("Referrals sent in the period between the region's institutions and what became of them, and "
                    "the working groups of the institutions with their meetings: counts only, never a referral, a "
                    "person or a group's name, protected together with every other table of the region."))]
    for table in tables:      # a referral table's rows are its measures (network_tables.report_tables)
        story += figure_table_flowables(table, chart=False, every_row=table["id"].startswith("net-ref--"))
    return story


def _legacy_people_flowables(summary: dict, rules: RegionRules) -> list:
    """The summary of a dataset collected before the coordinator's figures (format 1)."""
    rows = [[_("Participants of the linked projects"), _("Value")]]
    rows += [[indicator_label(row["key"]), cell_text(row["cell"])] for row in summary["people"]]
    story = [data_table(rows, [135 * mm, 35 * mm], align_right=(1,)), Spacer(1, 5 * mm)]
    shown = [item for item in summary.get("participants_by_instrument", []) if not is_hidden(item["cell"])]
    if shown:
        story.append(bar_chart(_("Participants of the linked projects by instrument"),
                               [(label_of(INSTRUMENT_LABELS, item["key"]), item["cell"]["value"]) for item in shown]))
    return story + [para(rules.text(), "small")]


def summary_flowables(dataset: dict) -> list:
    summary = dataset["summary"]
    story = [para(_("The catalogue presents %(n)s good practices of %(i)s institutions from %(c)s counties. Their "
                    "results come from the records of %(p)s linked projects, as of %(day)s.",
                    n=summary["practices"], i=summary["institutions"], c=summary["counties"],
                    p=summary["linked_projects"], day=_day(summary["as_of"])))]
    if summary["by_kind"]:
        story.append(bar_chart(_("Practices by type of institution"),
                               [(str(KIND_SHORT[InstitutionKind(item["key"])]), item["count"])
                                for item in summary["by_kind"]]))
    if summary["by_county"]:
        story.append(bar_chart(_("Practices by county"),
                               [(item["key"], item["count"]) for item in summary["by_county"]]))
    if "region" in summary:
        story += region_flowables(summary["region"])
    else:
        story += _legacy_people_flowables(summary, RegionRules.from_json(dataset["rule"]))
    return story


def provenance_flowables(dataset: dict, sha256: str, data_taken_at: datetime, generated_at: datetime) -> list:
    period = dataset["period"]
    rules = RegionRules.from_json(dataset["rule"])
    sign_off = period.get("sign_off")
    if isinstance(sign_off, dict):
        sign_off = sign_off["text"]
    figures_period = dataset["summary"].get("region", {}).get("period")
    grouped_hash = " ".join(sha256[i:i + 16] for i in range(0, 64, 16))
    rows = [
        (_("Region"), f"{dataset['region']['name']} (TERYT {dataset['region']['code']})"),
        (_("Period"), f"{period['label']} · {_day(period['start'])} – {_day(period['end'])}"),
        (_("Sign-off of the period"), sign_off or _("not known")),
        (_("Region's figures"), _("%(label)s, from the coordinator's figures summary", label=figures_period["label"])
         if figures_period else "—"),
        (_("Data taken"), format_datetime(data_taken_at)),
        (_("Records as of"), _day(dataset["as_of"])),
        (_("Practices in the report"), format_number(len(dataset["practices"]))),
        (_("SHA-256 of the data"), grouped_hash),
        (_("Small-number rule"), rules.text()),
        (_("Generated"), format_datetime(generated_at)),
    ]
    return [key_value_table(rows, 50 * mm, WIDTH), Spacer(1, 4 * mm), para(_(
        "The text of each practice is the version approved by the regional coordinator. Its figures are computed "
        "from the records of the institution's linked project, never typed in. The hash is the SHA-256 of the "
        "report's data (canonical JSON) kept with the report in the platform: the same data always gives the same "
        "hash, so the report can be checked against it."), "small")]


def render_regional_report(dataset: dict, *, data_taken_at: datetime, load_photo: PhotoLoader | None = None,
                           progress: Callable[[int], None] = lambda p: None,
                           generated_at: datetime | None = None) -> RenderedPdf:
    generated_at = generated_at or datetime.now(UTC)
    sha256 = dataset_sha256(dataset)
    practices = dataset["practices"]
    with force_locale("pl"):
        region = dataset["region"]["name"]
        title = _("Catalogue of good practices · %(region)s", region=region)
        story = [Spacer(1, 40 * mm), para(_("Catalogue of good practices"), "cover_title"),
                 para(_("Region: %(name)s", name=region), "cover_line"),
                 para(_("Period: %(label)s", label=dataset["period"]["label"]), "cover_line"),
                 para(_("%(n)s practices approved by the regional coordinator", n=len(practices)), "cover_line"),
                 para(_("Data as of %(day)s", day=_day(dataset["as_of"])), "cover_line"),
                 Spacer(1, 60 * mm), para(_("Regional social economy network platform"), "small"),
                 PageBreak(), para(_("Contents"), "h1"), table_of_contents(),
                 PageBreak(), Heading(_("Regional summary"), 1, running=True)]
        story += summary_flowables(dataset)
        progress(15)
        county = None
        for number, practice in enumerate(practices, start=1):
            story.append(PageBreak())
            practice_county = practice["content"]["institution"]["county_name"]
            if practice_county != county:
                story.append(Heading(_("County: %(name)s", name=practice_county), 1))
                county = practice_county
            story += practice_chapter(practice, number, load_photo)
        # An index with no entries would print ReportLab's placeholder line.
        index = InstitutionIndex() if practices else para(_("The report holds no practices."), "italic")
        story += [PageBreak(), Heading(_("Index of institutions"), 1, running=True), index,
                  PageBreak(), Heading(_("About this report"), 1, running=True)]
        story += provenance_flowables(dataset, sha256, data_taken_at, generated_at)
        progress(20)

        last = {"value": 20}

        def on_heading(pass_number: int, passes_expected: int, heading) -> None:
            chapter = getattr(heading, "chapter", None)
            if chapter is None or not practices:
                return
            value = 20 + int(75 * min(1.0, ((pass_number - 1) + chapter / len(practices)) / passes_expected))
            if value > last["value"]:
                last["value"] = value
                progress(min(value, 95))

        rendered = build_pdf(
            story, title=title, author=_("Regional coordinator · %(region)s", region=region),
            subject=_("Regional catalogue of good practices, %(period)s", period=dataset["period"]["label"]),
            keywords=f"sha256:{sha256}", header=title,
            footer=_("Data as of %(day)s · SHA-256 %(hash)s…", day=_day(dataset["as_of"]), hash=sha256[:12]),
            page_label=_("Page {page} of {pages}"), on_heading=on_heading)
    return rendered
