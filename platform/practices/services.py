"""Writes on the region-level copies: submissions, review decisions, the published catalogue.

Called by the institution's services (submit, withdraw) inside the institution's request,
and by the coordinator's pages (approve, return). The app role writes these tables; the
coordinator's own database role only ever reads them.
"""
import hashlib
import uuid
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..coordinator.disclosure import RegionRules
from ..extensions import db
from ..institutions.models import Institution
from ..validation import ValidationFailed
from .models import PracticeSubmission, PublishedPractice, PublishedPracticeTag, SubmissionPhoto, SubmissionStatus


def _sha256_json(data) -> str:
    from regionet.tenants.practices.snapshot import canonical_json

    return hashlib.sha256(canonical_json(data)).hexdigest()


def do_record_submission(*, institution: Institution, practice_id: uuid.UUID, version_id: uuid.UUID,
                         version_number: int, content: dict, figures: dict | None, photos: list,
                         submitted_by_name: str) -> PracticeSubmission:
    """The frozen, self-contained copy of a submitted version, with copies of its photos."""
    submission = PracticeSubmission(
        region_code=institution.region_code, institution_id=institution.id, practice_id=practice_id,
        version_id=version_id, version_number=version_number, title=content["title"], content=content,
        content_sha256=_sha256_json(content), figures=figures, status=SubmissionStatus.PENDING,
        submitted_by_name=submitted_by_name)
    for photo, data in photos:
        submission.photos.append(SubmissionPhoto(
            region_code=institution.region_code, position=photo.position, caption=photo.caption,
            content_type=photo.attachment.content_type, width=photo.width, height=photo.height,
            size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data))
    db.session.add(submission)
    db.session.flush()
    return submission


def _locked(submission_id: uuid.UUID) -> PracticeSubmission | None:
    return db.session.execute(select(PracticeSubmission).where(PracticeSubmission.id == submission_id)
                              .with_for_update()).scalar_one_or_none()


def do_withdraw_submission(submission_id: uuid.UUID | None) -> bool:
    """The institution takes a submission back; False when the coordinator already decided."""
    submission = _locked(submission_id) if submission_id else None
    if submission is None or submission.status is not SubmissionStatus.PENDING:
        return False
    submission.status = SubmissionStatus.WITHDRAWN
    submission.decided_at = datetime.now(UTC)
    db.session.flush()
    return True


def do_unpublish(practice_id: uuid.UUID) -> None:
    db.session.execute(delete(PublishedPractice).where(PublishedPractice.practice_id == practice_id))
    db.session.flush()


def do_update_published_figures(practice_id: uuid.UUID, figures: dict | None, as_of: date,
                                records_version: int | None = None) -> None:
    entry = db.session.execute(select(PublishedPractice).where(
        PublishedPractice.practice_id == practice_id)).scalar_one_or_none()
    if entry is not None and set_entry_figures(entry, figures, as_of, records_version):
        db.session.flush()


def set_entry_figures(entry: PublishedPractice, figures: dict | None, as_of: date,
                      records_version: int | None = None) -> bool:
    """Give a loaded catalogue entry its current figures (unflushed, for batches); True if anything changed.

    `records_version`: the institution's records version they were counted at, when known
    (entry_figures.py); None marks them as not known to be current.
    """
    if entry.figures == figures and entry.figures_as_of == as_of and entry.figures_records_version == records_version:
        return False
    entry.figures, entry.figures_as_of, entry.figures_records_version = figures, as_of, records_version
    return True


def do_decide(submission_id: uuid.UUID, region, coordinator, approve: bool, comment: str | None) -> PracticeSubmission:
    """Approve (publish) or return a pending submission of `region`, and tell the institution's version."""
    from regionet.tenants.practices.services import do_apply_review_decision

    comment = (comment or "").strip() or None
    submission = _locked(submission_id)
    if submission is None or submission.region_code != region.teryt_code:
        raise LookupError(submission_id)
    if submission.status is not SubmissionStatus.PENDING:
        raise ValidationFailed.single("comment", _("This submission has already been decided or withdrawn."))
    if not approve and not comment:
        raise ValidationFailed.single("comment", _("Write what the institution should change."))
    rule = RegionRules.for_region(region)
    figures = do_apply_review_decision(submission.institution_id, submission.version_id, approve, comment,
                                       coordinator.full_name, rule)
    now = datetime.now(UTC)
    submission.status = SubmissionStatus.APPROVED if approve else SubmissionStatus.RETURNED
    submission.decided_at, submission.decided_by_id = now, coordinator.id
    submission.decided_by_name, submission.comment = coordinator.full_name, comment
    if approve:
        _publish(submission, figures if figures is not None else submission.figures, now, coordinator.full_name)
    db.session.flush()
    return submission


def _publish(submission: PracticeSubmission, figures: dict | None, now: datetime, approved_by: str) -> None:
    from regionet.tenants.practices.snapshot import search_text

    content = submission.content
    entry = db.session.execute(select(PublishedPractice).where(
        PublishedPractice.practice_id == submission.practice_id)).scalar_one_or_none()
    if entry is None:
        entry = PublishedPractice(practice_id=submission.practice_id, first_published_at=now)
        db.session.add(entry)
    else:
        db.session.execute(delete(PublishedPracticeTag).where(PublishedPracticeTag.published_id == entry.id))
        db.session.expire(entry, ["tags"])
    institution = content["institution"]
    entry.region_code, entry.institution_id = submission.region_code, submission.institution_id
    entry.submission_id, entry.version_number, entry.title = submission.id, submission.version_number, submission.title
    entry.institution_name, entry.institution_kind = institution["name"], institution["kind"]
    entry.county_code, entry.county_name = institution["county_code"], institution["county_name"]
    entry.period_start = date.fromisoformat(content["period"]["start"]) if content["period"]["start"] else None
    entry.period_end = date.fromisoformat(content["period"]["end"]) if content["period"]["end"] else None
    entry.search_text = search_text(content)
    entry.figures, entry.figures_records_version = figures, None
    entry.figures_as_of = date.fromisoformat(figures["as_of"]) if figures else None
    entry.published_at, entry.approved_by_name = now, approved_by
    db.session.flush()
    entry.tags = [PublishedPracticeTag(facet="instrument", value=value, region_code=submission.region_code)
                  for value in sorted(set(content.get("instruments") or []))]
    entry.tags += [PublishedPracticeTag(facet="target_group", value=value, region_code=submission.region_code)
                   for value in sorted(set(content["target_group"].get("groups") or []))]
