"""Writes for good practices: drafts, versions, submission, review decisions, photos.

The rules: only a DRAFT version is ever changed. Saving a practice whose latest version
is frozen (returned, published, superseded, withdrawn) starts a new draft version copied
from it, so a published version stays exactly as approved while the next one is edited.
A submission freezes the draft and writes the region-level copy the coordinator reviews
in the same transaction.
"""
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from regionet.platform.coordinator.disclosure import RegionRules
from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.practices import services as region_services
from regionet.platform.tenancy import current_tenant_id, tenant_scope
from regionet.platform.validation import ValidationFailed
from regionet.tenants.attachments.models import Attachment
from regionet.tenants.partners.models import PartnerKind, PartnerOrganisation
from regionet.tenants.projects.catalogues import FUNDING_SOURCES

from .models import Practice, PracticePartner, PracticePhoto, PracticeSource, PracticeVersion, VersionState
from .photos import CheckedPhoto
from .queries import partner_for_tenant, project_for_tenant
from .snapshot import version_content, version_figures
from .sources import Citable, resolve

MAX_PHOTOS = 6
CONTENT_FIELDS = (
    "title", "period_start", "period_end", "problem", "local_figures", "target_group_description",
    "target_group_size", "target_groups", "instruments", "cooperation", "funding_source", "funding_total",
    "funding_eu", "funding_own", "project_id", "results_narrative", "success_factors", "barriers",
    "sustainability", "transferability", "contact_name", "contact_email", "contact_phone",
)


@dataclass
class NewPartner:
    name: str
    kind: PartnerKind
    institution_id: int | None
    role: str | None


@dataclass
class PracticeInput:
    """What the form gives: every content field, the chosen partners (id, role) and an optional new partner."""

    values: dict
    partners: list[tuple[uuid.UUID, str | None]] = field(default_factory=list)
    new_partner: NewPartner | None = None
    # Keys of the groups, meetings and agreements cited ("kind:owner:id"); None leaves them as they are.
    sources: list[str] | None = None


