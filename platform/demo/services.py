"""The demo region's services catalogue: what each of its five institutions offers to the others'
clients (the PUP's forms of activation, the MOPS's social work and PAI, the OWES's advice and grants,
the KIS's workshops at the MOPR, the GOPS's social contract)."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..institutions.models import Institution
from ..tenancy import tenant_scope

UZS_ART_12 = "art. 12 ustawy z dnia 13 czerwca 2003 r. o zatrudnieniu socjalnym"
UPS_ART_108 = "art. 108 ustawy z dnia 12 marca 2004 r. o pomocy społecznej"
RYNEK_PRACY = "ustawa z dnia 20 marca 2025 r. o rynku pracy i służbach zatrudnienia"


@dataclass(frozen=True)
class DemoService:
    name: str
    service_type: str
    description: str
    eligibility: str
    location: str
    address: str
    schedule: str
    contact: str
    phone: str
    email: str
    basis: str = "consent"
    legal_reference: str | None = None
    data_set: tuple[str, ...] = ("name", "contact")
    areas: tuple[str, ...] = ()
    documents: str | None = None
    capacity: int | None = None
    waiting_days: int | None = None
    accept_days: int = 7
    ages: tuple[int | None, int | None] = (18, None)
    accepts: bool = True
    extra: dict = field(default_factory=dict)


PUP_ADDRESS = "ul. Konopnickiej 2, 26-110 Skarżysko-Kamienna"
DEMO_SERVICES = {
    "pup-skarzysko-kamienna": (
        DemoService("Staż u pracodawcy", "internship",
                    "Staż do 6 miesięcy u pracodawcy z powiatu skarżyskiego, ze stypendium stażowym; po stażu "
                    "pracodawca deklaruje zatrudnienie.", "Osoby bezrobotne zarejestrowane w PUP.",
                    "Dział Aktywizacji PUP", PUP_ADDRESS, "pon.–pt. 7:30–15:30", "Dział Aktywizacji",
                    "+48 41 252 49 00", "aktywizacja@pup-skarzysko.example.pl", "statute", RYNEK_PRACY,
                    ("name", "pesel", "contact", "labour_status"), ("2610",), "dowód osobisty", 40, 21, 7),
        DemoService("Szkolenie zawodowe (bon szkoleniowy)", "training_voucher",
                    "Bon na szkolenie wybrane przez osobę bezrobotną, z uzasadnieniem celowości szkolenia.",
                    "Osoby bezrobotne do 30. roku życia i długotrwale bezrobotne.", "Dział Aktywizacji PUP",
                    PUP_ADDRESS, "pon.–pt. 7:30–15:30", "Dział Aktywizacji", "+48 41 252 49 10",
                    "szkolenia@pup-skarzysko.example.pl", "statute", RYNEK_PRACY,
                    ("name", "pesel", "contact", "labour_status"), ("2610",), "dowód osobisty", 25, 30, 10),
        DemoService("Pośrednictwo pracy i poradnictwo zawodowe", "job_placement",
                    "Oferty pracy z regionu, rozmowa z doradcą zawodowym, indywidualny plan działania (IPD).",
                    "Osoby bezrobotne i poszukujące pracy.", "Centrum Aktywizacji Zawodowej", PUP_ADDRESS,
                    "pon.–pt. 7:30–15:30", "Centrum Aktywizacji Zawodowej", "+48 41 252 49 20",
                    "cazp@pup-skarzysko.example.pl", "statute", RYNEK_PRACY, ("name", "pesel", "contact"),
                    ("2610",), None, None, 3, 5),
    ),
    "mops-skarzysko-kamienna": (
        DemoService("Praca socjalna i kontrakt socjalny", "social_work",
                    "Praca socjalna z osobą i rodziną, kontrakt socjalny z celami, zobowiązaniami i terminami.",
                    "Mieszkańcy Skarżyska-Kamiennej w trudnej sytuacji życiowej.", "MOPS, Dział Pomocy Środowiskowej",
                    "ul. Słowackiego 25, 26-110 Skarżysko-Kamienna", "pon.–pt. 7:30–15:30",
                    "Dział Pomocy Środowiskowej", "+48 41 253 11 46", "pomoc@mops-skarzysko.example.pl",
                    "statute", UPS_ART_108, ("name", "pesel", "address", "contact"), ("2610011",), None, None, 7, 5),
        DemoService("Program Aktywizacja i Integracja (PAI)", "activation_programme",
                    "Prace społecznie użyteczne do 10 godzin tygodniowo i warsztaty integracyjne, prowadzone z PUP.",
                    "Osoby bezrobotne bez prawa do zasiłku, korzystające z pomocy społecznej, z kontraktem socjalnym.",
                    "MOPS, sala szkoleniowa", "ul. Słowackiego 25, 26-110 Skarżysko-Kamienna", "wt. i czw. 9:00–13:00",
                    "Koordynator PAI", "+48 41 253 11 50", "pai@mops-skarzysko.example.pl", "consent", None,
                    ("name", "contact", "eligibility"), ("2610011",), "kontrakt socjalny", 15, 30, 7),
    ),
    "gops-blizyn": (
        DemoService("Kontrakt socjalny i asystent rodziny", "family_assistant",
                    "Asystent rodziny pracuje z rodziną w domu; kontrakt socjalny określa cele i terminy.",
                    "Rodziny z gminy Bliżyn przeżywające trudności opiekuńczo-wychowawcze.", "GOPS Bliżyn",
                    "ul. Kościelna 79, 26-120 Bliżyn", "pon.–pt. 7:30–15:30", "Sekretariat GOPS",
                    "+48 41 254 10 17", "gops@blizyn.example.pl", "statute", UPS_ART_108,
                    ("name", "address", "contact"), ("2610022",), None, 12, 14, 7),
    ),
    "owes-kielce": (
        DemoService("Doradztwo dla zakładających spółdzielnię socjalną", "social_enterprise_advice",
                    "Doradztwo prawne, księgowe i biznesowe, biznesplan, pomoc w rejestracji w KRS.",
                    "Osoby zagrożone wykluczeniem i grupy inicjatywne.", "OWES Kielce", "ul. Paderewskiego 3, 25-004 Kielce",
                    "pon.–pt. 9:00–17:00", "Zespół doradców", "+48 41 344 55 66", "doradcy@owes-kielce.example.pl",
                    "consent", None, ("name", "contact", "eligibility"), (), None, 30, 10, 10),
        DemoService("Dotacja na utworzenie miejsca pracy w przedsiębiorstwie społecznym", "social_enterprise_grant",
                    "Dotacja na miejsce pracy dla osoby zagrożonej wykluczeniem i wsparcie pomostowe.",
                    "Osoby zagrożone ubóstwem lub wykluczeniem społecznym (zaświadczenie z OPS, PUP lub PCPR).",
                    "OWES Kielce", "ul. Paderewskiego 3, 25-004 Kielce", "pon.–pt. 9:00–17:00", "Zespół dotacji",
                    "+48 41 344 55 70", "dotacje@owes-kielce.example.pl", "consent", None,
                    ("name", "contact", "eligibility"), (), "zaświadczenie o statusie osoby zagrożonej wykluczeniem",
                    12, 45, 14),
    ),
    "mopr-kielce": (
        DemoService("Warsztaty Klubu Integracji Społecznej", "kis",
                    "Warsztaty umiejętności społecznych, grupa wsparcia, doradztwo zawodowe i prace społecznie "
                    "użyteczne w Klubie Integracji Społecznej.",
                    "Osoby zagrożone wykluczeniem społecznym, w tym długotrwale bezrobotne.",
                    "Klub Integracji Społecznej MOPR", "ul. Studzienna 2, 25-001 Kielce", "pon.–pt. 8:00–16:00",
                    "Kierownik KIS", "+48 41 367 60 80", "kis@mopr-kielce.example.pl", "statute", UZS_ART_12,
                    ("name", "pesel", "contact", "eligibility"), ("2661011",), "kontrakt socjalny", 20, 14, 7),
    ),
}


def do_seed_demo_services(today: date) -> list[str]:
    """Publish the demo services of every demo institution that has none yet."""
    from regionet.tenants.service_catalogue.models import Service

    institutions = {i.slug: i for i in db.session.execute(
        select(Institution).where(Institution.slug.in_(list(DEMO_SERVICES)))).scalars()}
    created = []
    for slug, specs in DEMO_SERVICES.items():
        institution = institutions.get(slug)
        if institution is None:
            continue
        with tenant_scope(institution.id):
            if db.session.execute(select(func.count()).select_from(Service)
                                  .where(Service.tenant_id == institution.id)).scalar_one():
                continue
            for n, spec in enumerate(specs):
                db.session.add(Service(
                    region_code=institution.region_code, published=True, name=spec.name,
                    service_type=spec.service_type, description=spec.description,
                    eligibility_description=spec.eligibility, minimum_age=spec.ages[0], maximum_age=spec.ages[1],
                    required_documents=spec.documents, application_process="Skierowanie przez platformę lub wizyta.",
                    area_codes=list(spec.areas), location_name=spec.location, address=spec.address,
                    schedule=spec.schedule, contact_name=spec.contact, phone=spec.phone, email=spec.email,
                    capacity=spec.capacity, waiting_days=spec.waiting_days, accepts_referrals=spec.accepts,
                    referral_basis=spec.basis, legal_reference=spec.legal_reference, data_set=list(spec.data_set),
                    accept_within_days=spec.accept_days, assured_date=today - timedelta(days=7 * n)))
            db.session.commit()
            created.append(f"{len(specs)} services in {slug}")
    return created
