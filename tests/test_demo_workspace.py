"""The demo seed gives every demo institution real-looking work: projects, people, support, outcomes,
partners and agreements."""
import io
from collections import Counter
from decimal import Decimal

from pypdf import PdfReader
from sqlalchemy import func, select
from stdnum.pl import nip as nip_number
from stdnum.pl import pesel as pesel_number

from regionet.platform.demo.partners import do_seed_demo_partners
from regionet.platform.demo.seed import DEMO_INSTITUTIONS
from regionet.platform.demo.workspace import AREAS, do_seed_demo_workspaces
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.participants.models import Participant, Sex
from regionet.tenants.partners.models import Agreement, PartnerKind, PartnerOrganisation
from regionet.tenants.partners.validity import AgreementStatus, days_left, status_on
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment, Outcome, SupportEpisode

from .test_isolation import _institution_id


def _seed(app):
    with app.app_context():
        return do_seed_demo_workspaces(today_in_poland())


def test_every_demo_institution_gets_projects_people_support_and_outcomes(app):
    created = _seed(app)
    assert len(created) >= 7
    for spec in DEMO_INSTITUTIONS:
        with app.app_context(), tenant_scope(_institution_id(app, spec.slug)):
            counts = {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
                      for model in (Project, Participant, Enrolment, SupportEpisode, Outcome)}
            assert counts["Project"] >= 1 and counts["Participant"] >= 18, (spec.slug, counts)
            assert counts["Enrolment"] >= counts["Participant"] and counts["SupportEpisode"] >= counts["Enrolment"]
            assert counts["Outcome"] >= 3, (spec.slug, counts)
            for person in db.session.execute(select(Participant)).scalars():
                assert pesel_number.is_valid(person.pesel)
                assert pesel_number.get_birth_date(person.pesel) == person.birth_date
                assert (pesel_number.get_gender(person.pesel) == "F") == (person.sex is Sex.FEMALE)
                assert person.commune_code.startswith(AREAS[spec.slug]) and person.pseudonym
            for enrolment in db.session.execute(select(Enrolment)).scalars():
                project = enrolment.project
                assert project.start_date <= enrolment.entry_date <= project.end_date
                assert enrolment.exit_date is None or enrolment.entry_date <= enrolment.exit_date <= today_in_poland()
                for episode in enrolment.episodes:
                    assert enrolment.entry_date <= episode.start_date <= today_in_poland()
                for outcome in enrolment.outcomes:
                    assert enrolment.entry_date <= outcome.achieved_on <= today_in_poland()


def test_nowe_szanse_budget_and_people_known_to_both_mops_and_pup(app):
    _seed(app)
    pseudonyms = {}
    for slug in ("mops-skarzysko-kamienna", "pup-skarzysko-kamienna"):
        with app.app_context(), tenant_scope(_institution_id(app, slug)):
            pseudonyms[slug] = set(db.session.execute(select(Participant.pseudonym)).scalars())
            if slug == "mops-skarzysko-kamienna":
                project = db.session.execute(select(Project).where(Project.title == "Nowe Szanse w MOPS")).scalar_one()
                assert (project.budget_total, project.eu_cofinancing) == (Decimal("904150.00"), Decimal("876150.00"))
                assert project.funding_source == "pokl-7.1.1"
                assert [p.name for p in project.partners] == ["Powiatowy Urząd Pracy w Skarżysku-Kamiennej"]
    shared = pseudonyms["mops-skarzysko-kamienna"] & pseudonyms["pup-skarzysko-kamienna"]
    assert len(shared) == 8


def test_seeding_twice_adds_nothing(app):
    _seed(app)

    def counts():
        result = Counter()
        for spec in DEMO_INSTITUTIONS:
            with app.app_context(), tenant_scope(_institution_id(app, spec.slug)):
                for model in (Project, Participant, Enrolment, SupportEpisode, Outcome):
                    result[model.__name__] += db.session.execute(select(func.count()).select_from(model)).scalar_one()
        return result

    before = counts()
    assert _seed(app) == []
    assert counts() == before


def test_every_demo_institution_gets_partners_and_signed_agreements(app, client, auth):
    today = today_in_poland()
    with app.app_context():
        do_seed_demo_workspaces(today)
        created = do_seed_demo_partners(today)
        assert do_seed_demo_partners(today) == []  # a second run adds nothing
    assert len(created) == len(DEMO_INSTITUTIONS)
    for spec in DEMO_INSTITUTIONS:
        with app.app_context(), tenant_scope(_institution_id(app, spec.slug)):
            partners = db.session.execute(select(PartnerOrganisation)).scalars().all()
            outside = [p for p in partners if p.kind is not PartnerKind.PLATFORM_INSTITUTION]
            assert outside and all(nip_number.is_valid(p.nip) and p.address and p.contact_person for p in outside)
            agreements = db.session.execute(select(Agreement)).scalars().all()
            assert len(agreements) >= 2, spec.slug
            for agreement in agreements:
                assert agreement.parties and agreement.document.content_type == "application/pdf"
                text = " ".join(PdfReader(io.BytesIO(agreement.document.data)).pages[0].extract_text().split())
                assert agreement.number in text and agreement.title in text
                assert agreement.signed_on <= today
    mops = _institution_id(app, "mops-skarzysko-kamienna")
    with app.app_context(), tenant_scope(mops):
        # Its own records (it also sees those of other institutions that name it as a party).
        agreements = db.session.execute(select(Agreement).where(Agreement.tenant_id == mops)).scalars().all()
        statuses = Counter(status_on(agreement, today) for agreement in agreements)
        assert statuses[AgreementStatus.VALID] == 2 and statuses[AgreementStatus.EXPIRED] == 1
        assert [days_left(a, today) for a in agreements if days_left(a, today) is not None] == [25]
    auth.login_as("gops-blizyn", "staff")
    page = client.get("/i/gops-blizyn/agreements/").get_data(as_text=True)
    assert "Porozumienie o realizacji Programu Aktywizacja i Integracja" in page
    assert "Koło Gospodyń Wiejskich w Bliżynie" in client.get("/i/gops-blizyn/partners/").get_data(as_text=True)
