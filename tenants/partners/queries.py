"""Tenant-scoped reads of partners and agreements (the scope is applied by the tenancy module).

The association table project_partners is always joined to a tenant-owned entity, so the automatic
scope reaches it too. Agreements and their parties are party-set rows: a plain select returns the
institution's own agreements and those it is a party to (platform/tenancy/sharing.py).
"""
import re
import uuid
from datetime import date

from sqlalchemy import Select, and_, false, func, or_, select, tuple_

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import get_for_tenant_or_404
from regionet.platform.tenancy.sharing import get_owned_or_404
from regionet.platform.ui.listing import ListQuery, Page, paginate, search_clause, search_words
from regionet.platform.ui.polish import any_contains_word, contains_word, folded_words, polish_order
from regionet.tenants.projects.models import Project, project_partners

from .models import Agreement, AgreementKind, AgreementParty, PartnerKind, PartnerOrganisation
from .validity import AgreementStatus, expiring_clause, status_clause

FAR_FUTURE = date(9999, 12, 31)  # an open-ended agreement sorts after every dated one

def _names_partner(partner_id, institution_id):
    """A party row that is this partner: linked to its record, or the same institution of the platform."""
    return or_(AgreementParty.partner_id == partner_id,
               and_(institution_id.is_not(None), AgreementParty.institution_id == institution_id))


_agreement_count = (
    select(func.count(func.distinct(AgreementParty.agreement_id)))
    .where(_names_partner(PartnerOrganisation.id, PartnerOrganisation.institution_id))
    .correlate(PartnerOrganisation).scalar_subquery())

PARTNER_SORTABLE = {
    "name": polish_order(PartnerOrganisation.name),
    "kind": PartnerOrganisation.kind,
    "agreements": _agreement_count,
    "created": PartnerOrganisation.created_at,
}
PARTNER_FILTERS = ("kind",)

AGREEMENT_SORTABLE = {
    "title": polish_order(Agreement.title),
    "number": Agreement.number,
    "kind": Agreement.kind,
    "signed_on": Agreement.signed_on,
    "valid_from": Agreement.valid_from,
    "valid_to": func.coalesce(Agreement.valid_to, FAR_FUTURE),
}
AGREEMENT_FILTERS = ("kind", "status", "party", "confirmation")
AWAITING = "awaiting"  # the confirmation filter: some party of the platform has not confirmed yet
EXPIRING = "expiring"  # an extra value of the status filter: in force and ending soon


# --- partners -------------------------------------------------------------------------------------

def access_partner(partner_id: uuid.UUID) -> PartnerOrganisation:
    return get_for_tenant_or_404(PartnerOrganisation, partner_id)


def _normalised_search(q: str) -> str:
    # "657-123-45-67" finds the NIP stored as 6571234567.
    return re.sub(r"(?<=\d)-(?=\d)", "", q)


def _partner_statement(listing: ListQuery) -> Select:
    statement = select(PartnerOrganisation, _agreement_count)
    if listing.q:
        statement = statement.where(*search_clause(
            _normalised_search(listing.q), PartnerOrganisation.name, PartnerOrganisation.nip,
            PartnerOrganisation.contact_person, PartnerOrganisation.email, PartnerOrganisation.address))
    kind = listing.filters.get("kind")
    if kind in {k.value for k in PartnerKind}:
        statement = statement.where(PartnerOrganisation.kind == PartnerKind(kind))
    return statement


def partners_for_tenant(listing: ListQuery) -> Page:
    """One page of partners as (partner, number of agreements) rows."""
    return paginate(_partner_statement(listing), listing, PARTNER_SORTABLE, tiebreaker=PartnerOrganisation.id,
                    scalars=False, row_mapper=tuple)


def all_partners_for_tenant(listing: ListQuery) -> list[tuple[PartnerOrganisation, int]]:
    """Every partner the list shows (all pages), in its order: for exports."""
    column = PARTNER_SORTABLE[listing.sort]
    return [tuple(row) for row in db.session.execute(_partner_statement(listing).order_by(
        column.desc() if listing.descending else column.asc(), PartnerOrganisation.id))]


