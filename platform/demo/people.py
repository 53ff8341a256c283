"""Realistic synthetic people for the demo seed and the scale benchmark.

Polish first names and surnames (surnames in their feminine form for women), PESEL
numbers that pass the checksum and agree with the birth date and sex, and addresses
in real TERYT communes. Everything comes from a seeded `random.Random`, so the same
seed always yields the same people.
"""
import random
from dataclasses import dataclass
from datetime import date, timedelta

from stdnum.pl import pesel as pesel_number

FEMALE_FIRST = (
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta", "Zofia",
    "Teresa", "Magdalena", "Joanna", "Janina", "Monika", "Danuta", "Jadwiga", "Aleksandra", "Halina", "Irena",
    "Beata", "Marta", "Dorota", "Helena", "Karolina", "Jolanta", "Iwona", "Natalia", "Paulina", "Justyna",
    "Bożena", "Urszula", "Renata", "Sylwia", "Agata", "Grażyna", "Wiesława", "Julia", "Patrycja", "Izabela",
)
MALE_FIRST = (
    "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Jan", "Paweł", "Michał", "Marcin", "Stanisław", "Jakub",
    "Adam", "Marek", "Łukasz", "Grzegorz", "Mateusz", "Wojciech", "Mariusz", "Dariusz", "Zbigniew", "Jerzy",
    "Rafał", "Robert", "Kamil", "Józef", "Janusz", "Maciej", "Ryszard", "Tadeusz", "Dawid", "Sławomir",
    "Bartosz", "Przemysław", "Sebastian", "Damian", "Artur", "Henryk", "Kazimierz", "Roman", "Leszek", "Zdzisław",
)
# (masculine form, feminine form)
SURNAMES = (
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"), ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"), ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"), ("Nowakowski", "Nowakowska"), ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"), ("Nowicki", "Nowicka"), ("Adamczyk", "Adamczyk"), ("Dudek", "Dudek"),
    ("Zając", "Zając"), ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"), ("Król", "Król"),
    ("Majewski", "Majewska"), ("Olszewski", "Olszewska"), ("Jaworski", "Jaworska"), ("Wróbel", "Wróbel"),
    ("Malinowski", "Malinowska"), ("Pawlak", "Pawlak"), ("Witkowski", "Witkowska"), ("Walczak", "Walczak"),
    ("Stępień", "Stępień"), ("Górski", "Górska"), ("Rutkowski", "Rutkowska"), ("Michalak", "Michalak"),
    ("Sikora", "Sikora"), ("Ostrowski", "Ostrowska"), ("Baran", "Baran"), ("Duda", "Duda"),
    ("Szewczyk", "Szewczyk"), ("Tomaszewski", "Tomaszewska"), ("Pietrzak", "Pietrzak"), ("Marciniak", "Marciniak"),
    ("Wróblewski", "Wróblewska"), ("Zalewski", "Zalewska"), ("Jakubowski", "Jakubowska"), ("Jasiński", "Jasińska"),
    ("Zawadzki", "Zawadzka"), ("Sadowski", "Sadowska"), ("Bąk", "Bąk"), ("Chmielewski", "Chmielewska"),
    ("Włodarczyk", "Włodarczyk"), ("Borkowski", "Borkowska"), ("Czarnecki", "Czarnecka"), ("Sawicki", "Sawicka"),
    ("Sokołowski", "Sokołowska"), ("Urbański", "Urbańska"), ("Kubiak", "Kubiak"), ("Maciejewski", "Maciejewska"),
    ("Szczepański", "Szczepańska"), ("Kucharski", "Kucharska"), ("Wilk", "Wilk"), ("Kalinowski", "Kalinowska"),
    ("Lis", "Lis"), ("Mazurek", "Mazurek"), ("Wysocki", "Wysocka"), ("Adamski", "Adamska"),
    ("Kaźmierczak", "Kaźmierczak"), ("Wasilewski", "Wasilewska"), ("Sobczak", "Sobczak"), ("Czerwiński", "Czerwińska"),
    ("Andrzejewski", "Andrzejewska"), ("Cieślak", "Cieślak"), ("Głowacki", "Głowacka"), ("Zakrzewski", "Zakrzewska"),
    ("Kołodziej", "Kołodziej"), ("Sikorski", "Sikorska"), ("Krajewski", "Krajewska"), ("Gajewski", "Gajewska"),
    ("Szymczak", "Szymczak"), ("Szulc", "Szulc"), ("Baranowski", "Baranowska"), ("Laskowski", "Laskowska"),
    ("Brzeziński", "Brzezińska"), ("Makowski", "Makowska"), ("Ziółkowski", "Ziółkowska"), ("Przybylski", "Przybylska"),
)
STREETS = ("Sikorskiego", "Krasińskiego", "Mickiewicza", "Słowackiego", "Kościuszki", "Żeromskiego",
           "Piłsudskiego", "Szkolna", "Polna", "Leśna", "Ogrodowa", "Kolejowa", "Kielecka", "Radomska",
           "Staszica", "Konopnickiej", "Paryskiej Komuny", "1 Maja", "Zielona", "Spacerowa")


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    sex: str          # "female" / "male" (participants.models.Sex values)
    birth_date: date
    pesel: str
    street: str


def make_pesel(birth_date: date, female: bool, serial: int) -> str:
    """A valid PESEL for `birth_date` and sex; `serial` (0–999) tells apart people born the same day."""
    century_offset = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth_date.year // 100]
    digits = f"{birth_date.year % 100:02d}{birth_date.month + century_offset:02d}{birth_date.day:02d}{serial % 1000:03d}"
    sex_digit = (serial // 1000) % 5 * 2 + (0 if female else 1)
    digits += str(sex_digit)
    return digits + pesel_number.calc_check_digit(digits)


class PeopleFactory:
    """Draws people; never the same PESEL twice from one factory."""

    def __init__(self, seed: int | str, oldest: date = date(1955, 1, 1), youngest: date = date(2004, 12, 31)):
        self.random = random.Random(seed)
        self._oldest = oldest
        self._span = (youngest - oldest).days
        self._used: set[str] = set()

    def person(self, female: bool | None = None, birth: date | None = None) -> Person:
        """A new person; `female` and `birth` fix the sex and the birth date when given."""
        rnd = self.random
        female = rnd.random() < 0.55 if female is None else female
        while True:
            born = birth or self._oldest + timedelta(days=rnd.randrange(self._span))
            pesel = make_pesel(born, female, rnd.randrange(5000))
            if pesel not in self._used:
                self._used.add(pesel)
                break
        surname = rnd.choice(SURNAMES)[1 if female else 0]
        first = rnd.choice(FEMALE_FIRST if female else MALE_FIRST)
        street = f"ul. {rnd.choice(STREETS)} {rnd.randint(1, 120)}"
        return Person(first, surname, "female" if female else "male", born, pesel, street)
