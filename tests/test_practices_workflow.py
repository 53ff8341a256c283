"""Good practices through their life: draft, submission, review, publication, new versions.

PostgreSQL, real HTTP requests of the institution's staff and of the regional coordinator.
"""
import html
import re
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text

from regionet.platform.demo.records import CohortSpec
from regionet.platform.extensions import db
from regionet.platform.practices.models import PracticeSubmission, PublishedPractice, SubmissionStatus
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.practices.models import Practice, PracticeVersion, VersionState

from .helpers import visible_text
from .practices_support import (
    clean_region_tables,  # noqa: F401  (an autouse fixture)
    configured,
    create_practice,
    decide,
    institution_id,
    make_project,  # noqa: F401  (fixture)
    publish,
    submission_of,
)

MOPS = "mops-skarzysko-kamienna"
OWES = "owes-kielce"
REGION = "/r/swietokrzyskie/practices"


def page_text(response) -> str:
    """The text a reader sees (entities decoded, non-breaking spaces as spaces)."""
    return html.unescape(visible_text(response.get_data(as_text=True))).replace("\xa0", " ")


def form_data(**changes) -> dict:
    data = {
        "title": "Nowe Szanse w MOPS", "period_start": "2008-01-01", "period_end": "2013-12-31",
        "problem": "Wysokie bezrobocie wśród klientów pomocy społecznej.",
        "local_figures": "Bezrobocie ok. 26%, z czego 67% długotrwale.",
        "target_group_description": "Bezrobotni klienci MOPS i PUP.", "target_group_size": "120",
        "target_groups": ["long_term_unemployed", "social_assistance_clients"],
        "instruments": ["social_contract", "internship"],
        "cooperation": "Porozumienie MOPS–PUP, wspólny zespół.", "funding_source": "pokl-7.1.1",
        "funding_total": "904 150,00", "funding_eu": "876 150,00 zł", "funding_own": "28000",
        "results_narrative": "Część uczestników podjęła pracę.", "contact_name": "Bożena Wiśniewska",
        "contact_email": "mops@example.org", "new_partner_kind": "ngo", "action": "save",
    }
    data.update(changes)
    return data


def practice_rows(app, slug):
    with app.app_context(), tenant_scope(institution_id(app, slug)):
        return db.session.execute(select(func.count()).select_from(Practice)).scalar_one()


def version_states(practice_id) -> dict:
    return dict(db.session.execute(select(PracticeVersion.number, PracticeVersion.state).where(
        PracticeVersion.practice_id == practice_id)).all())


def published_titles(client, slug=OWES) -> list[str]:
    page = client.get(f"/i/{slug}/catalogue/").get_data(as_text=True)
    return re.findall(r'<td><a href="/i/[^/]+/catalogue/[0-9a-f-]+">([^<]+)</a></td>', page)


