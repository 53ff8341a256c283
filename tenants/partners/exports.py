"""The partner and agreement lists as spreadsheets: the rows the list shows, every page."""
from datetime import date

from flask_babel import gettext as _
from flask_babel import to_user_timezone

from regionet.platform.exports import spreadsheet_response
from regionet.platform.institutions.labels import institution_kind_label
from regionet.platform.ui.listing import ListQuery

from .labels import AGREEMENT_KIND_LABELS, AGREEMENT_STATUS_LABELS, PARTNER_KIND_LABELS
from .queries import all_agreements_for_tenant, all_partners_for_tenant
from .validity import status_on


def partners_spreadsheet(listing: ListQuery, fmt: str, file_stem: str):
    headers = [_("Name"), _("Type"), _("Type of institution"), _("NIP"), _("Address"), _("Contact person"),
               _("E-mail address"), _("Phone"), _("Agreements"), _("Notes"), _("Added")]
    rows = ([partner.display_name, str(PARTNER_KIND_LABELS[partner.kind]),
             institution_kind_label(partner.institution.kind) if partner.institution else None, partner.nip,
             partner.address, partner.contact_person, partner.email, partner.phone, agreements, partner.notes,
             to_user_timezone(partner.created_at).date() if partner.created_at else None]
            for partner, agreements in all_partners_for_tenant(listing))
    return spreadsheet_response(file_stem, fmt, headers, rows)


def agreements_spreadsheet(listing: ListQuery, today: date, fmt: str, file_stem: str):
    headers = [_("Title"), _("Number"), _("Type of agreement"), _("Parties"), _("Scope of cooperation"),
               _("Signed on"), _("In force from"), _("In force until"), _("Status"), _("Confirmation"),
               _("Signed document")]
    rows = ([agreement.title, agreement.number, str(AGREEMENT_KIND_LABELS[agreement.kind]),
             "; ".join(p.display_name for p in agreement.parties), agreement.scope, agreement.signed_on,
             agreement.valid_from, agreement.valid_to, str(AGREEMENT_STATUS_LABELS[status_on(agreement, today)]),
             _("Awaiting confirmation") if agreement.awaiting_confirmation else _("Confirmed"),
             agreement.document.file_name if agreement.document else None]
            for agreement in all_agreements_for_tenant(listing, today))
    return spreadsheet_response(file_stem, fmt, headers, rows)
