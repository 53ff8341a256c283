"""Demo good practices, drawn from the source documents, with records behind their figures.

* MOPS Skarżysko-Kamienna with PUP: "Nowe Szanse w MOPS" (PO KL 7.1.1, 2008–2013);
* PUP Skarżysko-Kamienna: the employment pact 50+ of powiat skarżyski (POWER 4.3);
* MOPR Kielce: a social integration club, modelled on the KIS of MOPS Siemianowice
  Śląskie (PO KL 7.2.1, 2013–2015), adapted to the demo region;
* OWES Kielce: a social cooperative employing participants of occupational therapy
  workshops, modelled on "Wspólny Sukces" (Wągrowiec), adapted to the demo region;
* GOPS Bliżyn: a family-assistant practice sent for review (the coordinator's queue).

Each practice is linked to a project whose participants, support and outcomes are
created by records.py like every demo record (a CohortSpec, so that the results are known),
and its results table is computed from those records. Idempotent:
an institution that already has a practice of that title is left alone.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..accounts.models import Membership, MembershipRole, User
from ..extensions import db
from ..institutions.models import Institution
from ..regions.models import Region
from ..tenancy import tenant_scope
from .records import CohortSpec, do_create_project_records, new_project


@dataclass(frozen=True)
class DemoProject:
    code: str
    title: str
    funding_source: str
    start: date
    end: date
    total: str
    eu: str
    cohort: CohortSpec
    targets: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class DemoPractice:
    slug: str
    title: str
    fields: dict
    project: DemoProject
    partners: tuple[tuple[str, str, str], ...] = ()   # (name or platform slug "@slug", kind, role)
    publish: bool = True


DEMO_PRACTICES = (
    DemoPractice(
        slug="mops-skarzysko-kamienna",
        title="Nowe Szanse w MOPS – aktywna integracja we współpracy z Powiatowym Urzędem Pracy",
        fields=dict(
            period_start=date(2008, 1, 1), period_end=date(2013, 12, 31),
            problem="Wysokie i utrwalone bezrobocie wśród klientów pomocy społecznej miasta. Część rodzin korzystała "
                    "z pomocy od lat, a oferta MOPS i PUP nie była ze sobą powiązana.",
            local_figures="Skarżysko-Kamienna, 2008: stopa bezrobocia ok. 26%; ok. 67% zarejestrowanych bezrobotnych "
                          "to osoby długotrwale bezrobotne.",
            target_group_description="Bezrobotni mieszkańcy Skarżyska-Kamiennej będący jednocześnie klientami MOPS "
                                     "i PUP, w większości długotrwale bezrobotni.",
            target_groups=["long_term_unemployed", "social_assistance_clients", "unemployed"],
            instruments=["social_contract", "socially_useful_work", "internship", "vocational_course",
                         "specialist_counselling"],
            cooperation="Od 2010 r. Powiatowy Urząd Pracy był formalnym partnerem projektu. Wspólny zespół MOPS i PUP "
                        "ustalał ścieżki uczestników; kontrakty socjalne łączono z indywidualnymi planami działania. "
                        "Prace społecznie użyteczne i staże organizowano z 27 jednostkami gminnymi i powiatowymi.",
            results_narrative="Sześć edycji projektu. Wspólne działania MOPS i PUP pozwoliły łączyć wsparcie "
                              "socjalne z instrumentami rynku pracy, a część uczestników podjęła zatrudnienie.",
            success_factors="Formalne partnerstwo z PUP; stała współpraca z lokalnymi jednostkami przyjmującymi na "
                            "PSU i staże; działania środowiskowe z mieszkańcami.",
            barriers="Ograniczona liczba miejsc pracy na lokalnym rynku; konieczność corocznego rozliczania edycji.",
            sustainability="Współpraca MOPS i PUP trwa po zakończeniu projektu na podstawie porozumienia.",
            transferability="Model nadaje się dla gmin miejskich z jednym powiatowym urzędem pracy; wymaga "
                            "porozumienia o wymianie informacji o wspólnych klientach.",
            contact_name="Bożena Wiśniewska", contact_email="mops@demo.regionet.example", contact_phone="41 000 00 00"),
        project=DemoProject("POKL.07.01.01-26-014/08", "Nowe Szanse w MOPS", "pokl-7.1.1", date(2008, 1, 1),
                            date(2013, 12, 31), "2450000.00", "2192750.00",
                            CohortSpec(participants=96, women=58, disability=7, long_term_unemployed=64,
                                       aged_50_plus=21, exited=90, employed_within_4_weeks=17, employed_later=6,
                                       qualified=41, independent=12, entry=date(2012, 2, 6), commune_code="2610011",
                                       instruments=(("social_contract", 96), ("socially_useful_work", 38),
                                                    ("internship", 25), ("vocational_course", 41),
                                                    ("specialist_counselling", 60))),
                            targets=(("participants_total", 90), ("employed", 20))),
        partners=(("@pup-skarzysko-kamienna", "platform_institution",
                   "partner formalny od 2010 r.: staże, szkolenia, pośrednictwo pracy"),
                  ("Zespół Placówek Oświatowych nr 4 w Skarżysku-Kamiennej", "school",
                   "miejsce prac społecznie użytecznych"))),
    DemoPractice(
        slug="pup-skarzysko-kamienna",
        title="Pakt Zatrudnieniowy 50+ w powiecie skarżyskim",
        fields=dict(
            period_start=date(2017, 3, 1), period_end=date(2018, 6, 30),
            problem="Bezrobotni po 50. roku życia długo pozostawali bez pracy i rzadko korzystali z ofert urzędu.",
            local_figures="Powiat skarżyski był jednym z pięciu powiatów w Polsce testujących model JOBfirma.",
            target_group_description="Bezrobotni w wieku 50+ zarejestrowani w PUP w Skarżysku-Kamiennej.",
            target_groups=["aged_50_plus", "long_term_unemployed"],
            instruments=["individual_action_plan", "specialist_counselling", "vocational_course", "internship"],
            cooperation="Pakt zatrudnieniowy: partnerska współpraca publicznych i niepublicznych instytucji rynku "
                        "pracy, organizacji pozarządowych i pracodawców, na wzór niemieckich paktów 50+. Rozwiązania "
                        "wypracowała Szczecińska Fundacja Talent – Promocja – Postęp (JOBfirma).",
            results_narrative="Siedem osób udało się zaktywizować zawodowo, a trzy pracują na umowach o pracę. "
                              "Uczestnicy odzyskali wiarę we własne możliwości.",
            success_factors="Symulowana firma (JOBfirma) jako bezpieczne miejsce powrotu do rytmu pracy; "
                            "zaangażowanie pracodawców w pakt.",
            barriers="Mała grupa uczestników; obawy pracodawców przed zatrudnianiem osób 50+.",
            sustainability="Partnerzy paktu spotykają się dalej w ramach grupy tematycznej ROPS.",
            transferability="Do przeniesienia do każdego powiatu; wymaga partnera z doświadczeniem w metodzie "
                            "JOBfirma.",
            contact_name="Agnieszka Buryło", contact_email="pup@demo.regionet.example"),
        project=DemoProject("POWR.04.03.00-00-0050/16", "Pakt Zatrudnieniowy 50+", "power-4.3", date(2017, 3, 1),
                            date(2018, 6, 30), "312000.00", "312000.00",
                            CohortSpec(participants=24, women=11, disability=2, long_term_unemployed=19,
                                       aged_50_plus=24, exited=24, employed_within_4_weeks=2, employed_later=1,
                                       qualified=9, entry=date(2017, 4, 3), commune_code="2610011",
                                       instruments=(("individual_action_plan", 24), ("specialist_counselling", 24),
                                                    ("vocational_course", 9), ("internship", 2))),
                            targets=(("participants_total", 20), ("employed", 5))),
        partners=(("@mops-skarzysko-kamienna", "platform_institution", "rekrutacja klientów pomocy społecznej 50+"),
                  ("Szczecińska Fundacja Talent – Promocja – Postęp", "ngo", "metodyka JOBfirma, szkolenie kadry"),
                  ("Lokalni pracodawcy – sygnatariusze paktu", "employer", "oferty pracy i staży"))),
    DemoPractice(
        slug="mopr-kielce",
        title="Klub Integracji Społecznej: aktywizacja społeczna i zawodowa osób bezrobotnych",
        fields=dict(
            period_start=date(2013, 6, 1), period_end=date(2015, 6, 30),
            problem="Bezrobocie jako trudny, wielowymiarowy problem społeczny wśród klientów ośrodka, w tym osób "
                    "z niepełnosprawnościami.",
            local_figures="Model wzorowany na KIS MOPS w Siemianowicach Śląskich (2013–2015): 219 uczestników, "
                          "w tym 42 osoby z niepełnosprawnościami.",
            target_group_description="Osoby bezrobotne korzystające z pomocy ośrodka, w tym osoby z "
                                     "niepełnosprawnościami; w drugiej edycji więcej osób zgłaszało się z własnej "
                                     "inicjatywy.",
            target_group_size=219,
            target_groups=["unemployed", "people_with_disabilities", "social_assistance_clients", "young_people"],
            instruments=["kis", "vocational_course", "internship", "tutoring", "art_therapy"],
            cooperation="Współpraca z Powiatowym Urzędem Pracy i grupą specjalistów; częste kontakty z uczestnikami "
                        "pozwalały układać plan pracy z odpowiednich instrumentów.",
            results_narrative="Zatrudnienie podjęły 53 osoby (25 w ramach stażu, 28 na umowę o pracę); około 140 "
                              "osób podwyższyło kwalifikacje. Dzieci i młodzież korzystały z korepetycji.",
            success_factors="Pozytywne relacje z uczestnikami; kompleksowe, wielowymiarowe wsparcie.",
            barriers="Finansowanie z EFS tylko do 30 czerwca 2015 r.",
            sustainability="Ośrodek kontynuuje działania z zasobów własnych i innych źródeł.",
            transferability="Klub może prowadzić każdy ośrodek pomocy społecznej w partnerstwie z PUP.",
            contact_name="Ewa Kamińska", contact_email="kis@demo.regionet.example"),
        project=DemoProject("POKL.07.02.01-26-033/13", "Klub Integracji Społecznej", "pokl-7.2.1", date(2013, 6, 1),
                            date(2015, 6, 30), "1180000.00", "1003000.00",
                            CohortSpec(participants=219, women=121, disability=42, long_term_unemployed=150,
                                       aged_50_plus=38, exited=205, employed_within_4_weeks=40, employed_later=13,
                                       qualified=140, independent=21, entry=date(2013, 9, 2), commune_code="2661011",
                                       instruments=(("kis", 219), ("vocational_course", 140), ("internship", 25),
                                                    ("tutoring", 30), ("art_therapy", 2))),
                            targets=(("participants_total", 200), ("employed", 50), ("qualified", 120))),
        partners=(("Powiatowy Urząd Pracy w Kielcach", "public_institution", "staże i oferty pracy"),)),
    DemoPractice(
        slug="owes-kielce",
        title="Spółdzielnia socjalna jako miejsce pracy uczestników warsztatów terapii zajęciowej",
        fields=dict(
            period_start=date(2019, 1, 1), period_end=None,
            problem="Mniej niż 2% uczestników warsztatów terapii zajęciowej podejmuje co roku pracę (NIK).",
            local_figures="Model wzorowany na Spółdzielni Socjalnej „Wspólny Sukces” (Wągrowiec), założonej przez "
                          "gminę i powiat z organizacją pozarządową.",
            target_group_description="Uczestnicy warsztatów terapii zajęciowej gotowi do podjęcia pracy.",
            target_group_size=9,
            target_groups=["workshop_participants", "people_with_disabilities"],
            instruments=["vocational_course", "specialist_counselling", "other"],
            cooperation="Spółdzielnię socjalną osób prawnych założyły gmina i stowarzyszenie prowadzące WTZ; OWES "
                          "wspierał założenie, dotację na miejsca pracy i doradztwo biznesowe. Stały partner "
                          "biznesowy zleca przygotowanie półproduktów.",
            results_narrative="Uczestnicy przeszli szkolenie BHP i uzyskali zdolność do pracy. Spółdzielnia "
                              "pielęgnuje tereny zielone, sprząta i wykonuje drobne remonty.",
            success_factors="Założyciele z sektora publicznego i pozarządowego; stały odbiorca usług.",
            barriers="Niewielka skala; zależność od zamówień jednego partnera.",
            sustainability="Spółdzielnia działa na rynku i ma status przedsiębiorstwa społecznego.",
            transferability="Do powtórzenia przez gminy prowadzące lub finansujące WTZ.",
            contact_name="Małgorzata Nowak", contact_email="owes@demo.regionet.example"),
        project=DemoProject("RPSW.09.03.00-26-0011/19", "Wsparcie spółdzielni socjalnej WTZ", "rpo-ws-2014-2020",
                            date(2019, 1, 1), date(2021, 12, 31), "420000.00", "357000.00",
                            CohortSpec(participants=9, women=4, disability=9, aged_50_plus=1, exited=6,
                                       employed_within_4_weeks=5, qualified=9, entry=date(2019, 3, 4),
                                       commune_code="2610022",
                                       instruments=(("vocational_course", 9), ("specialist_counselling", 9))),
                            targets=(("employed", 6),)),
        partners=(("@gops-blizyn", "platform_institution", "współzałożyciel spółdzielni"),
                  ("Stowarzyszenie na rzecz Osób Niepełnosprawnych „Razem”", "ngo",
                   "współzałożyciel, prowadzi warsztaty terapii zajęciowej"),
                  ("Zakład produkcyjny – stały partner biznesowy", "employer", "zlecenia na półprodukty"))),
    DemoPractice(
        slug="gops-blizyn",
        title="Asystent rodziny w gminie wiejskiej",
        fields=dict(
            period_start=date(2021, 1, 1), period_end=None,
            problem="Rodziny z dziećmi w trudnej sytuacji, daleko od instytucji wsparcia.",
            target_group_description="Rodziny z dziećmi objęte pracą socjalną.",
            target_groups=["families"], instruments=["family_assistant", "specialist_counselling"],
            cooperation="Asystent rodziny współpracuje ze szkołami i z PCPR.",
            results_narrative="Rodziny objęte wsparciem asystenta częściej kończą korzystanie z pomocy.",
            contact_name="Anna Lewandowska", contact_email="gops@demo.regionet.example"),
        project=DemoProject("GOPS-AR-2021", "Asystent rodziny", "own", date(2021, 1, 1), date(2026, 12, 31),
                            "180000.00", "0.00",
                            CohortSpec(participants=14, women=9, exited=8, independent=4, entry=date(2021, 2, 1),
                                       commune_code="2610022", instruments=(("family_assistant", 14),))),
        publish=False),
)


def _admin_of(institution: Institution) -> User:
    return db.session.execute(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.institution_id == institution.id, Membership.role == MembershipRole.ADMIN)
        .order_by(User.id)).scalars().first()


def do_seed_demo_practices(region: Region, coordinator: User) -> list[str]:
    """Create the demo practices that are missing; return a line per practice created."""
    from regionet.platform.practices.services import do_decide
    from regionet.tenants.partners.models import PartnerKind, PartnerOrganisation
    from regionet.tenants.practices.models import PracticeVersion
    from regionet.tenants.practices.services import PracticeInput, do_create_practice, do_submit
    from regionet.tenants.projects.models import Project

    created = []
    institutions = {i.slug: i for i in db.session.execute(select(Institution)).scalars()}
    for spec in DEMO_PRACTICES:
        institution = institutions[spec.slug]
        with tenant_scope(institution.id):
            exists = db.session.execute(select(PracticeVersion.id).where(
                PracticeVersion.title == spec.title).limit(1)).scalar()
            if exists is not None:
                continue
            p = spec.project
            project = db.session.execute(select(Project).where(Project.code == p.code)).scalar_one_or_none()
            if project is None:
                project = new_project(code=p.code, title=p.title, funding_source=p.funding_source, start=p.start,
                                      end=p.end, budget=p.total, eu=p.eu, targets=dict(p.targets))
                db.session.add(project)
                db.session.flush()
                do_create_project_records(project, p.cohort, seed=len(spec.slug))
            partners = []
            for name, kind, role in spec.partners:
                other = institutions.get(name[1:]) if name.startswith("@") else None
                partner_name = other.name if other else name
                partner = db.session.execute(select(PartnerOrganisation).where(
                    PartnerOrganisation.name == partner_name)).scalar_one_or_none()
                if partner is None:
                    partner = PartnerOrganisation(name=partner_name, kind=PartnerKind(kind),
                                                  institution_id=other.id if other else None)
                    db.session.add(partner)
                    db.session.flush()
                partners.append((partner.id, role))
            total, eu = Decimal(p.total), Decimal(p.eu)
            values = dict(spec.fields, title=spec.title, project_id=project.id, funding_source=p.funding_source,
                          funding_total=total, funding_eu=eu, funding_own=total - eu)
            practice = do_create_practice(PracticeInput(values=values, partners=partners), None)
            do_submit(practice, institution, _admin_of(institution))
            submission_id = practice.submitted.submission_id
        if spec.publish:
            do_decide(submission_id, region, coordinator, approve=True, comment=None)
        db.session.commit()
        created.append(f"practice {spec.slug}: {spec.title}")
    return created
