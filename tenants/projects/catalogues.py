"""Funding sources (programme and measure) and the indicators a project can set targets for."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class FundingSource:
    key: str
    programme: str      # official Polish name, shown as is in both languages
    measure: str | None
    period: str
    eu_funded: bool
    short: str = ""     # how staff name it in lists: "PO KL 7.1.1", "Fundusz Pracy"

    @property
    def label(self) -> str:
        """The full name for choosers and detail pages."""
        return f"{self.short} – {self.measure}" if self.measure else self.short


FUNDING_SOURCES: dict[str, FundingSource] = {s.key: s for s in (
    FundingSource("pokl-7.1.1", "PO KL", "Poddziałanie 7.1.1 – aktywna integracja przez ośrodki pomocy społecznej",
                  "2007–2013", True, "PO KL 7.1.1"),
    FundingSource("pokl-7.1.2", "PO KL", "Poddziałanie 7.1.2 – aktywna integracja przez powiatowe centra pomocy "
                  "rodzinie", "2007–2013", True, "PO KL 7.1.2"),
    FundingSource("pokl-7.2.1", "PO KL", "Poddziałanie 7.2.1 – aktywizacja zawodowa i społeczna osób zagrożonych "
                  "wykluczeniem społecznym", "2007–2013", True, "PO KL 7.2.1"),
    FundingSource("power-4.1", "POWER", "Działanie 4.1 – innowacje społeczne", "2014–2020", True, "POWER 4.1"),
    FundingSource("power-4.3", "POWER", "Działanie 4.3 – współpraca ponadnarodowa", "2014–2020", True, "POWER 4.3"),
    FundingSource("rpo-ws-2014-2020", "RPO WŚ", "Oś 9 – włączenie społeczne i walka z ubóstwem", "2014–2020", True,
                  "RPO WŚ 2014–2020"),
    FundingSource("fes-2021-2027", "FEŚ", "Fundusze Europejskie dla Świętokrzyskiego – EFS+", "2021–2027", True,
                  "FEŚ 2021–2027"),
    FundingSource("fers-2021-2027", "FERS", "Fundusze Europejskie dla Rozwoju Społecznego", "2021–2027", True,
                  "FERS 2021–2027"),
    FundingSource("fp", "Fundusz Pracy", None, "—", False, "Fundusz Pracy"),
    FundingSource("pfron", "PFRON", None, "—", False, "PFRON"),
    FundingSource("own", "Budżet własny", "środki własne jednostki samorządu terytorialnego", "—", False,
                  "Budżet własny"),
    FundingSource("other", "Inne źródło", None, "—", False, "Inne źródło"),
)}


@dataclass(frozen=True)
class IndicatorDefinition:
    key: str
    label: object       # lazy translated string
    unit: str           # "people", "episodes", "percent"


INDICATORS: dict[str, IndicatorDefinition] = {d.key: d for d in (
    IndicatorDefinition("participants_total", _l("Participants"), "people"),
    IndicatorDefinition("participants_women", _l("Participants: women"), "people"),
    IndicatorDefinition("participants_disability", _l("Participants with disabilities"), "people"),
    IndicatorDefinition("participants_long_term_unemployed", _l("Long-term unemployed participants"), "people"),
    IndicatorDefinition("participants_50_plus", _l("Participants aged 50 or over"), "people"),
    IndicatorDefinition("support_episodes", _l("Support episodes"), "episodes"),
    IndicatorDefinition("employed", _l("Participants who took up work"), "people"),
    IndicatorDefinition("employment_rate", _l("Employment rate after support"), "percent"),
    IndicatorDefinition("qualified", _l("Participants who raised their qualifications"), "people"),
    IndicatorDefinition("independent_of_assistance", _l("Participants who became independent of social assistance"),
                        "people"),
)}