def _clean_text(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _validate_draft(data: PracticeInput) -> None:
    """Checks that hold for every saved version (a draft may still be incomplete)."""
    values, errors = data.values, {}
    total, eu, own = values.get("funding_total"), values.get("funding_eu"), values.get("funding_own")
    amounts = [a for a in (total, eu, own) if a is not None]
    if amounts and len(amounts) < 3:
        missing = [name for name, a in (("funding_total", total), ("funding_eu", eu), ("funding_own", own))
                   if a is None]
        for name in missing:
            errors[name] = [_("Give all three amounts: the total, the EU funds and the own contribution.")]
    elif amounts and eu + own != total:
        errors["funding_own"] = [_("The EU funds (%(eu)s zł) and the own contribution (%(own)s zł) must add up to "
                                   "the total (%(total)s zł).", eu=_pl(eu), own=_pl(own), total=_pl(total))]
    if values.get("funding_source") and values["funding_source"] not in FUNDING_SOURCES:
        errors["funding_source"] = [_("Choose a source from the list.")]
    if values.get("project_id") and project_for_tenant(values["project_id"]) is None:
        errors["project_id"] = [_("Choose one of your institution's projects.")]
    for partner_id, _role in data.partners:
        if partner_for_tenant(partner_id) is None:
            errors["partners"] = [_("Choose partners from your institution's list.")]
    if errors:
        raise ValidationFailed(errors)


def _cited(version: PracticeVersion | None, keys: list[str]) -> list[Citable | PracticeSource]:
    """The chosen sources: ones the institution can see now, or ones this version already cites
    (kept as cited even if the institution has since left the group)."""
    already = {source.key: source for source in (version.sources if version is not None else [])}
    visible = resolve([key for key in keys if key not in already])
    if visible is None:
        raise ValidationFailed.single("sources", _("Choose working groups, meetings and agreements from the list."))
    found = {c.key: c for c in visible}
    return [already.get(key) or found[key] for key in dict.fromkeys(keys)]


def _apply_sources(version: PracticeVersion, chosen: list[Citable | PracticeSource]) -> None:
    wanted = {c.key for c in chosen}
    for source in list(version.sources):
        if source.key not in wanted:
            version.sources.remove(source)
    existing = {source.key: source for source in version.sources}
    for position, citable in enumerate(chosen):
        source = existing.get(citable.key)
        if source is None:
            version.sources.append(PracticeSource(
                kind=citable.kind, source_tenant_id=citable.tenant_id, source_id=citable.id,
                title=citable.title[:300], context=(citable.context or "")[:300] or None, day=citable.day,
                position=position))
        else:
            source.position = position


def _pl(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")


def validate_for_submission(version: PracticeVersion) -> None:
    """A practice goes to the coordinator only with every section the catalogue needs."""
    required = {
        "period_start": _("Give the start of the period."),
        "problem": _("Describe the problem the practice answers."),
        "target_group_description": _("Describe the target group."),
        "cooperation": _("Describe how the cooperation was organised."),
        "contact_name": _("Give a contact person."),
    }
    errors = {name: [message] for name, message in required.items() if not getattr(version, name)}
    if not version.instruments:
        errors["instruments"] = [_("Choose at least one instrument.")]
    if not version.contact_email and not version.contact_phone:
        errors["contact_email"] = [_("Give a contact e-mail or phone number.")]
    if version.project_id is None and not version.results_narrative:
        errors["project_id"] = [_("Link a project whose records give the results, or describe the results.")]
    if version.funding_total is not None and not version.funding_source:
        errors["funding_source"] = [_("Choose the source of the funding.")]
    if errors:
        raise ValidationFailed(errors)


def _apply(version: PracticeVersion, data: PracticeInput) -> None:
    if data.sources is not None:
        _apply_sources(version, _cited(version, data.sources))
    for name in CONTENT_FIELDS:
        value = _clean_text(data.values.get(name))
        if name in ("target_groups", "instruments"):
            value = sorted(set(value or []))
        setattr(version, name, value)
    partners = list(data.partners)
    if data.new_partner is not None:
        partners.append((_do_create_partner(data.new_partner).id, data.new_partner.role))
    existing = {link.partner_id: link for link in version.partners}
    wanted = {partner_id: role for partner_id, role in partners}
    for partner_id, link in existing.items():
        if partner_id not in wanted:
            version.partners.remove(link)
    for position, (partner_id, role) in enumerate(partners):
        link = existing.get(partner_id)
        if link is None:
            version.partners.append(PracticePartner(partner_id=partner_id, role=_clean_text(role), position=position))
        else:
            link.role, link.position = _clean_text(role), position


_PARTNER_FIELDS = {"name": "new_partner_name", "kind": "new_partner_kind", "institution_id": "new_partner_institution"}


def _do_create_partner(new: NewPartner) -> PartnerOrganisation:
    """A partner typed into the practice form joins the institution's partner list through the
    partners' own services (the same checks as on the partners' pages); a platform institution
    that already is a partner is reused."""
    from regionet.tenants.partners.queries import partner_for_institution_for_tenant
    from regionet.tenants.partners.services import ContactDetails, do_save_external_partner, do_save_platform_partner

    try:
        if new.institution_id:
            existing = partner_for_institution_for_tenant(new.institution_id)
            if existing is not None:
                return existing
            return do_save_platform_partner(None, own_institution=db.session.get(Institution, current_tenant_id()),
                                            institution_id=new.institution_id, contact=ContactDetails())
        return do_save_external_partner(None, name=new.name, kind=new.kind.value, nip=None, address=None,
                                        contact=ContactDetails())
    except ValidationFailed as failure:   # shown next to the practice form's own fields
        raise ValidationFailed({_PARTNER_FIELDS.get(name, name): messages
                                for name, messages in failure.errors.items()}) from failure


def do_create_practice(data: PracticeInput, user_id: int | None) -> Practice:
    _validate_draft(data)
    practice = Practice(created_by_id=user_id)
    version = PracticeVersion(number=1, state=VersionState.DRAFT, title=data.values["title"])
    practice.versions.append(version)
    db.session.add(practice)
    _apply(version, data)
    db.session.flush()
    return practice


def do_start_new_version(practice: Practice) -> PracticeVersion:
    """A new draft copied from the latest version (published, returned or withdrawn), which stays as it is."""
    if practice.draft is not None or practice.submitted is not None:
        raise ValidationFailed.single("title", _("This practice already has a version being edited or reviewed."))
    source = practice.latest
    version = PracticeVersion(number=source.number + 1, state=VersionState.DRAFT)
    for name in CONTENT_FIELDS:
        value = getattr(source, name)
        setattr(version, name, list(value) if isinstance(value, list) else value)
    practice.versions.append(version)
    for link in source.partners:
        version.partners.append(PracticePartner(partner_id=link.partner_id, role=link.role, position=link.position))
    for cited in source.sources:
        version.sources.append(PracticeSource(kind=cited.kind, source_tenant_id=cited.source_tenant_id,
                                              source_id=cited.source_id, title=cited.title, context=cited.context,
                                              day=cited.day, position=cited.position))
    for photo in source.photos:
        version.photos.append(PracticePhoto(attachment_id=photo.attachment_id, caption=photo.caption,
                                            width=photo.width, height=photo.height, position=photo.position))
    db.session.flush()
    return version


def do_save_draft(practice: Practice, data: PracticeInput, user_id: int | None) -> PracticeVersion:
    """Save the form into the open draft (the only version that can change)."""
    version = practice.draft
    if version is None:
        raise ValidationFailed.single("title", _("There is no draft to change. Start a new version first."))
    _validate_draft(data)
    _apply(version, data)
    db.session.flush()
    return version


def do_submit(practice: Practice, institution: Institution, user) -> PracticeVersion:
    """Freeze the draft and hand the coordinator its region-level copy (one transaction)."""
    version = practice.draft
    if version is None:
        raise ValidationFailed.single("title", _("There is no draft to submit."))
    validate_for_submission(version)
    rule = RegionRules.for_region(institution.region)
    version.state = VersionState.SUBMITTED
    version.submitted_at = datetime.now(UTC)
    version.submitted_by_id = user.id
    version.review_comment = None
    version.decided_at = version.decided_by_name = None
    photos = [(photo, photo.attachment.data) for photo in version.photos]
    submission = region_services.do_record_submission(
        institution=institution, practice_id=practice.id, version_id=version.id, version_number=version.number,
        content=version_content(version, institution, rule), figures=version_figures(version, rule),
        photos=photos, submitted_by_name=user.full_name)
    version.submission_id = submission.id
    db.session.flush()
    return version


def do_withdraw_submission(practice: Practice) -> PracticeVersion:
    version = practice.submitted
    if version is None:
        raise ValidationFailed.single("title", _("Nothing is waiting for review."))
    if not region_services.do_withdraw_submission(version.submission_id):
        raise ValidationFailed.single("title", _("The coordinator has already decided on this version."))
    version.state = VersionState.DRAFT
    version.submission_id = None
    version.submitted_at = None
    db.session.flush()
    return version


def do_discard_draft(practice: Practice) -> bool:
    """Delete the open draft; returns True when the whole practice went with it (it had nothing else)."""
    version = practice.draft
    if version is None:
        return False
    if len(practice.versions) == 1:
        db.session.delete(practice)
        db.session.flush()
        return True
    practice.versions.remove(version)
    db.session.flush()
    return False


def do_withdraw_from_catalogue(practice: Practice) -> None:
    version = practice.published
    if version is None:
        raise ValidationFailed.single("title", _("This practice is not in the catalogue."))
    version.state = VersionState.WITHDRAWN
    region_services.do_unpublish(practice.id)
    db.session.flush()


def do_apply_review_decision(institution_id: int, version_id: uuid.UUID, approved: bool, comment: str | None,
                             decided_by_name: str, rule: RegionRules) -> dict | None:
    """The coordinator's decision reaches the institution's version (called by the region-level service).

    Runs in the institution's scope: the only write a coordinator's action makes to a
    tenant's rows. Returns the version's current figures (suppressed) when approved.
    """
    with tenant_scope(institution_id):
        version = db.session.execute(
            select(PracticeVersion).where(PracticeVersion.id == version_id)).scalar_one()
        if version.state is not VersionState.SUBMITTED:
            raise ValidationFailed.single("comment", _("This version is no longer waiting for review."))
        version.decided_at = datetime.now(UTC)
        version.decided_by_name = decided_by_name
        version.review_comment = comment
        figures = None
        if approved:
            previous = version.practice.published
            if previous is not None:
                previous.state = VersionState.SUPERSEDED
                db.session.flush()
            version.state = VersionState.PUBLISHED
            figures = version_figures(version, rule)
        else:
            version.state = VersionState.RETURNED
        db.session.flush()
        return figures


def do_add_photo(version: PracticeVersion, photo: CheckedPhoto, caption: str, user_id: int | None) -> PracticePhoto:
    if version.state is not VersionState.DRAFT:
        raise ValidationFailed.single("photo", _("Photos can be added to a draft only."))
    if len(version.photos) >= MAX_PHOTOS:
        raise ValidationFailed.single("photo", _("A practice can have at most %(n)s photos.", n=MAX_PHOTOS))
    attachment = Attachment(file_name=f"zdjecie-{len(version.photos) + 1}.{photo.extension}",
                            content_type=photo.content_type, size_bytes=len(photo.data),
                            sha256=hashlib.sha256(photo.data).hexdigest(), data=photo.data, uploaded_by_id=user_id)
    db.session.add(attachment)
    db.session.flush()
    position = max((p.position for p in version.photos), default=-1) + 1
    linked = PracticePhoto(attachment_id=attachment.id, caption=caption.strip(), width=photo.width,
                           height=photo.height, position=position)
    version.photos.append(linked)
    db.session.flush()
    return linked


def do_remove_photo(photo: PracticePhoto) -> None:
    version = photo.version
    if version.state is not VersionState.DRAFT:
        raise ValidationFailed.single("photo", _("Photos can be removed from a draft only."))
    attachment_id = photo.attachment_id
    version.photos.remove(photo)
    db.session.flush()
    still_used = db.session.execute(select(func.count()).select_from(PracticePhoto).where(
        PracticePhoto.attachment_id == attachment_id)).scalar_one()
    if not still_used:
        attachment = db.session.execute(select(Attachment).where(Attachment.id == attachment_id)).scalar_one()
        db.session.delete(attachment)
        db.session.flush()


def do_refresh_published_figures(practice: Practice, institution: Institution) -> None:
    """Recompute the catalogue entry's figures from the records (when the owner looks at it)."""
    from regionet.platform.ui.formatting import today_in_poland
    from regionet.tenants.tallies.queries import records_version_for_tenant

    version = practice.published
    if version is None:
        return
    records_version = records_version_for_tenant()   # before counting (entry_figures.py)
    rule, as_of = RegionRules.for_region(institution.region), today_in_poland()
    region_services.do_update_published_figures(practice.id, version_figures(version, rule, as_of), as_of,
                                                records_version)
