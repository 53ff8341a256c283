"""Realistic Polish text for synthetic good practices (bench/report_bench.py).

Ten kinds of practice that regional catalogues actually describe (a social integration
club, a 50+ employment pact, a social cooperative employing workshop participants, a
MOPS–PUP shared pathway, …), each with its instruments, target groups and partners, and
pools of sentences per section; `practice_text` draws a few sentences per section with a
seeded generator and fills in the institution's commune and county, so 300 entries read
differently and run to one to three pages each, like a hand-made catalogue.
"""
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    title: str
    instruments: tuple[str, ...]
    groups: tuple[str, ...]
    problem: tuple[str, ...]
    cooperation: tuple[str, ...]
    results: tuple[str, ...]


THEMES = (
    Theme("Klub Integracji Społecznej „{name}” w gminie {commune}",
          ("kis", "specialist_counselling", "socially_useful_work", "vocational_course"),
          ("long_term_unemployed", "social_assistance_clients"),
          ("Wielu klientów ośrodka pozostaje bez pracy dłużej niż dwa lata i nie korzysta z ofert urzędu pracy.",
           "Osoby długotrwale bezrobotne tracą kontakt z rynkiem pracy, a część z nich nie wychodzi z domu poza "
           "wizytami w ośrodku."),
          ("Klub prowadzi ośrodek pomocy społecznej we współpracy z powiatowym urzędem pracy, który kieruje "
           "uczestników na prace społecznie użyteczne i szkolenia.",),
          ("Uczestnicy klubu przeszli warsztaty kompetencji społecznych, doradztwo zawodowe i prace społecznie "
           "użyteczne; część z nich podjęła zatrudnienie.",)),
    Theme("Pakt na rzecz zatrudnienia osób 50+ – powiat {county}",
          ("individual_action_plan", "specialist_counselling", "vocational_course", "internship"),
          ("aged_50_plus", "long_term_unemployed", "unemployed"),
          ("Bezrobotni po pięćdziesiątym roku życia najdłużej pozostają w rejestrze urzędu pracy.",
           "Pracodawcy z powiatu rzadko zatrudniają osoby 50+, obawiając się ich niższej wydajności i częstszych "
           "zwolnień lekarskich."),
          ("Pakt podpisali urząd pracy, ośrodki pomocy społecznej z gmin powiatu, organizacje pozarządowe i "
           "pracodawcy; spotykają się raz na kwartał.",),
          ("Uczestnicy paktu ukończyli szkolenia zawodowe i staże u sygnatariuszy; kilku pracodawców zatrudniło "
           "stażystów na stałe.",)),
    Theme("Spółdzielnia socjalna zatrudniająca uczestników warsztatów terapii zajęciowej – {commune}",
          ("vocational_course", "internship", "disability_assistant", "art_therapy"),
          ("people_with_disabilities", "workshop_participants"),
          ("Absolwenci warsztatów terapii zajęciowej nie mają gdzie kontynuować aktywności zawodowej po "
           "zakończeniu terapii.",
           "Na lokalnym rynku pracy brakuje miejsc pracy dostosowanych do potrzeb osób z niepełnosprawnościami."),
          ("Spółdzielnię założyły dwie osoby prawne: gmina i stowarzyszenie prowadzące warsztaty; ośrodek wsparcia "
           "ekonomii społecznej pomógł w przygotowaniu biznesplanu.",),
          ("Spółdzielnia zatrudnia byłych uczestników warsztatów w gastronomii i usługach porządkowych; część "
           "z nich pierwszy raz pracuje na umowie o pracę.",)),
    Theme("Asystent rodziny w gminie {commune}",
          ("family_assistant", "specialist_counselling", "tutoring"),
          ("families", "social_assistance_clients"),
          ("Rodziny z dziećmi w kryzysie mieszkają daleko od instytucji wsparcia i rzadko same o nie proszą.",
           "W gminie rośnie liczba rodzin, w których dzieci są zagrożone umieszczeniem w pieczy zastępczej."),
          ("Asystent rodziny współpracuje ze szkołami, pedagogiem szkolnym, kuratorami sądowymi i powiatowym "
           "centrum pomocy rodzinie.",),
          ("Rodziny objęte wsparciem asystenta częściej kończą korzystanie z pomocy, a dzieci pozostają "
           "w rodzinach.",)),
    Theme("Wspólna ścieżka OPS i PUP: kontrakt socjalny połączony z indywidualnym planem działania",
          ("social_contract", "individual_action_plan", "socially_useful_work", "internship"),
          ("unemployed", "long_term_unemployed", "social_assistance_clients"),
          ("Ośrodek pomocy społecznej i urząd pracy pracowały z tymi samymi osobami, ale każdy według "
           "własnego planu, bez wymiany informacji.",
           "Klienci byli kierowani do dwóch instytucji, które stawiały im rozbieżne wymagania."),
          ("Pracownik socjalny i doradca klienta urzędu pracy ustalają wspólnie jedną ścieżkę uczestnika; "
           "zasady wymiany informacji określa porozumienie.",),
          ("Wspólne ścieżki skróciły czas oczekiwania na pierwsze wsparcie i zwiększyły liczbę osób "
           "podejmujących pracę.",)),
    Theme("Centrum Integracji Społecznej „{name}” – reintegracja zawodowa w gminie {commune}",
          ("cis", "vocational_course", "specialist_counselling", "socially_useful_work"),
          ("long_term_unemployed", "homeless", "social_assistance_clients"),
          ("Osoby wychodzące z bezdomności i uzależnień nie są gotowe do podjęcia pracy na otwartym rynku.",
           "W powiecie brakowało miejsca, w którym można odzyskać nawyk codziennej pracy przed zatrudnieniem."),
          ("Centrum prowadzi stowarzyszenie na zlecenie gminy; ośrodek pomocy społecznej kieruje uczestników, "
           "a lokalni pracodawcy przyjmują ich na zatrudnienie wspierane.",),
          ("Uczestnicy przeszli roczny program reintegracji w warsztatach; część podjęła zatrudnienie "
           "wspierane, a potem pracę na otwartym rynku.",)),
    Theme("Program Aktywności Lokalnej „{name}” w gminie {commune}",
          ("local_activity_programme", "activation_programme", "specialist_counselling"),
          ("local_community", "families"),
          ("Mieszkańcy osiedla mają niewiele okazji do wspólnego działania, a młodzież spędza czas na ulicy.",
           "Dawne osiedle robotnicze skupia rodziny korzystające z pomocy społecznej od kilku pokoleń."),
          ("Program prowadzi ośrodek pomocy społecznej z radą osiedla, szkołą, parafią i lokalnym domem "
           "kultury; animator pracuje na miejscu.",),
          ("Mieszkańcy zorganizowali świetlicę, festyn i sąsiedzką pomoc dla seniorów; powstała grupa "
           "nieformalna, która działa dalej.",)),
    Theme("Usamodzielnienie wychowanków pieczy zastępczej – powiat {county}",
          ("tutoring", "specialist_counselling", "vocational_course", "internship"),
          ("care_leavers", "young_people"),
          ("Pełnoletni wychowankowie pieczy zastępczej zostają bez wsparcia i często wracają do pomocy "
           "społecznej.",
           "Wychowankowie nie mają doświadczenia zawodowego ani mieszkania po opuszczeniu placówki."),
          ("Powiatowe centrum pomocy rodzinie przydziela opiekuna usamodzielnienia i współpracuje z urzędem "
           "pracy oraz szkołami zawodowymi.",),
          ("Wychowankowie ukończyli kursy zawodowe i staże; większość mieszka samodzielnie i utrzymuje się "
           "z pracy.",)),
    Theme("Staże u lokalnych pracodawców dla młodych bezrobotnych z gminy {commune}",
          ("internship", "vocational_course", "individual_action_plan"),
          ("young_people", "unemployed"),
          ("Młodzi absolwenci szkół zawodowych nie znajdują pracy w zawodzie i wyjeżdżają z gminy.",
           "Pracodawcy zgłaszają brak pracowników z doświadczeniem, a młodzi – brak ofert bez doświadczenia."),
          ("Urząd pracy podpisał porozumienia z cechem rzemiosł i izbą gospodarczą; ośrodek pomocy społecznej "
           "wskazuje młodych z rodzin korzystających z pomocy.",),
          ("Stażyści zdobyli pierwsze doświadczenie zawodowe; pracodawcy zatrudnili część z nich po "
           "zakończeniu stażu.",)),
    Theme("Aktywizacja osób z niepełnosprawnościami – asystent i arteterapia w gminie {commune}",
          ("disability_assistant", "art_therapy", "specialist_counselling", "activation_programme"),
          ("people_with_disabilities", "social_assistance_clients"),
          ("Osoby z niepełnosprawnościami z terenów wiejskich nie mają jak dojechać na zajęcia i do lekarzy.",
           "Rodziny osób z niepełnosprawnościami są przeciążone opieką i same potrzebują wsparcia."),
          ("Ośrodek współpracuje z powiatowym centrum pomocy rodzinie, PFRON i stowarzyszeniem rodziców; "
           "asystenci dowożą uczestników na zajęcia.",),
          ("Uczestnicy regularnie biorą udział w zajęciach, a kilka osób podjęło pracę w zakładzie aktywności "
           "zawodowej.",)),
)

