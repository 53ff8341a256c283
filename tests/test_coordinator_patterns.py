"""Issue 11, speed: a recount protects again only the linked sets whose figures changed."""
from datetime import date

from regionet.platform.coordinator import patterns
from regionet.platform.coordinator.periods import year_period
from regionet.platform.extensions import db
from regionet.platform.regions.models import Region

from .coordinator_data import YEAR, Person, add_people, clean_region_tables, refresh_figures  # noqa: F401 (fixture)

MOPS = "mops-skarzysko-kamienna"


def test_a_recount_reuses_the_patterns_of_unchanged_years_and_protects_a_changed_one(app, monkeypatch):
    with app.app_context():
        add_people(MOPS, [Person(f"Dawna{i}", "Osoba", entry=date(YEAR - 1, 3, 1), exit=date(YEAR - 1, 9, 30),
                                 episodes=[("internship", date(YEAR - 1, 3, 10 + i))]) for i in range(5)])
        add_people(MOPS, [Person(f"Obecna{i}", "Osoba", entry=date(YEAR, 1, 10),
                                 episodes=[("internship", date(YEAR, 1, 12 + i))]) for i in range(4)])
        refresh_figures()
        region = db.session.get(Region, "26")
        before = patterns.patterns_for(region, [year_period(YEAR - 1), year_period(YEAR)])
        protected: list = []
        real = patterns.protect_linked

        def counting(ls, **kwargs):
            protected.append(sorted({key[0][:4] for key in ls.cells}))
            return real(ls, **kwargs)

        monkeypatch.setattr(patterns, "protect_linked", counting)
        refresh_figures()                               # nothing changed: every pattern is reused
        assert protected == []
        assert patterns.patterns_for(region, [year_period(YEAR - 1), year_period(YEAR)]) == before
        assert protected == []                          # ... and stored under the new stamps

        add_people(MOPS, [Person("Nowa", "Osoba", entry=date(YEAR, 2, 1),
                                 episodes=[("internship", date(YEAR, 2, 3))])])
        refresh_figures()                               # this year's figures changed, last year's did not
        assert protected == [[str(YEAR)]]