def test_a_returned_revision_keeps_the_published_version_and_approval_replaces_it(app, client, auth):
    project_id = make_project(app, MOPS, CohortSpec(participants=12, women=2, disability=4, exited=10,
                                                    employed_within_4_weeks=5, instruments=(("internship", 12),)))
    auth.login_as(MOPS, "staff")
    created = client.post(f"/i/{MOPS}/practices/new", data=form_data(project_id=str(project_id),
                                                                     new_partner_institution=str(
                                                                         institution_id(app, "pup-skarzysko-kamienna")),
                                                                     new_partner_role="staże i szkolenia",
                                                                     action="submit"))
    assert created.status_code == 302, visible_text(created.get_data(as_text=True))[:1500]
    practice_url = created.location
    detail = page_text(client.get(practice_url))
    assert "Wysłana do weryfikacji" in detail and "904 150,00 zł" in detail
    assert "Powiatowy Urząd Pracy w Skarżysku-Kamiennej" in detail and "staże i szkolenia" in detail

    # the coordinator sees the submission: its text and suppressed figures, never a person
    auth.logout()
    auth.login_coordinator()
    queue = client.get(f"{REGION}/").get_data(as_text=True)
    review_url = re.search(rf'href="({REGION}/submissions/[0-9a-f-]+)">Nowe Szanse w MOPS<', queue).group(1)
    review = page_text(client.get(review_url))
    assert "Wysokie bezrobocie" in review and "Uczestnicy 12" in review
    assert "Uczestnicy: kobiety x" in review and "Uczestnicy z niepełnosprawnościami x" in review
    assert "Tajemnica statystyczna (dane wrażliwe): liczby mniejsze niż 5" in review
    assert "Anna" not in review and "Testowa" not in review and "Kowalczyk" not in review
    # returning without a comment is refused, next to the comment field
    refused = client.post(review_url, data={"decision": "return", "comment": ""})
    assert refused.status_code == 422
    assert "Napisz, co instytucja powinna zmienić." in page_text(refused)
    assert client.post(review_url, data={"decision": "approve", "comment": ""}).status_code == 302

    # published: every institution of the region finds it in the catalogue
    auth.logout()
    auth.login_as(OWES)
    assert published_titles(client) == ["Nowe Szanse w MOPS"]

    # the institution edits a new version; the coordinator returns it with a comment
    auth.logout()
    auth.login_as(MOPS, "staff")
    practice_id = uuid.UUID(practice_url.rstrip("/").rsplit("/", 1)[1])
    assert client.post(f"/i/{MOPS}/practices/{practice_id}/new-version").status_code == 302
    saved = client.post(f"/i/{MOPS}/practices/{practice_id}/edit",
                        data=form_data(title="Nowe Szanse w MOPS – wersja rozszerzona", project_id=str(project_id),
                                       action="submit"))
    assert saved.status_code == 302
    sub_v2 = submission_of(app, MOPS, practice_id)
    decide(app, sub_v2, approve=False, comment="Proszę uzupełnić opis barier.")
    detail = page_text(client.get(practice_url))
    assert "Zwrócona do poprawy" in detail and "Proszę uzupełnić opis barier." in detail
    auth.logout()
    auth.login_as(OWES)
    assert published_titles(client) == ["Nowe Szanse w MOPS"], "the published version stays as approved"
    with app.app_context(), tenant_scope(institution_id(app, MOPS)):
        states = version_states(practice_id)
        v1 = db.session.execute(select(PracticeVersion).where(PracticeVersion.practice_id == practice_id,
                                                              PracticeVersion.number == 1)).scalar_one()
        assert (v1.title, v1.funding_own) == ("Nowe Szanse w MOPS", 28000)
    assert states == {1: VersionState.PUBLISHED, 2: VersionState.RETURNED}

    # resubmission (version 3, continued from the returned one) and approval replace it
    auth.logout()
    auth.login_as(MOPS, "staff")
    client.post(f"/i/{MOPS}/practices/{practice_id}/new-version")
    edit_page = client.get(f"/i/{MOPS}/practices/{practice_id}/edit").get_data(as_text=True)
    assert "wersja rozszerzona" in edit_page and "Proszę uzupełnić opis barier." in edit_page
    client.post(f"/i/{MOPS}/practices/{practice_id}/edit",
                data=form_data(title="Nowe Szanse w MOPS – wersja rozszerzona", barriers="Mało miejsc pracy.",
                               project_id=str(project_id), action="submit"))
    decide(app, submission_of(app, MOPS, practice_id))
    auth.logout()
    auth.login_as(OWES)
    assert published_titles(client) == ["Nowe Szanse w MOPS – wersja rozszerzona"]
    with app.app_context():
        entries = db.session.execute(select(PublishedPractice)).scalars().all()
        assert len(entries) == 1 and entries[0].version_number == 3
        statuses = sorted(s.value for s in db.session.execute(select(PracticeSubmission.status)).scalars())
    assert statuses == ["approved", "approved", "returned"]
    with app.app_context(), tenant_scope(institution_id(app, MOPS)):
        states = version_states(practice_id)
    assert states == {1: VersionState.SUPERSEDED, 2: VersionState.RETURNED, 3: VersionState.PUBLISHED}


