"""Writes of partners and agreements: create, update, delete. Every rule a form cannot see
is checked here and reported as ValidationFailed; nothing is written when one fails."""
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select, update
from stdnum.pl import nip as nip_number
from uuid6 import uuid7
from werkzeug.datastructures import FileStorage

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy.sharing import SharedParty
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.ui.polish import sort_key as polish_key
from regionet.platform.validation import ValidationFailed, unique_or_error
from regionet.tenants.attachments.services import do_delete_attachment, do_store_attachment
from regionet.tenants.audit.models import ChangeAction, ChangeRecord
from regionet.tenants.audit.recording import acting_user_id

from .models import Agreement, AgreementKind, AgreementParty, PartnerKind, PartnerOrganisation
from .queries import (
    partner_for_institution_for_tenant,
    partner_usage,
    partner_with_nip_for_tenant,
    partners_by_ids_for_tenant,
    platform_institutions_to_choose,
    region_institutions_to_choose,
)


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@dataclass
class ContactDetails:
    contact_person: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None

    def apply_to(self, partner: PartnerOrganisation) -> None:
        partner.contact_person = _clean(self.contact_person)
        partner.email = _clean(self.email)
        partner.phone = _clean(self.phone)
        partner.notes = _clean(self.notes)


# --- partners -------------------------------------------------------------------------------------

def do_save_external_partner(partner: PartnerOrganisation | None, *, name: str, kind: str, nip: str | None,
                             address: str | None, contact: ContactDetails) -> PartnerOrganisation:
    """Create (partner=None) or update an outside organisation."""
    errors: dict[str, list[str]] = {}
    if not _clean(name):
        errors["name"] = [_("Enter the organisation's name.")]
    try:
        kind_value = PartnerKind(kind)
        if kind_value is PartnerKind.PLATFORM_INSTITUTION:
            raise ValueError(kind)
    except ValueError:
        errors["kind"] = [_("Choose the type of organisation.")]
    nip_clean = nip_number.compact(nip) if _clean(nip) else None
    if nip_clean and not nip_number.is_valid(nip_clean):
        errors["nip"] = [_("This NIP number is not valid: check the ten digits.")]
    elif nip_clean:
        same = partner_with_nip_for_tenant(nip_clean)
        if same is not None and same is not partner:
            errors["nip"] = [_("A partner with this NIP is already registered: %(name)s.", name=same.name)]
    if errors:
        raise ValidationFailed(errors)
    if partner is None:
        partner = PartnerOrganisation()
        db.session.add(partner)
    partner.name = name.strip()
    partner.kind = kind_value
    partner.institution_id = None
    partner.nip = nip_clean
    partner.address = _clean(address)
    contact.apply_to(partner)
    with unique_or_error({"uq_partner_organisations_nip": (
            "nip", lambda: _("A partner with this NIP is already registered."))}):
        db.session.flush()
    # Its agreements name it as written for every party: a new name reaches them too.
    db.session.execute(update(AgreementParty).where(AgreementParty.tenant_id == partner.tenant_id,
                                                    AgreementParty.partner_id == partner.id,
                                                    AgreementParty.institution_id.is_(None))
                       .values(name=partner.name))
    return partner


def do_save_platform_partner(partner: PartnerOrganisation | None, *, own_institution: Institution,
                             institution_id: int | None, contact: ContactDetails) -> PartnerOrganisation:
    """Create or update a partner that is another institution on the platform (same region, active)."""
    keep = partner.institution_id if partner is not None else None
    candidates = {i.id: i for i in platform_institutions_to_choose(own_institution, keep=keep)}
    chosen = candidates.get(institution_id)
    if chosen is None:
        existing = partner_for_institution_for_tenant(institution_id) if institution_id else None
        message = (_("This institution is already your partner: %(name)s.", name=existing.name)
                   if existing is not None and existing is not partner
                   else _("Choose an active institution of your region."))
        raise ValidationFailed.single("institution_id", message)
    if partner is None:
        partner = PartnerOrganisation()
        db.session.add(partner)
    # Name, type and NIP come from the platform record; the copy keeps lists searchable and
    # survives if the institution ever leaves the platform.
    partner.institution_id = chosen.id
    partner.name = chosen.name
    partner.kind = PartnerKind.PLATFORM_INSTITUTION
    partner.nip = chosen.nip
    partner.address = None
    contact.apply_to(partner)
    with unique_or_error({"uq_partner_organisations_institution": (
            "institution_id", lambda: _("This institution is already your partner."))}):
        db.session.flush()
    return partner


