"""Writes of partners and agreements: create, update, delete. Every rule a form cannot see
is checked here and reported as ValidationFailed; nothing is written when one fails."""
import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from stdnum.pl import nip as nip_number
from werkzeug.datastructures import FileStorage

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.ui.formatting import today_in_poland
from regionet.platform.validation import ValidationFailed, unique_or_error
from regionet.tenants.attachments.services import do_delete_attachment, do_store_attachment
from regionet.tenants.audit.models import ChangeAction, ChangeRecord
from regionet.tenants.audit.recording import acting_user_id

from .models import Agreement, AgreementKind, PartnerKind, PartnerOrganisation
from .queries import (
    partner_for_institution_for_tenant,
    partner_usage,
    partner_with_nip_for_tenant,
    partners_by_ids_for_tenant,
    platform_institutions_to_choose,
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
    party_ids: list[str]
    number: str | None = None
    signed_on: date | None = None
    valid_to: date | None = None


def _parties(raw_ids: list[str]) -> list[PartnerOrganisation]:
    if not raw_ids:
        raise ValidationFailed.single("parties", _("Choose at least one party to the agreement."))
    ids = []
    for raw in raw_ids:
        try:
            ids.append(uuid.UUID(str(raw)))
        except ValueError:
            raise ValidationFailed.single("parties", _("Choose the parties from the list.")) from None
    found = partners_by_ids_for_tenant(ids)
    if len(found) != len(set(ids)):  # an id of another institution's partner finds nothing
        raise ValidationFailed.single("parties", _("Choose the parties from the list."))
    return found


def _check_agreement(data: AgreementData) -> tuple[AgreementKind, list[PartnerOrganisation]]:
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
        parties = _parties(data.party_ids)
    except ValidationFailed as failure:
        errors.update(failure.errors)
    if errors:
        raise ValidationFailed(errors)
    return kind, parties


def do_save_agreement(agreement: Agreement | None, data: AgreementData, *, document: FileStorage | None = None,
                      remove_document: bool = False, max_document_bytes: int) -> Agreement:
    """Create (agreement=None) or update an agreement with its parties and signed document.

    A new document replaces the old one (which is deleted); `remove_document` only removes.
    """
    kind, parties = _check_agreement(data)
    new_document = None
    if document is not None and document.filename:
        new_document = do_store_attachment(document, acting_user_id(), max_document_bytes,
                                           field_name="document_file")
    old_parties = [] if agreement is None else sorted(p.name for p in agreement.parties)
    if agreement is None:
        agreement = Agreement()
        db.session.add(agreement)
    agreement.title = data.title.strip()
    agreement.number = _clean(data.number)
    agreement.kind = kind
    agreement.scope = data.scope.strip()
    agreement.signed_on = data.signed_on
    agreement.valid_from = data.valid_from
    agreement.valid_to = data.valid_to
    agreement.parties = parties
    old_document = agreement.document
    if new_document is not None or remove_document:
        agreement.document = new_document
        if old_document is not None:
            do_delete_attachment(old_document)
    db.session.flush()
    new_parties = sorted(p.name for p in parties)
    if old_parties and old_parties != new_parties:
        _record_parties_change(agreement, old_parties, new_parties)
    return agreement


def _record_parties_change(agreement: Agreement, old: list[str], new: list[str]) -> None:
    # The automatic history covers columns; the parties are a collection, so their change
    # is recorded here, in the same transaction as the rest of the edit.
    db.session.add(ChangeRecord(entity_type=Agreement.__name__, entity_id=agreement.id, action=ChangeAction.UPDATE,
                                changes={"parties": ["; ".join(old), "; ".join(new)]}, user_id=acting_user_id()))


def do_delete_agreement(agreement: Agreement) -> None:
    document = agreement.document
    db.session.delete(agreement)
    if document is not None:
        do_delete_attachment(document)
    db.session.flush()