def test_amounts_that_do_not_add_up_are_refused_and_what_was_typed_is_kept(app, client, auth):
    auth.login_as(MOPS, "staff")
    before = practice_rows(app, MOPS)
    response = client.post(f"/i/{MOPS}/practices/new", data=form_data(funding_own="20 000,00"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(r'<p class="field__error" id="funding_own-error">(.*?)</p>', html, re.S).group(1)
    assert "muszą sumować się do kwoty ogółem" in error.replace("\xa0", " ")
    assert 'value="20 000,00"' in html and 'value="876 150,00 zł"' in html and "Nowe Szanse w MOPS" in html
    bad = client.post(f"/i/{MOPS}/practices/new", data=form_data(funding_total="dużo"))
    assert "Podaj kwotę w złotych, np. 904 150,00." in page_text(bad)
    assert practice_rows(app, MOPS) == before, "nothing half-written is stored"


def test_a_submission_needs_every_section_and_a_failed_submission_stores_nothing(app, client, auth):
    auth.login_as(MOPS, "staff")
    before = practice_rows(app, MOPS)
    response = client.post(f"/i/{MOPS}/practices/new", data=form_data(problem="", instruments=[], action="submit"))
    assert response.status_code == 422
    text_ = page_text(response)
    assert "Opisz problem, na który odpowiada praktyka." in text_ and "Wybierz co najmniej jeden instrument." in text_
    assert practice_rows(app, MOPS) == before
    # saved as an incomplete draft, it cannot be sent from its page either
    saved = client.post(f"/i/{MOPS}/practices/new", data=form_data(problem=""))
    practice_id = saved.location.rstrip("/").rsplit("/", 1)[1]
    refused = client.post(f"/i/{MOPS}/practices/{practice_id}/submit")
    assert refused.status_code == 422 and "Opisz problem" in page_text(refused)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(PracticeSubmission).where(
            PracticeSubmission.practice_id == uuid.UUID(practice_id))).scalar_one() == 0


def test_withdrawing_a_submission_and_withdrawing_from_the_catalogue(app, client, auth):
    practice_id = create_practice(app, MOPS, submit=True)
    auth.login_as(MOPS, "staff")
    assert client.post(f"/i/{MOPS}/practices/{practice_id}/withdraw").status_code == 302
    with app.app_context():
        assert db.session.execute(select(PracticeSubmission.status)).scalar_one() is SubmissionStatus.WITHDRAWN
    auth.logout()
    auth.login_coordinator()
    assert "Nic nie czeka na weryfikację." in page_text(client.get(f"{REGION}/"))
    _practice, _published = publish(app, OWES)
    auth.logout()
    auth.login_as(OWES, "staff")
    assert client.post(f"/i/{OWES}/practices/{_practice}/unpublish").status_code == 403  # admins only
    auth.logout()
    auth.login_as(OWES)
    assert client.post(f"/i/{OWES}/practices/{_practice}/unpublish").status_code == 302
    assert published_titles(client) == []


def test_the_catalogue_searches_by_text_instrument_institution_type_county_and_target_group(app, client, auth):
    publish(app, MOPS, title="Kontrakt socjalny z PUP", instruments=["social_contract"],
            target_groups=["long_term_unemployed"])
    publish(app, OWES, title="Spółdzielnia socjalna uczestników WTZ", instruments=["vocational_course"],
            target_groups=["workshop_participants"], problem="Uczestnicy warsztatów terapii rzadko pracują.")
    publish(app, "pup-skarzysko-kamienna", title="Pakt 50+", instruments=["internship", "social_contract"],
            target_groups=["aged_50_plus"])
    auth.login_as("gops-blizyn")

    def titles(query):
        page = client.get(f"/i/gops-blizyn/catalogue/?{query}").get_data(as_text=True)
        return sorted(re.findall(r'<td><a href="/i/gops-blizyn/catalogue/[0-9a-f-]+">([^<]+)</a></td>', page))

    assert titles("") == ["Kontrakt socjalny z PUP", "Pakt 50+", "Spółdzielnia socjalna uczestników WTZ"]
    assert titles("q=warsztatów+terapii") == ["Spółdzielnia socjalna uczestników WTZ"]
    assert titles("instrument=social_contract") == ["Kontrakt socjalny z PUP", "Pakt 50+"]
    assert titles("kind=pup") == ["Pakt 50+"]
    assert titles("county=2661") == ["Spółdzielnia socjalna uczestników WTZ"]  # OWES Kielce
    assert titles("county=2610&target_group=aged_50_plus") == ["Pakt 50+"]
    # the coordinator's catalogue filters the same way
    auth.logout()
    auth.login_coordinator()
    page = client.get(f"{REGION}/?instrument=social_contract").get_data(as_text=True)
    assert "Pakt 50+" in page and "Spółdzielnia socjalna uczestników WTZ" not in page


def test_the_catalogue_and_the_review_stay_inside_their_region(app, client, auth, runner):
    from .helpers import fast_password_hashing

    _practice, published_id = publish(app, MOPS, title="Praktyka z regionu 26")
    assert runner.invoke(args=["region", "create", "--teryt", "12"]).exit_code == 0
    assert runner.invoke(args=["institution", "create", "--region", "12", "--kind", "ops", "--teryt", "1261011",
                               "--name", "Miejski Ośrodek Pomocy Społecznej w Krakowie", "--short-name",
                               "MOPS Kraków", "--slug", "mops-krakow"]).exit_code == 0
    with fast_password_hashing():
        for args in (["--institution", "mops-krakow", "--role", "admin"], ["--coordinator-of", "12"]):
            email = f"{args[1]}@krakow.example"
            assert runner.invoke(args=["user", "create", "--email", email, "--name", "Osoba z Krakowa",
                                       "--password", "haslo-krakow-1", *args]).exit_code == 0
    auth.login("mops-krakow@krakow.example", "haslo-krakow-1")
    assert "Praktyka z regionu 26" not in client.get("/i/mops-krakow/catalogue/").get_data(as_text=True)
    assert client.get(f"/i/mops-krakow/catalogue/{published_id}").status_code == 404
    assert client.get(f"/i/mops-krakow/catalogue/{published_id}/photos/0").status_code == 404
    client.post("/logout")
    auth.login("12@krakow.example", "haslo-krakow-1")
    assert client.get(f"{REGION}/").status_code == 404
    assert client.get("/r/swietokrzyskie/reports/").status_code == 404
    with app.app_context():
        submission_id = db.session.execute(select(PracticeSubmission.id)).scalar_one()
    assert client.get(f"/r/malopolskie/practices/submissions/{submission_id}").status_code == 404
    assert client.get(f"/r/malopolskie/practices/published/{published_id}").status_code == 404
    # staff of an institution are not coordinators
    client.post("/logout")
    auth.login_as(MOPS)
    assert client.get(f"{REGION}/").status_code == 404


def test_the_coordinator_role_reads_published_copies_of_its_region_only_and_no_practice_rows(app, pg_database):
    publish(app, MOPS)
    engine = create_engine(pg_database["coordinator"])
    try:
        for table in ("practices", "practice_versions", "practice_photos", "participants", "enrolments"):
            with engine.begin() as conn:
                try:
                    conn.execute(text(f"SELECT count(*) FROM {table}"))
                except Exception as error:  # noqa: BLE001
                    assert "permission denied" in str(error), table
                else:
                    raise AssertionError(f"the coordinator role can read {table}")
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.region_code', '26', true)"))
            assert conn.execute(text("SELECT count(*) FROM published_practices")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM practice_submissions")).scalar_one() == 1
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.region_code', '14', true)"))
            assert conn.execute(text("SELECT count(*) FROM published_practices")).scalar_one() == 0
            assert conn.execute(text("SELECT count(*) FROM published_practice_tags")).scalar_one() == 0
        with engine.begin() as conn:
            try:
                conn.execute(text("DELETE FROM published_practices"))
            except Exception as error:  # noqa: BLE001
                assert "permission denied" in str(error)
            else:
                raise AssertionError("the coordinator role can delete published practices")
    finally:
        engine.dispose()


def _jpeg_with_location() -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (640, 480), (40, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "Aparat Testowy"                       # camera make
    exif[0x8825] = {1: "N", 2: (50.0, 4.0, 0.0), 3: "E", 4: (20.0, 40.0, 0.0)}   # GPS position
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_checked_by_content_stripped_of_metadata_and_published_with_the_entry(app, client, auth):
    import io

    from PIL import Image

    practice_id = create_practice(app, MOPS)
    with app.app_context(), tenant_scope(institution_id(app, MOPS)):
        version_id = db.session.execute(select(PracticeVersion.id).where(
            PracticeVersion.practice_id == practice_id)).scalar_one()
    auth.login_as(MOPS, "staff")
    url = f"/i/{MOPS}/practices/versions/{version_id}/photos"

    def upload(data: bytes, name: str, caption: str = "Spotkanie klubu"):
        return client.post(url, data={"caption": caption, "photo": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    disguised = upload(b"<html>not an image</html>" * 10, "zdjecie.png")
    assert disguised.status_code == 422
    assert "Ten plik nie jest poprawnym obrazem JPEG ani PNG." in page_text(disguised)
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    assert "Można dodawać tylko zdjęcia JPEG i PNG." in page_text(upload(gif.getvalue(), "a.jpg"))
    with configured(app, PRACTICE_PHOTO_MAX_BYTES=1024):
        too_big = upload(_jpeg_with_location() + b"\0" * 2048, "duze.jpg")
    assert "Zdjęcie jest większe niż" in page_text(too_big)
    no_caption = upload(_jpeg_with_location(), "ok.jpg", caption="")
    assert "Opisz, co przedstawia zdjęcie" in page_text(no_caption)
    assert upload(_jpeg_with_location(), "ok.jpg").status_code == 302
    with app.app_context(), tenant_scope(institution_id(app, MOPS)):
        photo_id = db.session.execute(select(PracticeVersion).where(
            PracticeVersion.id == version_id)).scalar_one().photos[0].id
    served = client.get(f"/i/{MOPS}/practices/photos/{photo_id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    kept = Image.open(io.BytesIO(served.data))
    assert kept.size == (640, 480) and not kept.getexif(), "camera and GPS data are removed"

    # submitted and approved, the photo goes with the entry: the coordinator and the catalogue show it
    assert client.post(f"/i/{MOPS}/practices/{practice_id}/submit").status_code == 302
    submission_id = submission_of(app, MOPS, practice_id)
    auth.logout()
    auth.login_coordinator()
    assert client.get(f"{REGION}/submissions/{submission_id}/photos/0").data == served.data
    decide(app, submission_id)
    auth.logout()
    auth.login_as(OWES)
    with app.app_context():
        published_id = db.session.execute(select(PublishedPractice.id)).scalar_one()
    entry = client.get(f"/i/{OWES}/catalogue/{published_id}").get_data(as_text=True)
    assert f'src="/i/{OWES}/catalogue/{published_id}/photos/0" alt="Spotkanie klubu"' in entry
    assert client.get(f"/i/{OWES}/catalogue/{published_id}/photos/0").data == served.data
    # a frozen version's photos cannot be removed
    auth.logout()
    auth.login_as(MOPS, "staff")
    client.post(f"/i/{MOPS}/practices/photos/{photo_id}/delete")
    assert client.get(f"/i/{MOPS}/practices/photos/{photo_id}").status_code == 200



def test_a_partner_typed_into_a_practice_is_created_by_the_partners_service(app):
    from regionet.platform.validation import ValidationFailed
    from regionet.tenants.partners.models import PartnerKind, PartnerOrganisation
    from regionet.tenants.practices.services import NewPartner, PracticeInput, do_create_practice

    from .factories import practice_version

    fields = ("title", "period_start", "problem", "target_group_description", "instruments", "contact_name",
              "contact_email", "results_narrative")
    values = {name: getattr(practice_version(), name) for name in fields} | {"project_id": None}
    pup = institution_id(app, "pup-skarzysko-kamienna")
    with app.app_context(), tenant_scope(institution_id(app, "mops-skarzysko-kamienna")):
        for _twice in range(2):
            do_create_practice(PracticeInput(values=values, partners=[], new_partner=NewPartner(
                name="", kind=PartnerKind.PLATFORM_INSTITUTION, institution_id=pup, role="staże")), None)
        partners = db.session.execute(select(PartnerOrganisation).where(
            PartnerOrganisation.institution_id == pup)).scalars().all()
        assert len(partners) == 1, "an institution that already is a partner is reused"
        assert partners[0].name == "Powiatowy Urząd Pracy w Skarżysku-Kamiennej"
        # the partners' own rules apply, reported next to the practice form's fields
        with pytest.raises(ValidationFailed) as failure:
            do_create_practice(PracticeInput(values=values, partners=[], new_partner=NewPartner(
                name="Fundacja", kind=PartnerKind.PLATFORM_INSTITUTION, institution_id=None, role=None)), None)
        assert set(failure.value.errors) == {"new_partner_kind"}
        db.session.rollback()
