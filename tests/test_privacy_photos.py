"""A photo of a person is used while their consent to a photo holds: withdrawing it takes the photo
out of the practice and out of the region's catalogue copies (the next report is without it)."""
from datetime import date

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.practices.models import PracticeSubmission, SubmissionPhoto
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.practices.models import PracticePhoto
from regionet.tenants.privacy.models import Consent, ConsentBasis, ConsentPurpose

from .helpers import visible_text
from .participant_helpers import add_participant
from .practices_support import clean_region_tables, create_practice, decide, submission_of  # noqa: F401 (fixture)
from .route_world import _add_photo, _submit
from .test_isolation import TENANT_A, _institution_id

URL = f"/i/{TENANT_A}"


def _count(app, tenant, statement) -> int:
    with app.app_context(), tenant_scope(tenant):
        return db.session.execute(statement).scalar_one()


def test_withdrawing_the_photo_consent_takes_the_photo_out_of_the_catalogue(app, client, auth):
    tenant = _institution_id(app, TENANT_A)
    practice_id = create_practice(app, TENANT_A)
    _add_photo(app, tenant, practice_id)
    _submit(app, tenant, practice_id)
    decide(app, submission_of(app, TENANT_A, practice_id))
    region_copies = (select(func.count()).select_from(SubmissionPhoto).join(
        PracticeSubmission, PracticeSubmission.id == SubmissionPhoto.submission_id)
        .where(PracticeSubmission.institution_id == tenant))
    assert _count(app, tenant, region_copies) == 1
    person = add_participant(app, first_name="Felicja", last_name="Fotogeniczna")
    with app.app_context(), tenant_scope(tenant):
        photo_id = db.session.execute(select(PracticePhoto.id)).scalar_one()
    auth.login_as(TENANT_A, "staff")
    page = f"{URL}/privacy/people/{person.id}"
    refused = client.post(f"{page}/photos", data={"photo_id": str(photo_id)})
    assert refused.status_code == 422
    assert "Najpierw zapisz zgodę osoby na zdjęcie." in visible_text(refused.get_data(as_text=True))
    with app.app_context(), tenant_scope(tenant):
        db.session.add(Consent(participant_id=person.id, purpose=ConsentPurpose.PHOTO, basis=ConsentBasis.CONSENT,
                               given_on=date(2025, 5, 1)))
        db.session.commit()
        consent_id = db.session.execute(select(Consent.id)).scalar_one()
    assert client.post(f"{page}/photos", data={"photo_id": str(photo_id)}).status_code == 302
    assert "Spotkanie klubu" in visible_text(client.get(page).get_data(as_text=True))

    withdrawn = client.post(f"{URL}/privacy/consents/{consent_id}/withdraw",
                            data={"withdrawn_on": today_in_poland().strftime("%d.%m.%Y"), "note": "pisemnie"})
    assert withdrawn.status_code == 302
    assert _count(app, tenant, region_copies) == 0, "the catalogue's copy of the photo is gone"
    assert _count(app, tenant, select(func.count()).select_from(PracticePhoto)) == 0
    assert "Spotkanie klubu" not in visible_text(client.get(page).get_data(as_text=True))
