"""The demo institutions' partners and cooperation agreements (porozumienia).

Each demo institution gets the organisations it works with (associations, social cooperatives,
employers, schools, public bodies and other institutions of the platform) and the agreements it
has signed with them, each with its signed document as a PDF. The validity dates are set against
the seeding day, so the agreement list always shows agreements in force, one about to expire
and one that has expired. Everything goes through the partners' services, with their checks.

Idempotent: an institution with any agreement is left alone.
"""
import io
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from ..extensions import db
from ..institutions.models import Institution
from ..tenancy import tenant_scope


@dataclass(frozen=True)
class DemoPartner:
    name: str
    kind: str
    nip: str
    address: str
    contact_person: str
    phone: str


@dataclass(frozen=True)
class DemoAgreement:
    number: str
    title: str
    kind: str
    scope: str
    parties: tuple[str, ...]  # names of outside partners, or slugs of platform institutions
    signed: int               # days before the seeding day
    lasts: int | None         # days from signing to the end of validity; None: open-ended


DEMO_PARTNERS: dict[str, tuple[DemoPartner, ...]] = {
    "mops-skarzysko-kamienna": (
        DemoPartner("Stowarzyszenie „Razem dla Skarżyska”", "ngo", "5260181596",
                    "ul. Legionów 12, 26-110 Skarżysko-Kamienna", "Halina Pawlak", "+48 41 252 10 11"),
        DemoPartner("Spółdzielnia Socjalna „Pod Kamienną”", "social_economy_entity", "1860913901",
                    "ul. Sokola 4, 26-110 Skarżysko-Kamienna", "Marek Szczepański", "+48 604 220 118"),
        DemoPartner("Zakład Usług Komunalnych w Skarżysku-Kamiennej sp. z o.o.", "employer", "6281948218",
                    "ul. Górnicza 1, 26-110 Skarżysko-Kamienna", "Iwona Kowalczyk", "+48 41 251 30 00"),
    ),
    "gops-blizyn": (
        DemoPartner("Koło Gospodyń Wiejskich w Bliżynie", "ngo", "9935181904",
                    "ul. Kościelna 2, 26-120 Bliżyn", "Grażyna Michalska", "+48 692 410 055"),
        DemoPartner("Szkoła Podstawowa im. Stefana Żeromskiego w Bliżynie", "school", "9378657972",
                    "ul. Szkolna 5, 26-120 Bliżyn", "Dorota Wrona", "+48 41 254 10 20"),
    ),
    "pup-skarzysko-kamienna": (
        DemoPartner("Centrum Kształcenia Zawodowego w Skarżysku-Kamiennej", "school", "5432319484",
                    "ul. Szkolna 25, 26-110 Skarżysko-Kamienna", "Andrzej Lis", "+48 41 252 44 70"),
        DemoPartner("Cech Rzemiosł Różnych w Skarżysku-Kamiennej", "other", "7574911868",
                    "ul. Niepodległości 6, 26-110 Skarżysko-Kamienna", "Zbigniew Kurek", "+48 41 251 19 03"),
    ),
    "owes-kielce": (
        DemoPartner("Regionalny Ośrodek Polityki Społecznej w Kielcach", "public_institution", "2527601891",
                    "ul. Witosa 86, 25-561 Kielce", "Elżbieta Sowa", "+48 41 342 16 00"),
        DemoPartner("Spółdzielnia Socjalna „Smaki Regionu”", "social_economy_entity", "5559797114",
                    "ul. Piotrkowska 12, 25-510 Kielce", "Renata Głowacka", "+48 661 300 412"),
    ),
    "mopr-kielce": (
        DemoPartner("Fundacja „Nowy Start”", "ngo", "4710497466",
                    "ul. Sienkiewicza 40, 25-507 Kielce", "Piotr Adamczyk", "+48 508 117 340"),
        DemoPartner("Centrum Integracji Społecznej w Kielcach", "social_economy_entity", "5075291702",
                    "ul. Żelazna 3, 25-014 Kielce", "Monika Bąk", "+48 41 366 48 10"),
    ),
}

