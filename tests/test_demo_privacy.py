"""The demo's data-protection officer: an `iod` account of the MOPS, listed with the other demo
accounts, whose desk shows requests in each state and whose access trail is not empty, and who
opens no participant's file."""
import re

from sqlalchemy import select

from regionet.platform.accounts.models import Membership, MembershipRole, User
from regionet.platform.demo.privacy import do_seed_demo_privacy
from regionet.platform.demo.seed import demo_accounts, institution_login
from regionet.platform.demo.workspace import do_seed_demo_workspaces
from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.platform.ui.formatting import today_in_poland
from regionet.tenants.privacy.models import RequestKind, RequestStatus, SubjectRequest

from .helpers import visible_text
from .test_isolation import _institution_id

MOPS = "mops-skarzysko-kamienna"
OFFICER = institution_login(MOPS, "iod", 1)


def test_the_demo_has_a_data_protection_officer_with_requests_in_each_state(app, client, auth):
    with app.app_context():
        membership = db.session.execute(select(Membership).join(User, User.id == Membership.user_id)
                                        .where(User.email == OFFICER)).scalar_one()
        assert membership.role is MembershipRole.IOD and membership.institution.slug == MOPS
        assert not membership.special_categories
        do_seed_demo_workspaces(today_in_poland())
        assert do_seed_demo_privacy(today_in_poland())
        assert do_seed_demo_privacy(today_in_poland()) == []   # once
    with app.app_context(), app.test_request_context("/"):
        listed = next(a for a in demo_accounts() if a["login"] == OFFICER)
        assert listed["role"] == "iod" and listed["institution"] == MOPS
        assert listed["login_url"].endswith(f"next=/i/{MOPS}/privacy/requests/")
    with app.app_context(), tenant_scope(_institution_id(app, MOPS)):
        stored = {r.kind: r for r in db.session.execute(select(SubjectRequest)).scalars()}
        assert set(stored) == {RequestKind.RECTIFICATION, RequestKind.ERASURE, RequestKind.ACCESS}
        assert stored[RequestKind.ERASURE].extension_reason and stored[RequestKind.ERASURE].status is RequestStatus.OPEN
        assert stored[RequestKind.ACCESS].status is RequestStatus.CLOSED and stored[RequestKind.ACCESS].answer
        assert all(r.due_on >= today_in_poland() for r in stored.values() if r.status is RequestStatus.OPEN)
        person_id = stored[RequestKind.ACCESS].participant_id
        assert person_id is not None

    base = f"/i/{MOPS}"
    response = auth.login(OFFICER)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    home = client.get(f"{base}/")
    assert home.status_code == 302 and home.location.endswith("/privacy/requests/")
    open_page = visible_text(client.get(f"{base}/privacy/requests/").get_data(as_text=True))
    assert "Sprostowanie (art. 16)" in open_page and "Usunięcie danych (art. 17)" in open_page
    assert "Katarzyna Zając" in open_page and "Zamknięte" not in open_page
    every = visible_text(client.get(f"{base}/privacy/requests/?state=all").get_data(as_text=True))
    assert "Zamknięte" in every and "Dostęp do danych" in every
    trail = visible_text(client.get(f"{base}/audit/access").get_data(as_text=True))
    assert "Plik z danymi osoby (PDF)" in trail and "Bożena Wiśniewska" in trail
    for url in ("/privacy/register", "/privacy/retention"):
        assert client.get(base + url).status_code == 200, url
    # ...and no participant's file, nor the lists that lead to one.
    for url in ("/participants/", f"/participants/{person_id}", f"/privacy/people/{person_id}",
                f"/privacy/people/{person_id}/access.json", f"/privacy/people/{person_id}/access.pdf",
                "/projects/", "/plans/"):
        assert client.get(base + url).status_code == 403, url
    # The officer handles requests (offered as their handler) but is no plan's case worker.
    assert "Barbara Sikora" in _select(client.get(f"{base}/privacy/requests/new"), "assigned_to_id")
    auth.logout()
    auth.login_as(MOPS, "staff")
    workers = _select(client.get(f"{base}/participants/{person_id}/plans/new"), "case_worker_id")
    assert "Katarzyna Zając" in workers and "Barbara Sikora" not in workers


def _select(response, name: str) -> str:
    assert response.status_code == 200
    return re.search(rf'<select[^>]*name="{name}".*?</select>', response.get_data(as_text=True), re.S).group(0)