NAMES = ("Razem", "Nowy Start", "Krok Dalej", "Szansa", "Wspólna Droga", "Most", "Przystań", "Promyk", "Kotwica",
         "Horyzont", "Odnowa", "Sąsiedzi")

COMMON = {
    "local_figures": (
        "W gminie {commune} stopa bezrobocia rejestrowanego była wyższa od średniej województwa, a ponad połowę "
        "bezrobotnych stanowiły osoby długotrwale bezrobotne.",
        "Z pomocy społecznej korzystała co dziesiąta rodzina w gminie; głównymi powodami były bezrobocie, "
        "niepełnosprawność i długotrwała choroba.",
        "Według diagnozy problemów społecznych (powiat {county}) co trzecia osoba bezrobotna nie ukończyła szkoły "
        "średniej.",
        "W ostatnich pięciu latach liczba mieszkańców gminy zmalała o kilka procent, głównie przez wyjazdy młodych.",
    ),
    "problem": (
        "Dotychczasowe wsparcie miało charakter głównie finansowy i nie zmieniało sytuacji rodzin.",
        "Instytucje działające w gminie nie znały nawzajem swoich ofert i nie planowały wsparcia wspólnie.",
        "Na terenach wiejskich dojazd do instytucji trwa nawet godzinę, a komunikacja publiczna kursuje rzadko.",
        "Pandemia przerwała wiele form wsparcia grupowego, a część uczestników wycofała się z aktywności.",
    ),
    "target": (
        "Uczestnicy to mieszkańcy gminy {commune} i sąsiednich gmin (powiat {county}), w większości klienci ośrodka "
        "pomocy społecznej.",
        "Wśród uczestników przeważały kobiety; znaczną część stanowiły osoby z wykształceniem podstawowym lub "
        "zasadniczym zawodowym.",
        "Rekrutacja odbywała się przez pracowników socjalnych, doradców urzędu pracy i ogłoszenia w parafiach "
        "oraz sołectwach.",
    ),
    "cooperation": (
        "Partnerzy spotykali się co miesiąc w zespole roboczym, omawiając sytuację uczestników i plan działań "
        "na kolejne tygodnie.",
        "Zasady współpracy określiło porozumienie podpisane przez kierowników instytucji; każdy partner wyznaczył "
        "osobę do kontaktu.",
        "Wymiana informacji o uczestnikach odbywała się za ich zgodą, na wspólnym formularzu ścieżki wsparcia.",
        "Lokalni przedsiębiorcy udostępniali miejsca staży i prac społecznie użytecznych, a szkoła – sale na "
        "zajęcia grupowe.",
    ),
    "results": (
        "Wyniki liczone są z ewidencji projektu w platformie i pokazują stan na dzień sporządzenia raportu.",
        "Poza zatrudnieniem uczestnicy wskazywali na większą pewność siebie, lepsze relacje w rodzinie i "
        "regularny rytm dnia.",
        "Część uczestników kontynuuje naukę w szkołach dla dorosłych lub na kwalifikacyjnych kursach zawodowych.",
    ),
    "success_factors": (
        "Stały zespół partnerów, który zna uczestników i potrafi szybko reagować na ich potrzeby.",
        "Indywidualne podejście i jedna osoba prowadząca uczestnika przez całą ścieżkę wsparcia.",
        "Zaangażowanie lokalnych pracodawców od etapu planowania, a nie dopiero przy szukaniu miejsc staży.",
        "Elastyczne godziny zajęć, dostosowane do opieki nad dziećmi i dojazdów.",
        "Wsparcie kierownictwa instytucji i jasny podział zadań między partnerami.",
    ),
    "barriers": (
        "Rotacja pracowników socjalnych i obciążenie ich zadaniami administracyjnymi.",
        "Słaba komunikacja publiczna utrudniała uczestnikom dojazd na zajęcia i do pracy.",
        "Obawa uczestników przed utratą świadczeń po podjęciu zatrudnienia.",
        "Opóźnienia w przekazywaniu środków na kolejne edycje projektu.",
        "Niewielka liczba ofert pracy na lokalnym rynku, zwłaszcza dla kobiet.",
    ),
    "sustainability": (
        "Po zakończeniu finansowania działania są kontynuowane w ramach zadań własnych gminy.",
        "Partnerzy podpisali porozumienie o kontynuacji współpracy na kolejne trzy lata.",
        "Wypracowane narzędzia (formularz ścieżki, wzór porozumienia) są stosowane w codziennej pracy instytucji.",
        "Gmina uwzględniła działania w strategii rozwiązywania problemów społecznych na lata 2021–2030.",
    ),
    "transferability": (
        "Rozwiązanie można przenieść do każdej gminy, w której działa ośrodek pomocy społecznej i powiatowy urząd "
        "pracy; wymaga porozumienia o współpracy.",
        "Najważniejsze jest wyznaczenie koordynatora po stronie każdej instytucji i regularne spotkania zespołu.",
        "W mniejszych gminach warto prowadzić działania wspólnie z sąsiednią gminą, aby zebrać grupę uczestników.",
        "Materiały (wzory dokumentów, programy zajęć) ośrodek udostępnia nieodpłatnie innym instytucjom regionu.",
    ),
}

