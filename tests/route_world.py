"""Every route of the URL map with real objects behind it, for the tests that visit them all
(tests/test_fuzz_routes.py, tests/test_security_headers.py).

`build_world` makes one object of every routed tenant model in institution A (tests/factories.py),
a published practice with a photo, its region-level submission, a reporting period and a regional
report; `urls_of(app, world, area)` builds the URL of every rule of an area ("tenant",
"coordinator", "operator", "public") with them. A rule argument nobody gives a value fails here,
so a new route cannot slip past these tests.
"""
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.regional_reports.models import ReportTrigger
from regionet.platform.regional_reports.periods import current_quarter
from regionet.platform.regional_reports.services import do_request_regional_report
from regionet.platform.regions.models import Region
from regionet.platform.tenancy import models_by_url_arg, tenant_scope
from regionet.platform.tenancy.web import TenantBlueprint
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.periods.models import PeriodSubmission

from .factories import make, png_bytes
from .test_isolation import TENANT_A, _institution_id

REGION_SLUG = "swietokrzyskie"
SKIPPED = {"static"}
COORDINATOR_BLUEPRINTS = {"coordinator", "region_practices", "regional_reports", "region_groups", "region_calendar"}


@dataclass
class World:
    tenant_id: int
    tenant_args: dict = field(default_factory=dict)
    region_args: dict = field(default_factory=dict)


def build_world(app) -> World:
    from .practices_support import create_practice, decide, submission_of

    tenant = _institution_id(app, TENANT_A)
    world = World(tenant)
    with app.app_context():
        world.tenant_args = {arg: make(model, tenant) for arg, model in models_by_url_arg().items()}
        with tenant_scope(tenant):
            period_id = db.session.get(PeriodSubmission, (tenant, world.tenant_args["submission_id"])).period_id
    practice_id = create_practice(app, TENANT_A)
    _add_photo(app, tenant, practice_id)
    _submit(app, tenant, practice_id)
    submission_id = submission_of(app, TENANT_A, practice_id)
    decide(app, submission_id)
    with app.app_context():
        from regionet.platform.practices.models import PublishedPractice

        published_id = db.session.execute(select(PublishedPractice.id).where(
            PublishedPractice.practice_id == practice_id)).scalar_one()
        region = db.session.execute(select(Region).where(Region.slug == REGION_SLUG)).scalar_one()
        report, _created = do_request_regional_report(region, current_quarter(today_in_poland()),
                                                      trigger=ReportTrigger.OPERATOR, enqueue=False)
        db.session.commit()
        report_id = report.id
        region_code = region.teryt_code
    world.tenant_args.update(published_id=published_id, position=1)
    world.region_args = {"region": REGION_SLUG, "period_id": period_id, "institution_id": tenant,
                         "published_id": published_id, "submission_id": submission_id, "report_id": report_id,
                         "position": 1, "table_id": "explore", "fmt": "csv",
                         # accounts and the operator: a region's TERYT code, an institution's slug, a
                         # session number and a link token nobody holds (they must answer, never 500)
                         "code": region_code, "slug": TENANT_A, "session_id": 1,
                         "token": "nieistniejacy-token", "deadline_id": 1,
                         # the coordinator's regional groups: ids of the institution's group and meeting
                         # (not the coordinator's: they must answer 404 there, never 500)
                         "group_id": world.tenant_args["group_id"], "meeting_id": world.tenant_args["meeting_id"],
                         "document_id": world.tenant_args["document_id"],
                         "agenda_item_id": world.tenant_args["agenda_item_id"]}
    return world


def _add_photo(app, tenant, practice_id) -> None:
    from regionet.tenants.practices.models import Practice
    from regionet.tenants.practices.photos import check_photo
    from regionet.tenants.practices.services import do_add_photo

    with app.app_context(), tenant_scope(tenant):
        practice = db.session.execute(select(Practice).where(Practice.id == practice_id)).scalar_one()
        do_add_photo(practice.draft, check_photo(png_bytes(40, 30), 5_000_000), "Spotkanie klubu", None)
        db.session.commit()


def _submit(app, tenant, practice_id) -> None:
    from regionet.platform.institutions.models import Institution
    from regionet.tenants.practices.models import Practice
    from regionet.tenants.practices.services import do_submit

    from .practices_support import _admin

    with app.app_context(), tenant_scope(tenant):
        practice = db.session.execute(select(Practice).where(Practice.id == practice_id)).scalar_one()
        do_submit(practice, db.session.get(Institution, tenant), _admin(tenant))
        db.session.commit()


def area_of(app, rule) -> str:
    blueprint_name = rule.endpoint.rpartition(".")[0]
    blueprint = app.blueprints.get(blueprint_name)
    if isinstance(blueprint, TenantBlueprint) or rule.rule.startswith("/i/"):
        return "tenant"
    if blueprint_name in COORDINATOR_BLUEPRINTS:
        return "coordinator"
    if blueprint_name == "operator":
        return "operator"
    return "public"


def urls_of(app, world: World, area: str) -> list[tuple[object, str]]:
    """(rule, URL) for every rule of the area, objects filled in; a missing argument fails."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED or area_of(app, rule) != area:
            continue
        args = world.tenant_args if area == "tenant" else world.region_args
        values = {"tenant": TENANT_A} if "tenant" in rule.arguments else {}
        for name in rule.arguments - {"tenant"}:
            assert name in args, f"{rule.rule}: no object for <{name}> in tests/route_world.py"
            values[name] = str(args[name]) if isinstance(args[name], uuid.UUID) else args[name]
        found.append((rule, rule.build(values, append_unknown=False)[1]))
    return found
