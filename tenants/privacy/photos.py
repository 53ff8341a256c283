"""Photos of a person in good practices, used only while their consent to the purpose "photo" holds.

The institution links a person to the photos that show them (their data-protection page). When the
consent is withdrawn, or the person erased, the photos go: from every version of the practice, and
from the region's copies of its submissions, so the catalogue and its next report are without them.
A regional report already built that printed one of them is withdrawn (its PDF deleted, its page
saying why) and built again without it (platform/regional_reports/withdrawal.py); the institution's
change history notes each withdrawn report.
"""
import hashlib
import uuid

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import undefer

from regionet.platform.extensions import db
from regionet.platform.practices.models import PracticeSubmission, SubmissionPhoto
from regionet.platform.regional_reports.withdrawal import PHOTO_CONSENT_WITHDRAWN, do_withdraw_reports_showing
from regionet.platform.tenancy import current_tenant_id, get_for_tenant_or_404
from regionet.platform.validation import ValidationFailed
from regionet.tenants.attachments.models import Attachment
from regionet.tenants.audit.models import ChangeAction, ChangeRecord
from regionet.tenants.audit.recording import acting_user_id
from regionet.tenants.practices.models import PracticePhoto, PracticeVersion

from .models import ConsentPurpose, PhotoSubject


def photo_choices() -> list[tuple[uuid.UUID, str]]:
    """(photo id, "practice title: caption") of the institution's photos, newest versions first."""
    rows = db.session.execute(select(PracticePhoto.id, PracticeVersion.title, PracticePhoto.caption)
                              .join(PracticeVersion, PracticeVersion.id == PracticePhoto.version_id)
                              .order_by(PracticeVersion.title, PracticePhoto.position)).all()
    return [(photo_id, f"{title}: {caption}") for photo_id, title, caption in rows]


def photos_of(participant_id: uuid.UUID) -> list[PracticePhoto]:
    return list(db.session.execute(select(PracticePhoto).join(PhotoSubject, PhotoSubject.photo_id == PracticePhoto.id)
                                   .where(PhotoSubject.participant_id == participant_id)).scalars())


def do_link_photo(participant_id: uuid.UUID, photo_id: uuid.UUID) -> None:
    from .consents import allowed

    photo = get_for_tenant_or_404(PracticePhoto, photo_id)
    if not allowed(participant_id, ConsentPurpose.PHOTO):
        raise ValidationFailed.single("photo_id", _("Record the person's consent to a photo first."))
    if not db.session.execute(select(PhotoSubject).where(PhotoSubject.photo_id == photo.id,
                                                         PhotoSubject.participant_id == participant_id)).first():
        db.session.add(PhotoSubject(photo_id=photo.id, participant_id=participant_id))
    db.session.commit()


def remove_photos_of(participant_id: uuid.UUID) -> int:
    """Take the person's photos out of every version, the region's copies and the reports built
    with them (caller commits; the reports' rebuilds are queued then)."""
    linked = photos_of(participant_id)
    attachment_ids = {photo.attachment_id for photo in linked}
    if not attachment_ids:
        return 0
    files = db.session.execute(select(Attachment).options(undefer(Attachment.data))
                               .where(Attachment.id.in_(attachment_ids))).scalars().all()
    digests = {hashlib.sha256(f.data).hexdigest() for f in files} | {f.sha256 for f in files}
    submissions = select(PracticeSubmission.id).where(PracticeSubmission.institution_id == current_tenant_id())
    _withdraw_reports(list(db.session.execute(submissions).scalars()), digests)
    db.session.execute(delete(SubmissionPhoto).where(SubmissionPhoto.submission_id.in_(submissions),
                                                     SubmissionPhoto.sha256.in_(digests)))
    copies = db.session.execute(select(PracticePhoto).where(PracticePhoto.attachment_id.in_(attachment_ids))
                                ).scalars().all()
    for photo in copies:   # the same image in later versions of the practice
        db.session.delete(photo)
    db.session.flush()
    db.session.execute(delete(Attachment).where(Attachment.id.in_(attachment_ids)))
    return len(copies)


def _withdraw_reports(submission_ids: list[uuid.UUID], digests: set[str]) -> None:
    for report_id in do_withdraw_reports_showing(submission_ids, digests):
        db.session.add(ChangeRecord(entity_type="RegionalReport", entity_id=report_id, action=ChangeAction.UPDATE,
                                    changes={"withdrawn_reason": [None, PHOTO_CONSENT_WITHDRAWN]},
                                    user_id=acting_user_id()))
