"""The demo region: Świętokrzyskie, from the real TERYT register, with its institutions and people.

Running the seed again changes nothing: every step finds what exists before creating.
"""
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import url_for
from sqlalchemy import select

from regionet.platform.ui.formatting import today_in_poland

from ..accounts.models import MembershipRole
from ..accounts.services import do_ensure_user, do_grant_membership, do_make_coordinator
from ..extensions import db
from ..institutions.models import Institution
from ..institutions.services import do_create_institution
from ..regions.services import do_create_region
from .workspace import do_seed_demo_workspaces

DEMO_REGION = "26"
DEMO_DOMAIN = "demo.regionet.example"


@dataclass(frozen=True)
class DemoInstitution:
    slug: str
    short_name: str
    name: str
    kind: str
    teryt_code: str
    people: tuple[tuple[str, str], ...]  # (full name, role), the first one is the admin; "iod": the DPO


DEMO_INSTITUTIONS = (
    DemoInstitution("mops-skarzysko-kamienna", "MOPS Skarżysko-Kamienna",
                    "Miejski Ośrodek Pomocy Społecznej w Skarżysku-Kamiennej", "ops", "2610011",
                    (("Bożena Wiśniewska", "admin"), ("Katarzyna Zając", "staff"), ("Tomasz Król", "readonly"),
                     ("Barbara Sikora", "iod"))),
    DemoInstitution("gops-blizyn", "GOPS Bliżyn", "Gminny Ośrodek Pomocy Społecznej w Bliżynie", "ops", "2610022",
                    (("Anna Lewandowska", "admin"), ("Paweł Dąbrowski", "staff"))),
    DemoInstitution("pup-skarzysko-kamienna", "PUP Skarżysko-Kamienna",
                    "Powiatowy Urząd Pracy w Skarżysku-Kamiennej", "pup", "2610",
                    (("Roman Białek", "admin"), ("Agnieszka Buryło", "staff"))),
    DemoInstitution("owes-kielce", "OWES Kielce", "Ośrodek Wsparcia Ekonomii Społecznej w Kielcach", "owes", "2661011",
                    (("Małgorzata Nowak", "admin"), ("Jakub Wójcik", "staff"))),
    DemoInstitution("mopr-kielce", "MOPR Kielce", "Miejski Ośrodek Pomocy Rodzinie w Kielcach", "ops", "2661011",
                    (("Ewa Kamińska", "admin"), ("Łukasz Mazur", "staff"))),
)

COORDINATOR = ("Karolina Jarosz", "koordynator.rops")
OPERATOR = ("Operator Platformy", "operator")
# One person working for two institutions, to show switching between them.
SHARED_STAFF = ("Joanna Szymańska", "wspolna.pracownica", ("mops-skarzysko-kamienna", "gops-blizyn"))