def do_delete_partner(partner: PartnerOrganisation) -> None:
    """Delete a partner that is party to no agreement and partner in no project."""
    agreements, projects = partner_usage(partner)
    if agreements or projects:
        reasons = []
        if agreements:
            reasons.append(ngettext("it is a party to %(num)s agreement", "it is a party to %(num)s agreements",
                                    agreements))
        if projects:
            reasons.append(ngettext("it is a partner in %(num)s project", "it is a partner in %(num)s projects",
                                    projects))
        raise ValidationFailed.single("partner", _(
            "This partner cannot be deleted because %(reasons)s. Remove it from them first.",
            reasons=_(" and ").join(reasons)))
    db.session.delete(partner)
    db.session.flush()


# --- agreements -----------------------------------------------------------------------------------

@dataclass
class AgreementData:
    title: str
    kind: str
    scope: str
    valid_from: date | None
    party_ids: list[str]   # "i:<id>" an institution of the region; a partner's id an outside organisation
    number: str | None = None
    signed_on: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class PartyChoice:
    """A party as chosen: an institution of the platform (with the owner's partner record of it, if
    any) or an outside partner."""
    institution: Institution | None
    partner: PartnerOrganisation | None

    @property
    def key(self):
        return ("i", self.institution.id) if self.institution is not None else ("p", self.partner.id)

    @property
    def name(self) -> str:
        return self.institution.name if self.institution is not None else self.partner.name


def _parties(owner: Institution, raw_ids: list[str], keep: set[int]) -> list[PartyChoice]:
    """The chosen parties besides the owner: institutions of its region, or its own outside partners.
    A partner record of a platform institution stands for that institution."""
    institution_ids, partner_ids = set(), set()
    for raw in raw_ids:
        raw = str(raw)
        try:
            if raw.startswith("i:"):
                institution_ids.add(int(raw[2:]))
            else:
                partner_ids.add(uuid.UUID(raw))
        except ValueError:
            raise ValidationFailed.single("parties", _("Choose the parties from the list.")) from None
    partners = partners_by_ids_for_tenant(list(partner_ids))
    if len(partners) != len(partner_ids):  # an id of another institution's partner finds nothing
        raise ValidationFailed.single("parties", _("Choose the parties from the list."))
    for partner in partners:
        if partner.institution_id is not None:
            institution_ids.add(partner.institution_id)
    region = {i.id: i for i in region_institutions_to_choose(owner, keep=keep)}
    if not institution_ids <= set(region):
        raise ValidationFailed.single("parties", _("Choose institutions of your region from the list."))
    chosen = [PartyChoice(region[i], partner_for_institution_for_tenant(i)) for i in institution_ids]
    chosen += [PartyChoice(None, p) for p in partners if p.institution_id is None]
    if not chosen:
        raise ValidationFailed.single("parties", _("Choose at least one party to the agreement."))
    return sorted(chosen, key=lambda c: polish_key(c.name))


def _check_agreement(owner: Institution, data: AgreementData,
                     keep: set[int]) -> tuple[AgreementKind, list[PartyChoice]]:
    errors: dict[str, list[str]] = {}
    if not _clean(data.title):
        errors["title"] = [_("Enter the title of the agreement.")]
    if not _clean(data.scope):
        errors["scope"] = [_("Describe what the parties agree to do together.")]
    try:
        kind = AgreementKind(data.kind)
    except ValueError:
        kind = None
        errors["kind"] = [_("Choose the type of agreement.")]
    if data.signed_on and data.signed_on > today_in_poland():
        errors["signed_on"] = [_("The agreement cannot be signed on a future date.")]
    if data.valid_from is None:
        errors["valid_from"] = [_("Enter the date the agreement comes into force.")]
    elif data.valid_to and data.valid_to < data.valid_from:
        errors["valid_to"] = [_("The end of validity cannot be earlier than its start.")]
    parties = []
    try:
        parties = _parties(owner, data.party_ids, keep)
    except ValidationFailed as failure:
        errors.update(failure.errors)
    if errors:
        raise ValidationFailed(errors)
    return kind, parties


# What the parties confirm: a change of any of these asks the other parties to confirm again.
TERMS = ("title", "number", "kind", "scope", "signed_on", "valid_from", "valid_to", "document_id")


def _terms(agreement: Agreement) -> tuple:
    return tuple(getattr(agreement, name) for name in TERMS) + (
        tuple(sorted((p.institution_id or 0, p.name) for p in agreement.parties)),)


def _confirm(party: AgreementParty, user) -> None:
    party.confirmed_at = datetime.now(UTC)
    party.confirmed_by_id = user.id if user is not None else None
    party.confirmed_by_name = user.full_name if user is not None else None