def partner_choices_for_tenant() -> list[PartnerOrganisation]:
    return list(db.session.execute(
        select(PartnerOrganisation).order_by(polish_order(PartnerOrganisation.name))).scalars())


def partners_by_ids_for_tenant(ids: list[uuid.UUID]) -> list[PartnerOrganisation]:
    if not ids:
        return []
    return list(db.session.execute(select(PartnerOrganisation).where(PartnerOrganisation.id.in_(ids))).scalars())


def partner_for_institution_for_tenant(institution_id: int) -> PartnerOrganisation | None:
    return db.session.execute(select(PartnerOrganisation).where(
        PartnerOrganisation.institution_id == institution_id).limit(1)).scalar_one_or_none()


def partner_with_nip_for_tenant(nip: str) -> PartnerOrganisation | None:
    return db.session.execute(select(PartnerOrganisation).where(PartnerOrganisation.nip == nip)
                              .limit(1)).scalar_one_or_none()


def agreements_of_partner(partner: PartnerOrganisation) -> list[Agreement]:
    """The agreements (own or shared) this partner is a party to."""
    institution = partner.institution_id
    return list(db.session.execute(
        select(Agreement).where(Agreement.parties.any(
            or_(AgreementParty.partner_id == partner.id,
                and_(AgreementParty.institution_id == institution) if institution else false())))
        .order_by(Agreement.valid_from.desc(), Agreement.id)).scalars())


def agreements_linking_partner(partner: PartnerOrganisation) -> list[Agreement]:
    """The institution's agreements whose party rows point at this partner record (it cannot be deleted)."""
    return list(db.session.execute(
        select(Agreement).where(Agreement.parties.any(AgreementParty.partner_id == partner.id))
        .order_by(Agreement.valid_from.desc(), Agreement.id)).scalars())


def projects_of_partner(partner: PartnerOrganisation) -> list[Project]:
    return list(db.session.execute(
        select(Project).join(project_partners, and_(project_partners.c.tenant_id == Project.tenant_id,
                                                    project_partners.c.project_id == Project.id))
        .where(project_partners.c.partner_id == partner.id)
        .order_by(Project.start_date.desc(), Project.id)).scalars())


def partner_usage(partner: PartnerOrganisation) -> tuple[int, int]:
    """(agreements whose parties point at it, projects it partners in)."""
    return len(agreements_linking_partner(partner)), len(projects_of_partner(partner))


def platform_institutions_to_choose(institution: Institution, keep: int | None = None) -> list[Institution]:
    """Active institutions of the same region that are not this one and not already partners.

    `keep` (the institution a partner being edited already is) stays a choice even if it has
    since been deactivated, so its contact details can still be edited.
    """
    taken = set(db.session.execute(select(PartnerOrganisation.institution_id).where(
        PartnerOrganisation.institution_id.is_not(None))).scalars()) - {keep}
    candidates = db.session.execute(select(Institution).where(
        Institution.region_code == institution.region_code, Institution.id != institution.id,
        or_(Institution.is_active.is_(True), Institution.id == keep)).order_by(polish_order(Institution.name))).scalars()
    return [candidate for candidate in candidates if candidate.id not in taken]


# --- agreements -----------------------------------------------------------------------------------

def access_agreement(agreement_id: uuid.UUID) -> Agreement:
    """An agreement the institution owns or is a party to (404 for anybody else)."""
    return get_for_tenant_or_404(Agreement, agreement_id)


def access_own_agreement(agreement_id: uuid.UUID) -> Agreement:
    """An agreement the institution recorded: only the owner edits or deletes it (404 for the other parties)."""
    return get_owned_or_404(Agreement, agreement_id)