FIRST = ("Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Joanna", "Piotr", "Tomasz", "Paweł",
         "Krzysztof", "Marek", "Łukasz", "Grażyna")
LAST_F = ("Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamińska", "Lewandowska", "Zielińska",
          "Szymańska", "Woźniak", "Dąbrowska", "Kozłowska", "Jankowska", "Mazur")
LAST_M = ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
          "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur")

PARTNERS = (
    ("Stowarzyszenie na Rzecz Rozwoju Gminy {commune}", "ngo", "rekrutacja uczestników, zajęcia grupowe"),
    ("Zespół Szkół Zawodowych – gmina {commune}", "school", "sale na zajęcia, kursy zawodowe"),
    ("Przedsiębiorstwo Usług Komunalnych {commune} Sp. z o.o.", "employer", "miejsca staży i zatrudnienia"),
    ("Spółdzielnia Socjalna „{name}”", "social_economy_entity", "zatrudnienie uczestników po zakończeniu wsparcia"),
    ("Powiatowe Centrum Pomocy Rodzinie – powiat {county}", "public_institution", "wsparcie specjalistyczne"),
    ("Fundacja Aktywizacji Zawodowej „{name}”", "ngo", "doradztwo zawodowe i trening pracy"),
)


def _sentences(rnd: random.Random, own: tuple[str, ...], common: tuple[str, ...], low: int, high: int) -> list[str]:
    pool = list(own) + list(common)
    return rnd.sample(pool, min(len(pool), rnd.randint(low, high)))


