"""Issue 11, point 4: a region's thresholds are the operator's, changed with a reason, recorded,
never below the law's floor, and the runtime role cannot change them by SQL."""
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from regionet.platform.accounts.events import AccountEvent
from regionet.platform.accounts.models import User
from regionet.platform.coordinator.models import RegionFigureRun
from regionet.platform.extensions import db
from regionet.platform.regions.models import Region

from .coordinator_data import clean_region_tables  # noqa: F401 (fixture)
from .helpers import visible_text

URL = "/operator/regions/26/thresholds"


@pytest.fixture(autouse=True)
def _restore_thresholds(app, pg_database):
    """The demo region is shared by the whole run: put its thresholds back as they were (a test
    here raises them to 4/6, and the coordinator's tests count on 3/5)."""
    before = _thresholds(app)
    yield
    if _thresholds(app) != before:
        engine = create_engine(pg_database["admin"])    # the runtime role cannot update them (tested below)
        with engine.begin() as conn:
            conn.execute(text("UPDATE regions SET suppression_threshold = :n, sensitive_threshold = :s"
                              " WHERE teryt_code = '26'"), {"n": before[0], "s": before[1]})
        engine.dispose()
        with app.app_context():
            db.session.expire_all()
        assert _thresholds(app) == before


def _thresholds(app) -> tuple[int, int]:
    with app.app_context():
        region = db.session.get(Region, "26")
        return region.suppression_threshold, region.sensitive_threshold


def test_the_runtime_role_cannot_update_thresholds(app):
    with app.app_context():
        assert db.session.execute(text("SELECT current_user")).scalar_one() == "regionet_app"
        with pytest.raises(DBAPIError, match="permission denied"):
            db.session.execute(text("UPDATE regions SET suppression_threshold = 1 WHERE teryt_code = '26'"))
        db.session.rollback()
        with pytest.raises(DBAPIError, match="permission denied"):
            db.session.execute(text("UPDATE regions SET sensitive_threshold = 1 WHERE teryt_code = '26'"))
        db.session.rollback()
        # other columns stay the application's (the second-factor requirement, the name)
        db.session.execute(text("UPDATE regions SET require_second_factor = require_second_factor"
                                " WHERE teryt_code = '26'"))
        db.session.rollback()


def test_the_function_refuses_a_non_operator_an_empty_reason_and_the_floor(app):
    with app.app_context():
        coordinator = db.session.execute(select(User).where(User.email == "koordynator.rops@demo.regionet.example")).scalar_one()
        operator = db.session.execute(select(User).where(User.is_operator.is_(True))).scalars().first()
        call = text("SELECT figures_api.set_region_thresholds('26', :n, :s, :actor, :reason)")
        for args, error in (({"n": 4, "s": 6, "actor": coordinator.id, "reason": "chcę"}, "only the platform operator"),
                            ({"n": 4, "s": 6, "actor": operator.id, "reason": "  "}, "needs a reason"),
                            ({"n": 1, "s": 5, "actor": operator.id, "reason": "niżej"}, "threshold_floor"),
                            ({"n": 3, "s": 4, "actor": operator.id, "reason": "niżej"}, "sensitive_stricter")):
            with pytest.raises(DBAPIError, match=error):
                db.session.execute(call, args)
            db.session.rollback()
    assert _thresholds(app) == (3, 5)


def test_the_operator_changes_thresholds_with_a_reason_recorded_and_a_recount(app, client, auth):
    auth.login_coordinator()
    assert client.get(URL).status_code == 404          # the coordinator cannot
    auth.logout()
    auth.login_operator()
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "Teraz: 3, dane wrażliwe 5." in page
    response = client.post(URL, data={"suppression_threshold": "2", "sensitive_threshold": "6", "reason": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Wpisz liczbę całkowitą od 3 do 100." in page and 'value="6"' in page
    assert _thresholds(app) == (3, 5)
    response = client.post(URL, data={"suppression_threshold": "4", "sensitive_threshold": "6",
                                      "reason": "Prośba urzędu statystycznego"})
    assert response.status_code == 302
    assert _thresholds(app) == (4, 6)
    with app.app_context():
        event = db.session.execute(select(AccountEvent).where(AccountEvent.kind == "thresholds_changed")
                                   .order_by(AccountEvent.id.desc()).limit(1)).scalar_one()
        assert event.detail == {"from": [3, 5], "to": [4, 6], "reason": "Prośba urzędu statystycznego"}
        assert event.actor.is_operator and event.region_code == "26"
        run = db.session.get(RegionFigureRun, "26")
        assert run is not None and run.requested_at is not None       # the region is recounted
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "Prośba urzędu statystycznego" in page and "3 / 5" in page and "4 / 6" in page