def demo_login(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def institution_login(slug: str, role: str, index: int) -> str:
    return demo_login(f"{slug}.{role}" + (f"{index}" if index > 1 else ""))


def do_seed_demo(password: str, records: bool = True) -> list[str]:
    """Create (or complete) the demo region; return a line per thing created."""
    created: list[str] = []
    region, new = do_create_region(DEMO_REGION)
    if new:
        created.append(f"region {region.slug}")
    for spec in DEMO_INSTITUTIONS:
        institution, new = do_create_institution(
            region_code=region.teryt_code, name=spec.name, short_name=spec.short_name, kind=spec.kind,
            teryt_code=spec.teryt_code, slug=spec.slug)
        if new:
            created.append(f"institution {institution.slug}")
        seen: dict[str, int] = {}
        for full_name, role in spec.people:
            seen[role] = seen.get(role, 0) + 1
            user, new = do_ensure_user(institution_login(spec.slug, role, seen[role]), full_name, password)
            membership = do_grant_membership(user, institution.id, MembershipRole(role))
            # Social workers of the demo see special-category answers; read-only members do not.
            membership.special_categories = membership.role.can_write
            if new:
                created.append(f"user {user.email}")
    name, local = COORDINATOR
    coordinator, new = do_ensure_user(demo_login(local), name, password)
    do_make_coordinator(coordinator, region.teryt_code)
    if new:
        created.append(f"user {coordinator.email}")
    name, local, slugs = SHARED_STAFF
    shared, new = do_ensure_user(demo_login(local), name, password)
    for slug in slugs:
        institution_id = db.session.execute(select(Institution.id).where(Institution.slug == slug)).scalar_one()
        if shared.membership_in(institution_id) is None:
            do_grant_membership(shared, institution_id, MembershipRole.STAFF).special_categories = True
    if new:
        created.append(f"user {shared.email}")
    name, local = OPERATOR
    _operator, new = do_ensure_user(demo_login(local), name, password, is_operator=True)
    if new:
        created.append(f"user {_operator.email}")
    created += _enrol_demo_second_factors()
    db.session.commit()
    if records:  # the institutions' work: participants, projects, support, outcomes, partners, good practices
        from regionet.tenants.figures.triggers import refresh_deferred

        from .groups import do_seed_demo_groups
        from .partners import do_seed_demo_partners
        from .practices import do_seed_demo_practices
        from .privacy import do_seed_demo_privacy
        from .referrals import do_seed_demo_referrals
        from .services import do_seed_demo_services

        # The coordinator's figures are recounted once afterwards (scripts/prepare.sh runs
        # `flask coordinator refresh-figures`), not job by job while the seed writes.
        with refresh_deferred(db.session()):
            created += do_seed_demo_workspaces(today_in_poland())
            created += do_seed_demo_privacy(today_in_poland())
            created += do_seed_demo_partners(today_in_poland())
            created += do_seed_demo_practices(region, coordinator)
            created += do_seed_demo_services(today_in_poland())
            created += do_seed_demo_referrals(today_in_poland())
            created += do_seed_demo_groups(today_in_poland())
    return created


def _enrol_demo_second_factors() -> list[str]:
    """Demo accounts that must use a second factor get an authenticator secret of their own;
    `flask demo code LOGIN` prints the current code (demo accounts only)."""
    import pyotp

    from ..accounts.models import User
    from ..accounts.second_factor import SecondFactor, is_required, second_factor_of

    created = []
    demo_users = db.session.execute(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}"))).scalars().all()
    for user in demo_users:
        if is_required(user) and second_factor_of(user) is None:
            now = datetime.now(UTC)
            db.session.add(SecondFactor(user_id=user.id, secret=pyotp.random_base32(), created_at=now,
                                        confirmed_at=now))
            created.append(f"second factor {user.email}")
    db.session.flush()
    return created


def demo_code(login: str) -> str | None:
    """The current second-factor code of a demo account (None for any other account)."""
    import pyotp

    from ..accounts.second_factor import SecondFactor, clock
    from ..accounts.services import get_user_by_email

    user = get_user_by_email(login) if login.strip().lower().endswith(f"@{DEMO_DOMAIN}") else None
    factor = db.session.get(SecondFactor, user.id) if user is not None else None
    return pyotp.TOTP(factor.secret).at(clock()) if factor is not None and factor.confirmed_at else None


def demo_accounts() -> list[dict]:
    """Every demo account: login, role, institution slug (None for others), region, login URL."""
    region_slug = "swietokrzyskie"
    accounts = []
    for spec in DEMO_INSTITUTIONS:
        seen: dict[str, int] = {}
        for _name, role in spec.people:
            seen[role] = seen.get(role, 0) + 1
            # The data-protection officer's home is the requests' desk (the institution's home redirects there).
            next_path = f"/i/{spec.slug}/privacy/requests/" if role == MembershipRole.IOD else None
            accounts.append(_account(institution_login(spec.slug, role, seen[role]), role, spec.slug, region_slug,
                                     next_path=next_path))
    _name, local, slugs = SHARED_STAFF
    for slug in slugs:
        accounts.append(_account(demo_login(local), "staff", slug, region_slug))
    accounts.append(_account(demo_login(COORDINATOR[1]), "coordinator", None, region_slug,
                             next_path=f"/r/{region_slug}/"))
    accounts.append(_account(demo_login(OPERATOR[1]), "operator", None, None, next_path="/operator/"))
    return accounts


def _account(login: str, role: str, institution: str | None, region: str | None, next_path: str | None = None):
    target = next_path or f"/i/{institution}/"
    return {"login": login, "role": role, "institution": institution, "region": region,
            "login_url": url_for("accounts.login", next=target)}