def practice_text(rnd: random.Random, number: int, commune: str, county: str) -> dict:
    """The content fields of one practice (PracticeVersion columns) for an institution in `commune`."""
    theme = THEMES[number % len(THEMES)]
    place = {"commune": commune, "county": county, "name": rnd.choice(NAMES)}

    def text(own, key, low=1, high=3, paragraphs=1):
        chosen = _sentences(rnd, own, COMMON[key], low * paragraphs, high * paragraphs)
        size = max(1, len(chosen) // paragraphs)
        return "\n".join(" ".join(chosen[i:i + size]) for i in range(0, len(chosen), size)).format(**place)

    woman = rnd.random() < 0.75
    first = rnd.choice(FIRST[:7] if woman else FIRST[7:])
    last = rnd.choice(LAST_F if woman else LAST_M)
    return {
        "title": theme.title.format(**place),
        "problem": text(theme.problem, "problem", 2, 3, paragraphs=2),
        "local_figures": text((), "local_figures", 1, 3),
        "target_group_description": text((), "target", 1, 3),
        "target_groups": list(theme.groups),
        "instruments": rnd.sample(theme.instruments, rnd.randint(2, len(theme.instruments))),
        "cooperation": text(theme.cooperation, "cooperation", 2, 3, paragraphs=2),
        "results_narrative": text(theme.results, "results", 1, 3),
        "success_factors": text((), "success_factors", 2, 4),
        "barriers": text((), "barriers", 1, 3),
        "sustainability": text((), "sustainability", 1, 2),
        "transferability": text((), "transferability", 1, 3),
        "contact_name": f"{first} {last}",
        "contact_phone": f"41 {rnd.randint(200, 399)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}",
    }


def partner_specs(rnd: random.Random, commune: str, county: str) -> list[tuple[str, str, str]]:
    """Two to four partner organisations of an institution: (name, kind, role in the practice)."""
    place = {"commune": commune, "county": county, "name": rnd.choice(NAMES)}
    return [(name.format(**place), kind, role) for name, kind, role in rnd.sample(PARTNERS, rnd.randint(2, 4))]