def agreements_from_actions(action_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Agreement]]:
    """The agreements (that this institution sees) which came out of these action items."""
    found: dict[uuid.UUID, list[Agreement]] = {}
    if action_ids:
        for agreement in db.session.execute(select(Agreement).where(Agreement.origin_action_id.in_(action_ids))
                                            .order_by(Agreement.created_at)).scalars():
            found.setdefault(agreement.origin_action_id, []).append(agreement)
    return found


def origin_action_of(agreement: Agreement):
    """The working group's task the agreement came from, when this institution sees that group."""
    if agreement.origin_action_id is None:
        return None
    from regionet.tenants.groups.models import ActionItem  # groups build on partners' neighbours, not on them

    return db.session.execute(select(ActionItem).where(
        ActionItem.tenant_id == agreement.origin_action_tenant_id,
        ActionItem.id == agreement.origin_action_id)).scalar_one_or_none()


def region_institutions_to_choose(institution: Institution, keep: set[int] = frozenset()) -> list[Institution]:
    """The institutions of the region an agreement may name as parties: active ones (and those it names already)."""
    return list(db.session.execute(select(Institution).where(
        Institution.region_code == institution.region_code, Institution.id != institution.id,
        or_(Institution.is_active.is_(True), Institution.id.in_(keep or {0})))
        .order_by(polish_order(Institution.name))).scalars())


def with_party(condition):
    """Agreements with a party matching `condition`. An uncorrelated IN (hashed once), not EXISTS per
    agreement: under the party-set policies a correlated form costs the planner so much more that
    PostgreSQL compiles the query (JIT, seconds at 16,000 agreements) for ~100 ms of work."""
    return tuple_(Agreement.tenant_id, Agreement.id).in_(
        select(AgreementParty.tenant_id, AgreementParty.agreement_id).where(condition))


def _party_named(word: str):
    return with_party(contains_word(AgreementParty.name, word))


def _agreement_statement(listing: ListQuery, today: date) -> Select:
    statement = select(Agreement)
    if listing.q:
        words = folded_words(search_words(listing.q))
        for word in words:
            statement = statement.where(or_(any_contains_word((Agreement.title, Agreement.number, Agreement.scope), word),
                                            _party_named(word)))
    kind = listing.filters.get("kind")
    if kind in {k.value for k in AgreementKind}:
        statement = statement.where(Agreement.kind == AgreementKind(kind))
    status = listing.filters.get("status")
    if status == EXPIRING:
        statement = statement.where(expiring_clause(today))
    elif status in {s.value for s in AgreementStatus}:
        statement = statement.where(status_clause(AgreementStatus(status), today))
    party = party_clause(listing.filters.get("party"))
    if party is not None:
        statement = statement.where(with_party(party))
    awaiting = listing.filters.get("confirmation")
    if awaiting == AWAITING:
        statement = statement.where(with_party(and_(AgreementParty.institution_id.is_not(None),
                                                    AgreementParty.confirmed_at.is_(None))))
    return statement


def party_clause(value: str | None):
    """The party filter: "i:<id>" an institution of the platform, a partner's id an outside party."""
    if value and value.startswith("i:") and value[2:].isdigit():
        return AgreementParty.institution_id == int(value[2:])
    partner = _uuid(value)
    return AgreementParty.partner_id == partner if partner is not None else None


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def agreements_for_tenant(listing: ListQuery, today: date) -> Page:
    return paginate(_agreement_statement(listing, today), listing, AGREEMENT_SORTABLE, tiebreaker=Agreement.id)


def all_agreements_for_tenant(listing: ListQuery, today: date) -> list[Agreement]:
    column = AGREEMENT_SORTABLE[listing.sort]
    return list(db.session.execute(_agreement_statement(listing, today).order_by(
        column.desc() if listing.descending else column.asc(), Agreement.id)).scalars())


def expiring_agreements_for_tenant(today: date, limit: int = 10) -> list[Agreement]:
    return list(db.session.execute(
        select(Agreement).where(expiring_clause(today)).order_by(Agreement.valid_to, Agreement.id)
        .limit(limit)).scalars())
