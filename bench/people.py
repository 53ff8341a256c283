"""Synthetic but realistic participants: Polish names, valid PESEL numbers, communes of a region.

Deterministic for a given seed, so benchmark runs are comparable. Every PESEL is valid
and unique (a different serial number for each person).
"""
import random
from collections.abc import Iterator
from datetime import date, timedelta

from regionet.platform.regions.teryt import read_terc, unit_code
from regionet.tenants.participants.models import Sex
from regionet.tenants.participants.pesel import make_pesel

FEMALE_NAMES = ("Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta",
                "Zofia", "Teresa", "Joanna", "Magdalena", "Monika", "Danuta", "Jadwiga", "Aleksandra", "Halina",
                "Irena", "Beata", "Marta", "Dorota", "Jolanta", "Iwona", "Grażyna", "Natalia", "Karolina",
                "Justyna", "Renata", "Urszula", "Sylwia", "Wiesława", "Paulina", "Bożena", "Alicja", "Dominika")
MALE_NAMES = ("Piotr", "Krzysztof", "Andrzej", "Tomasz", "Jan", "Paweł", "Marcin", "Michał", "Marek", "Grzegorz",
              "Józef", "Łukasz", "Adam", "Zbigniew", "Jerzy", "Tadeusz", "Mateusz", "Dariusz", "Mariusz", "Wojciech",
              "Ryszard", "Jakub", "Henryk", "Robert", "Kazimierz", "Jacek", "Maciej", "Kamil", "Stanisław",
              "Sławomir", "Rafał", "Dawid", "Przemysław", "Bartosz", "Sebastian", "Zdzisław")
# Adjective surnames change with sex (Kowalski/Kowalska); the others do not.
ADJECTIVE_STEMS = ("Kowalsk", "Wiśniewsk", "Wójcick", "Kamińsk", "Lewandowsk", "Zielińsk", "Szymańsk", "Dąbrowsk",
                   "Kozłowsk", "Jankowsk", "Kwiatkowsk", "Piotrowsk", "Grabowsk", "Pawłowsk", "Michalsk", "Nowick",
                   "Adamsk", "Jabłońsk", "Majewsk", "Olszewsk", "Jaworsk", "Malinowsk", "Górsk", "Rutkowsk",
                   "Sikorsk", "Ostrowsk", "Baranowsk", "Tomaszewsk", "Wróblewsk", "Zalewsk", "Jakubowsk",
                   "Sadowsk", "Zawadzk", "Chmielewsk", "Borkowsk", "Gajewsk", "Jasińsk")
PLAIN_SURNAMES = ("Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Król", "Wróbel",
                  "Dudek", "Wieczorek", "Stępień", "Adamczyk", "Pawlak", "Walczak", "Sikora", "Baran", "Duda",
                  "Szewczyk", "Bąk", "Kubiak", "Lis", "Kołodziej", "Kasprzak", "Zięba", "Woźniak", "Michalak",
                  "Pietrzak", "Marciniak")
STREETS = ("Słoneczna", "Kościuszki", "Mickiewicza", "Sienkiewicza", "Polna", "Leśna", "Kolejowa", "Szkolna",
           "Ogrodowa", "Lipowa", "Kielecka", "Radomska", "Piłsudskiego", "1 Maja", "Żeromskiego", "Konopnickiej")
STATUSES = (("osoba długotrwale bezrobotna", 35), ("osoba bezrobotna zarejestrowana", 30),
            ("osoba bierna zawodowo", 20), ("osoba bezrobotna niezarejestrowana", 8), ("osoba pracująca", 7))
EDUCATION = (("ISCED 1", 15), ("ISCED 2", 30), ("ISCED 3", 35), ("ISCED 4", 10), ("ISCED 5-8", 10))


def region_communes(region_code: str) -> list[tuple[str, str]]:
    """(code, name) of every whole commune of the region, from the TERYT register."""
    return [(unit_code(row), row["NAZWA"]) for row in read_terc(region_code) if row["RODZ"] in ("1", "2", "3")]


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def surname(rng: random.Random, sex: Sex) -> str:
    if rng.random() < 0.6:
        return rng.choice(ADJECTIVE_STEMS) + ("a" if sex is Sex.FEMALE else "i")
    return rng.choice(PLAIN_SURNAMES)


def participant_rows(count: int, region_code: str = "26", seed: int = 2026) -> Iterator[dict]:
    """Rows keyed by the import template's column headers."""
    rng = random.Random(seed)
    communes = region_communes(region_code)
    used: set[str] = set()
    for index in range(count):
        sex = Sex.FEMALE if rng.random() < 0.55 else Sex.MALE
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
        pesel = make_pesel(birth, sex, rng.randrange(5000))
        while pesel in used:
            pesel = make_pesel(birth, sex, rng.randrange(5000))
        used.add(pesel)
        code, commune_name = rng.choice(communes)
        consent = rng.random() < 0.5
        basis_date = date(2023, 1, 2) + timedelta(days=rng.randrange(700))
        sensitive = lambda yes: _pick(rng, (("tak", yes), ("nie", 100 - yes - 4), ("odmowa", 4)))  # noqa: E731
        yield {
            "Imię": rng.choice(FEMALE_NAMES if sex is Sex.FEMALE else MALE_NAMES),
            "Nazwisko": surname(rng, sex),
            "PESEL": pesel,
            "Ulica i numer": f"ul. {rng.choice(STREETS)} {rng.randrange(1, 120)}",
            "Kod pocztowy": f"2{rng.randrange(5, 9)}-{rng.randrange(0, 999):03d}",
            "Miejscowość": commune_name,
            "Gmina (kod TERYT)": code,
            "Telefon": f"{rng.randrange(500, 899)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}",
            "E-mail": "" if index % 3 else f"osoba{index}@example.pl",
            "Wykształcenie (ISCED)": _pick(rng, EDUCATION),
            "Status na rynku pracy": _pick(rng, STATUSES),
            "Niepełnosprawność": sensitive(18),
            "Migrant, obce pochodzenie lub mniejszość": sensitive(3),
            "Bezdomność lub wykluczenie z dostępu do mieszkań": sensitive(5),
            "Gospodarstwo domowe bez osób pracujących": sensitive(35),
            "Podstawa prawna": "zgoda" if consent else "zadanie publiczne",
            "Data podstawy prawnej": basis_date,
            "Zgoda": "tak" if consent else "nie",
            "Data zgody": basis_date if consent else None,
            "Uwagi": "",
        }
