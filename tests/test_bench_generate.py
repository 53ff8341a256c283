"""bench/generate.py writes realistic records through row-level security, as the runtime role."""
import importlib.util
from pathlib import Path

from sqlalchemy import func, select
from stdnum.pl import pesel as pesel_number

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.participants.models import Participant
from regionet.tenants.participants.pseudonym import pseudonym_for
from regionet.tenants.projects.models import Project
from regionet.tenants.support.models import Enrolment, Outcome, SupportEpisode

from .test_isolation import TENANT_A, TENANT_B, _institution_id

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def _generate(argv):
    spec = importlib.util.spec_from_file_location("bench_generate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(argv)


def test_generates_consistent_records_into_the_chosen_institution_only(app, pg_database, capsys, monkeypatch):
    monkeypatch.setenv("PSEUDONYM_SECRET", app.config["PSEUDONYM_SECRET"])
    args = ["--database-url", pg_database["app"], "--fill", TENANT_A, "--participants", "300", "--episodes", "900",
            "--outcomes", "200"]
    assert _generate(args) == 0
    printed = capsys.readouterr().out
    assert "participants: 300" in printed and "support episodes: 900" in printed and "outcomes: 200" in printed
    with app.app_context():
        with tenant_scope(_institution_id(app, TENANT_A)):
            counts = [db.session.execute(select(func.count()).select_from(m)).scalar_one()
                      for m in (Project, Participant, Enrolment, SupportEpisode, Outcome)]
            assert counts == [2, 300, 300, 900, 200]
            people = db.session.execute(select(Participant)).scalars().all()
            assert all(pesel_number.is_valid(p.pesel) and pesel_number.get_birth_date(p.pesel) == p.birth_date
                       for p in people)
            assert all(p.pseudonym == pseudonym_for(p.pesel, "26") for p in people[:20])
            assert all(p.commune_code == "2610011" for p in people)
            for enrolment in db.session.execute(select(Enrolment).limit(100)).scalars():
                assert enrolment.project.start_date <= enrolment.entry_date <= enrolment.project.end_date
                for episode in enrolment.episodes:
                    assert enrolment.entry_date <= episode.start_date
                    assert enrolment.exit_date is None or episode.end_date <= enrolment.exit_date
        with tenant_scope(_institution_id(app, TENANT_B)):
            assert db.session.execute(select(func.count()).select_from(Participant)).scalar_one() == 0
    # A second run finds the generated projects and leaves the institution alone.
    assert _generate(args) == 0
    assert "skipped" in capsys.readouterr().out
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        assert db.session.execute(select(func.count()).select_from(Participant)).scalar_one() == 300
