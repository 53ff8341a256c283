"""A regional report already built with a person's photo is withdrawn when the photo consent is,
and built again without the photo; a report that never printed the photo stays as it was."""
import hashlib
import io
from datetime import UTC, date, datetime, timedelta

from PIL import Image
from pypdf import PdfReader
from rq.job import Job
from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from regionet.platform.extensions import db
from regionet.platform.practices.models import PracticeSubmission, SubmissionPhoto
from regionet.platform.regional_reports.models import RegionalReport, ReportTrigger, RunStatus
from regionet.platform.regional_reports.periods import current_quarter
from regionet.platform.regional_reports.services import do_request_regional_report
from regionet.platform.regional_reports.withdrawal import (
    PHOTO_CONSENT_WITHDRAWN,
    REBUILD_GRACE,
    do_request_rebuild,
    do_requeue_missing_rebuilds,
    rebuild_job_id,
)
from regionet.platform.regions.models import Region
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.audit.models import ChangeRecord
from regionet.tenants.practices.models import PracticePhoto
from regionet.tenants.privacy.models import Consent, ConsentBasis, ConsentPurpose
from regionet.workers.jobs.regional_report import execute_regional_report
from regionet.workers.queues import redis_connection

from .helpers import visible_text
from .participant_helpers import add_participant
from .practices_support import clean_region_tables, create_practice, decide, publish, submission_of  # noqa: F401
from .route_world import _add_photo, _submit
from .test_isolation import TENANT_A, _institution_id
from .test_regional_report_pdf import build_report

URL = f"/i/{TENANT_A}"
REPORTS_URL = "/r/swietokrzyskie/reports"


def _pixels_sha256(data: bytes) -> str:
    return hashlib.sha256(Image.open(io.BytesIO(data)).convert("RGB").tobytes()).hexdigest()


def _image_digests(pdf: bytes) -> list[str]:
    """The pixels of every image embedded in the PDF (ReportLab re-encodes them; pixels stay)."""
    return [_pixels_sha256(image.data) for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]


def _row(app, report_id) -> RegionalReport:
    with app.app_context():
        row = db.session.execute(select(RegionalReport).where(RegionalReport.id == report_id)
                                 .options(undefer(RegionalReport.pdf), undefer(RegionalReport.dataset))).scalar_one()
        db.session.expunge(row)
        return row


def _photo_consent(app, tenant, client, auth):
    """A consenting person linked to the practice's photo; returns the consent's id."""
    person = add_participant(app, first_name="Felicja", last_name="Fotogeniczna")
    with app.app_context(), tenant_scope(tenant):
        photo_id = db.session.execute(select(PracticePhoto.id)).scalar_one()
        db.session.add(Consent(participant_id=person.id, purpose=ConsentPurpose.PHOTO, basis=ConsentBasis.CONSENT,
                               given_on=date(2025, 5, 1)))
        db.session.commit()
        consent_id = db.session.execute(select(Consent.id)).scalar_one()
    auth.login_as(TENANT_A, "staff")
    assert client.post(f"{URL}/privacy/people/{person.id}/photos", data={"photo_id": str(photo_id)}).status_code == 302
    return consent_id


