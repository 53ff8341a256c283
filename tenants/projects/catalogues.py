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


FUNDING_SOURCES: dict[str, FundingSource] = {s.key: s for s in (
    FundingSource("pokl-7.1.1", "PO KL", "Poddziałanie 7.1.1 – aktywna integracja przez ośrodki pomocy społecznej",
                  "2007–2013", True),
    FundingSource("pokl-7.1.2", "PO KL", "Poddziałanie 7.1.2 – aktywna integracja przez powiatowe centra pomocy "
                  "rodzinie", "2007–2013", True),
    FundingSource("pokl-7.2.1", "PO KL", "Poddziałanie 7.2.1 – aktywizacja zawodowa i społeczna osób zagrożonych "
                  "wykluczeniem społecznym", "2007–2013", True),
    FundingSource("power-4.1", "POWER", "Działanie 4.1 – innowacje społeczne", "2014–2020", True),
    FundingSource("power-4.3", "POWER", "Działanie 4.3 – współpraca ponadnarodowa", "2014–2020", True),
    FundingSource("rpo-ws-2014-2020", "RPO WŚ", "Oś 9 – włączenie społeczne i walka z ubóstwem", "2014–2020", True),
    FundingSource("fes-2021-2027", "FEŚ", "Fundusze Europejskie dla Świętokrzyskiego – EFS+", "2021–2027", True),
    FundingSource("fers-2021-2027", "FERS", "Fundusze Europejskie dla Rozwoju Społecznego", "2021–2027", True),
    FundingSource("fp", "Fundusz Pracy", None, "—", False),
    FundingSource("pfron", "PFRON", None, "—", False),
    FundingSource("own", "Budżet własny", "środki własne jednostki samorządu terytorialnego", "—", False),
    FundingSource("other", "Inne źródło", None, "—", False),
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