DEMO_AGREEMENTS: dict[str, tuple[DemoAgreement, ...]] = {
    "mops-skarzysko-kamienna": (
        DemoAgreement("MOPS.PS.4012.3.2024", "Umowa partnerska do projektu „Aktywni razem w Skarżysku”",
                      "partnership", "Wspólna realizacja projektu FESW: rekrutacja uczestników, kontrakty socjalne, "
                      "KIS (MOPS) oraz poradnictwo zawodowe i staże (PUP).", ("pup-skarzysko-kamienna",), 640, 1095),
        DemoAgreement("MOPS.PS.4012.7.2025", "Porozumienie w sprawie prac społecznie użytecznych",
                      "cooperation", "Organizacja prac społecznie użytecznych dla klientów MOPS: porządkowanie terenów "
                      "zielonych, opieka nad miejscami pamięci.",
                      ("Zakład Usług Komunalnych w Skarżysku-Kamiennej sp. z o.o.", "pup-skarzysko-kamienna"), 340, 365),
        DemoAgreement("MOPS.PS.4012.2.2023", "Porozumienie o współpracy przy Klubie Integracji Społecznej",
                      "cooperation", "Warsztaty i wolontariat w KIS prowadzone przez stowarzyszenie; zatrudnienie "
                      "absolwentów KIS w spółdzielni socjalnej.",
                      ("Stowarzyszenie „Razem dla Skarżyska”", "Spółdzielnia Socjalna „Pod Kamienną”"), 1000, 730),
    ),
    "gops-blizyn": (
        DemoAgreement("GOPS.4011.1.2025", "Porozumienie o realizacji Programu Aktywizacja i Integracja",
                      "cooperation", "Skierowania klientów GOPS do PAI, prace społecznie użyteczne na terenie gminy "
                      "i zajęcia integracyjne w KIS.", ("pup-skarzysko-kamienna",), 300, 330),
        DemoAgreement("GOPS.4011.4.2024", "Porozumienie o warsztatach w Klubie Integracji Społecznej",
                      "cooperation", "Warsztaty kulinarne i rękodzielnicze dla uczestników KIS, sala szkolna na zajęcia "
                      "grupowe.", ("Koło Gospodyń Wiejskich w Bliżynie",
                                   "Szkoła Podstawowa im. Stefana Żeromskiego w Bliżynie"), 500, None),
    ),
    "pup-skarzysko-kamienna": (
        DemoAgreement("PUP.CAZ.0611.5.2025", "Lokalny pakt na rzecz zatrudnienia osób 50+",
                      "employment_pact", "Staże i szkolenia zawodowe dla bezrobotnych po 50. roku życia, "
                      "przygotowanie zawodowe u rzemieślników.",
                      ("Cech Rzemiosł Różnych w Skarżysku-Kamiennej",
                       "Centrum Kształcenia Zawodowego w Skarżysku-Kamiennej", "mops-skarzysko-kamienna"), 380, 400),
        DemoAgreement("PUP.CAZ.0611.2.2025", "Porozumienie o współpracy z ośrodkami pomocy społecznej",
                      "cooperation", "Wymiana informacji o osobach bezrobotnych korzystających z pomocy społecznej, "
                      "wspólne IPD i kontrakty socjalne.", ("mops-skarzysko-kamienna", "gops-blizyn"), 320, 730),
    ),
    "owes-kielce": (
        DemoAgreement("OWES.ROPS.2023.1", "Umowa partnerska: Świętokrzyska Ekonomia Społeczna",
                      "partnership", "Realizacja usług wsparcia ekonomii społecznej w subregionie, sprawozdawczość "
                      "do ROPS.", ("Regionalny Ośrodek Polityki Społecznej w Kielcach",), 1060, 1460),
        DemoAgreement("OWES.13.2025", "Porozumienie o przygotowaniu do pracy w spółdzielni socjalnej",
                      "cooperation", "Reintegracja zawodowa osób skierowanych przez MOPR, miejsca pracy w kuchni "
                      "spółdzielni.", ("Spółdzielnia Socjalna „Smaki Regionu”", "mopr-kielce"), 200, 210),
    ),
    "mopr-kielce": (
        DemoAgreement("MOPR.DAS.4012.9.2024", "Porozumienie o kierowaniu uczestników do CIS",
                      "cooperation", "Skierowania klientów MOPR do Centrum Integracji Społecznej, wspólne "
                      "indywidualne programy zatrudnienia socjalnego.",
                      ("Centrum Integracji Społecznej w Kielcach", "owes-kielce"), 700, 730),
        DemoAgreement("MOPR.DAS.4012.3.2022", "Porozumienie o wsparciu usamodzielnianych wychowanków",
                      "cooperation", "Mieszkania treningowe i mentoring dla usamodzielnianych wychowanków pieczy "
                      "zastępczej.", ("Fundacja „Nowy Start”",), 1400, 1095),
    ),
}