def _set_parties(agreement: Agreement, owner: Institution, chosen: list[PartyChoice], user) -> None:
    """The owner first, then the chosen parties; a party that stays keeps its row and confirmation;
    the party set follows the platform parties, so a removed institution no longer sees the agreement."""
    existing = {(("i", p.institution_id) if p.institution_id is not None else ("p", p.partner_id)): p
                for p in agreement.parties}
    rows = []
    own = existing.get(("i", owner.id)) or AgreementParty(agreement_id=agreement.id, institution_id=owner.id)
    own.name = owner.name
    rows.append(own)
    for choice in chosen:
        row = existing.get(choice.key) or AgreementParty(agreement_id=agreement.id,
                                                         institution_id=choice.institution and choice.institution.id)
        row.partner_id = choice.partner.id if choice.partner is not None else None
        row.name = choice.name
        rows.append(row)
    for position, row in enumerate(rows):
        row.position = position
    agreement.parties = rows
    wanted = {choice.institution.id for choice in chosen if choice.institution is not None}
    shared = {s.institution_id: s for s in db.session.execute(select(SharedParty).where(
        SharedParty.tenant_id == owner.id, SharedParty.party_set_id == agreement.id)).scalars()}
    for institution_id in wanted - set(shared):
        db.session.add(SharedParty(tenant_id=owner.id, party_set_id=agreement.id, institution_id=institution_id))
    for institution_id in set(shared) - wanted:
        db.session.delete(shared[institution_id])


def do_save_agreement(agreement: Agreement | None, data: AgreementData, *, owner: Institution,
                      user=None, document: FileStorage | None = None, remove_document: bool = False,
                      max_document_bytes: int, origin_action=None) -> Agreement:
    """Create (agreement=None) or update an agreement with its parties and signed document.

    The owner is a party and confirms by saving; a change of the terms asks the other parties to
    confirm again. A new document replaces the old one (which is deleted); `remove_document` only
    removes. `origin_action`: the working group's action item the new agreement comes from.
    """
    keep = set() if agreement is None else {p.institution_id for p in agreement.parties if p.institution_id}
    kind, chosen = _check_agreement(owner, data, keep)
    new_document = None
    if document is not None and document.filename:
        new_document = do_store_attachment(document, acting_user_id(), max_document_bytes,
                                           field_name="document_file")
    old_parties = [] if agreement is None else [p.name for p in agreement.parties[1:]]
    old_terms = None if agreement is None else _terms(agreement)
    if agreement is None:
        agreement = Agreement(id=uuid7())
        if origin_action is not None:
            agreement.origin_action_tenant_id, agreement.origin_action_id = origin_action.tenant_id, origin_action.id
        db.session.add(agreement)
    agreement.title = data.title.strip()
    agreement.number = _clean(data.number)
    agreement.kind = kind
    agreement.scope = data.scope.strip()
    agreement.signed_on = data.signed_on
    agreement.valid_from = data.valid_from
    agreement.valid_to = data.valid_to
    old_document = agreement.document
    if new_document is not None or remove_document:
        if new_document is not None:
            new_document.party_set_id = agreement.id   # the parties read the signed document too
        agreement.document = new_document
        if old_document is not None:
            do_delete_attachment(old_document)
    db.session.flush()
    _set_parties(agreement, owner, chosen, user)
    db.session.flush()
    if old_terms != _terms(agreement):
        for party in agreement.platform_parties:
            if party.institution_id == owner.id:
                _confirm(party, user)
            else:
                party.confirmed_at = party.confirmed_by_id = party.confirmed_by_name = None
        db.session.flush()
    new_parties = [p.name for p in agreement.parties[1:]]
    if old_parties and sorted(old_parties) != sorted(new_parties):
        _record_parties_change(agreement, sorted(old_parties), sorted(new_parties))
    return agreement


def do_confirm_agreement(agreement: Agreement, institution_id: int, user) -> AgreementParty:
    """The institution confirms the agreement as it stands (it must be one of its platform parties)."""
    party = agreement.party_of(institution_id)
    if party is None:
        raise ValidationFailed.single("confirm", _("Only a party to the agreement can confirm it."))
    if party.confirmed_at is None:
        _confirm(party, user)
        db.session.flush()
    return party


def _record_parties_change(agreement: Agreement, old: list[str], new: list[str]) -> None:
    # The automatic history covers columns; the parties are a collection, so their change
    # is recorded here, in the same transaction as the rest of the edit.
    db.session.add(ChangeRecord(entity_type=Agreement.__name__, entity_id=agreement.id, action=ChangeAction.UPDATE,
                                changes={"parties": ["; ".join(old), "; ".join(new)]}, user_id=acting_user_id()))
def do_delete_agreement(agreement: Agreement) -> None:
    """Delete the agreement for every party: its parties, its party set and its document."""
    document = agreement.document
    db.session.execute(delete(SharedParty).where(SharedParty.tenant_id == agreement.tenant_id,
                                                 SharedParty.party_set_id == agreement.id))
    db.session.delete(agreement)
    if document is not None:
        do_delete_attachment(document)
    db.session.flush()