def test_a_built_report_showing_a_withdrawn_photo_is_withdrawn_and_built_again_without_it(app, client, auth):
    tenant = _institution_id(app, TENANT_A)
    publish(app, "mopr-kielce", title="Praktyka bez zdjęć")
    untouched_id, untouched_pdf, *_ = build_report(app)   # built before the photo's practice was published

    practice_id = create_practice(app, TENANT_A)
    _add_photo(app, tenant, practice_id)
    _submit(app, tenant, practice_id)
    decide(app, submission_of(app, TENANT_A, practice_id))
    with app.app_context():
        photo = db.session.execute(select(SubmissionPhoto).options(undefer(SubmissionPhoto.data)).join(
            PracticeSubmission, PracticeSubmission.id == SubmissionPhoto.submission_id)
            .where(PracticeSubmission.institution_id == tenant)).scalar_one()
        photo_pixels, photo_sha256 = _pixels_sha256(photo.data), photo.sha256
    shown_id, shown_pdf, *_ = build_report(app)
    shown_dataset = _row(app, shown_id).dataset
    assert photo_sha256 in str(shown_dataset)
    assert shown_id != untouched_id
    assert photo_pixels in _image_digests(shown_pdf), "the report prints the person's photo"
    assert photo_pixels not in _image_digests(untouched_pdf)
    publish(app, "mopr-kielce", title="Druga praktyka")
    with app.app_context():   # a report of data with the photo, not built yet
        queued_id = do_request_regional_report(db.session.get(Region, "26"), current_quarter(today_in_poland()),
                                               trigger=ReportTrigger.OPERATOR, enqueue=False)[0].id

    consent_id = _photo_consent(app, tenant, client, auth)
    withdrawn = client.post(f"{URL}/privacy/consents/{consent_id}/withdraw",
                            data={"withdrawn_on": today_in_poland().strftime("%d.%m.%Y"), "note": "pisemnie"})
    assert withdrawn.status_code == 302

    row = _row(app, shown_id)
    assert row.pdf is None and row.withdrawn_reason == PHOTO_CONSENT_WITHDRAWN and row.withdrawn_at is not None
    assert photo_sha256 not in str(row.dataset), "its stored data forgets the photo (its caption may name them)"
    assert [p["published_id"] for p in row.dataset["practices"]] == [p["published_id"] for p in shown_dataset["practices"]]
    with app.app_context():
        assert Job.exists(rebuild_job_id(shown_id), connection=redis_connection()), "its rebuild is queued"
        # Its job lost (Redis away at the withdrawal, or its data gone): the minute's reconciliation queues it again.
        Job.fetch(rebuild_job_id(shown_id), connection=redis_connection()).delete()
        assert do_requeue_missing_rebuilds() == 0, "not before the after-commit job had its chance"
        db.session.execute(update(RegionalReport).where(RegionalReport.id == shown_id)
                           .values(withdrawn_at=datetime.now(UTC) - REBUILD_GRACE - timedelta(seconds=1)))
        db.session.commit()
        assert do_requeue_missing_rebuilds() >= 1
        assert Job.exists(rebuild_job_id(shown_id), connection=redis_connection()), "queued again"
    with app.app_context(), tenant_scope(tenant):
        noted = db.session.execute(select(ChangeRecord).where(ChangeRecord.entity_id == shown_id)).scalar_one()
        assert noted.changes == {"withdrawn_reason": [None, PHOTO_CONSENT_WITHDRAWN]}
    unbuilt = _row(app, queued_id)
    assert unbuilt.withdrawn_at is not None and unbuilt.status is RunStatus.CANCELLED
    with app.app_context():
        assert execute_regional_report(str(queued_id)) == "already done"
    assert _row(app, queued_id).pdf is None, "a build still to come stores no PDF"
    kept = _row(app, untouched_id)
    assert kept.pdf == untouched_pdf and kept.withdrawn_at is None, "a report without the photo stays"

    auth.login_coordinator()
    gone = client.get(f"{REPORTS_URL}/{shown_id}/download")
    assert gone.status_code == 410 and not gone.data.startswith(b"%PDF")
    assert "wycofała zgodę" in visible_text(gone.get_data(as_text=True))
    page = visible_text(client.get(f"{REPORTS_URL}/{shown_id}").get_data(as_text=True))
    assert "wycofała zgodę" in page and "Pobierz PDF" not in page
    assert "PDF wycofany" in visible_text(client.get(f"{REPORTS_URL}/").get_data(as_text=True))
    still = client.get(f"{REPORTS_URL}/{untouched_id}/download")
    assert still.status_code == 200 and still.data == untouched_pdf

    with app.app_context():   # the queued job's work, in process
        rebuilt = do_request_rebuild(shown_id)
        rebuilt_id = rebuilt.id
        assert rebuilt_id not in (shown_id, untouched_id)
        assert rebuilt.trigger is ReportTrigger.WITHDRAWAL
        assert execute_regional_report(str(rebuilt_id)).endswith("pages")
        assert do_request_rebuild(queued_id).id == rebuilt_id, "the same data: one fresh report"
        assert do_request_rebuild(shown_id).id == rebuilt_id, "a second delivery of the job changes nothing"
        Job.fetch(rebuild_job_id(shown_id), connection=redis_connection()).delete()
        do_requeue_missing_rebuilds()
        assert not Job.exists(rebuild_job_id(shown_id), connection=redis_connection()), "replaced: not queued again"
    fresh = _row(app, rebuilt_id)
    assert fresh.status is RunStatus.DONE and fresh.pdf.startswith(b"%PDF")
    assert photo_pixels not in _image_digests(fresh.pdf), "the rebuilt report is without the photo"
    assert len(_image_digests(fresh.pdf)) == len(_image_digests(shown_pdf)) - 1
    assert photo_sha256 not in str(fresh.dataset), "nor does its data name the photo"
    assert client.get(f"{REPORTS_URL}/{rebuilt_id}/download").status_code == 200
    replaced = client.get(f"{REPORTS_URL}/{shown_id}").get_data(as_text=True)
    assert f'href="{REPORTS_URL}/{rebuilt_id}"' in replaced, "the withdrawn report links the one in its place"