def do_seed_demo_partners(today: date) -> list[str]:
    """Add partners and agreements to every demo institution that has no agreement yet."""
    institutions = {i.slug: i for i in db.session.execute(
        select(Institution).where(Institution.slug.in_(list(DEMO_PARTNERS)))).scalars()}
    created = []
    for slug, partners in DEMO_PARTNERS.items():
        institution = institutions.get(slug)
        if institution is None:
            continue
        with tenant_scope(institution.id):
            created += _seed_institution(institution, partners, DEMO_AGREEMENTS.get(slug, ()), institutions, today)
    return created


def _seed_institution(institution, partners, agreements, institutions, today) -> list[str]:
    from regionet.tenants.partners.models import Agreement

    # Its own agreements: those of other institutions it is a party to are visible too.
    if db.session.execute(select(func.count()).select_from(Agreement).where(
            Agreement.tenant_id == institution.id)).scalar_one():
        return []
    by_key = {spec.name: _outside_partner(spec) for spec in partners}
    for spec in agreements:
        for party in spec.parties:
            if party not in by_key:
                by_key[party] = _platform_partner(institution, institutions[party])
        _agreement(institution, spec, [by_key[party] for party in spec.parties], today)
    db.session.commit()
    return [f"{len(by_key)} partners and {len(agreements)} agreements in {institution.slug}"]


def _outside_partner(spec: DemoPartner):
    from regionet.tenants.partners.models import PartnerOrganisation
    from regionet.tenants.partners.services import ContactDetails, do_save_external_partner

    existing = db.session.execute(select(PartnerOrganisation).where(PartnerOrganisation.nip == spec.nip)).scalar()
    local_part = spec.contact_person.split()[-1].lower().translate(str.maketrans("ąćęłńóśźż", "acelnoszz"))
    return do_save_external_partner(existing, name=spec.name, kind=spec.kind, nip=spec.nip, address=spec.address,
                                    contact=ContactDetails(spec.contact_person, f"{local_part}@example.org",
                                                           spec.phone))


def _platform_partner(institution, other):
    from regionet.tenants.partners.queries import partner_for_institution_for_tenant
    from regionet.tenants.partners.services import ContactDetails, do_save_platform_partner

    # Projects of the demo workspace may have made the institution a partner already.
    return partner_for_institution_for_tenant(other.id) or do_save_platform_partner(
        None, own_institution=institution, institution_id=other.id, contact=ContactDetails())


def _agreement(institution, spec: DemoAgreement, parties, today: date, origin_action=None, user=None):
    from regionet.tenants.partners.services import AgreementData, do_save_agreement

    signed_on = today - timedelta(days=spec.signed)
    valid_to = signed_on + timedelta(days=spec.lasts) if spec.lasts else None
    data = AgreementData(title=spec.title, kind=spec.kind, scope=spec.scope, valid_from=signed_on,
                         party_ids=[str(p.id) for p in parties], number=spec.number, signed_on=signed_on,
                         valid_to=valid_to)
    document = _signed_document(institution, spec, parties, signed_on, valid_to)
    upload = FileStorage(io.BytesIO(document), filename=f"{spec.number.replace('.', '-')}.pdf",
                         content_type="application/pdf")
    return do_save_agreement(None, data, owner=institution, user=user, document=upload,
                             max_document_bytes=len(document), origin_action=origin_action)


def _signed_document(institution, spec: DemoAgreement, parties, signed_on: date, valid_to: date | None) -> bytes:
    """A one-page PDF standing for the scanned, signed agreement."""
    from ..pdf.catalogue import key_value_table, para
    from ..pdf.document import build_pdf

    rows = [("Numer", spec.number), ("Strony", "; ".join([institution.name] + [p.name for p in parties])),
            ("Zawarte", f"{signed_on:%d.%m.%Y}"),
            ("Obowiązuje", f"od {signed_on:%d.%m.%Y}" + (f" do {valid_to:%d.%m.%Y}" if valid_to else " bezterminowo"))]
    story = [para(spec.title, "h1"), key_value_table(rows), para(spec.scope),
             para("Dokument demonstracyjny platformy: nie jest prawdziwym porozumieniem.", "small")]
    return build_pdf(story, title=spec.title, author=institution.name, header=institution.name,
                     footer=spec.number).data
