"""Natural keys the UI promises unique hold in the database: two simultaneous posts that both pass
the form's check end with one row and, for the other, the Polish message next to the field with the
typed input kept. A unique violation inside an import shows the real cause, not PendingRollbackError."""
import io
import threading
from datetime import date

from sqlalchemy import func, select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.imports.models import ImportBatch, ImportStatus
from regionet.tenants.participants.models import Sex
from regionet.tenants.participants.pesel import make_pesel
from regionet.tenants.partners import services as partner_services
from regionet.tenants.partners.models import PartnerOrganisation

from .conftest import DEMO_PASSWORD
from .helpers import AuthActions
from .participant_helpers import add_participant
from .test_isolation import TENANT_A, _institution_id
from .test_participant_import import person, xlsx_file
from .test_partners import VALID_NIP, _error_next_to, _external


def test_two_simultaneous_new_partners_with_one_nip_make_one_partner_and_a_polish_error(app, monkeypatch):
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        AuthActions(client, DEMO_PASSWORD).login_as(TENANT_A, "staff")
    both_checked = threading.Barrier(2, timeout=20)
    check = partner_services.partner_with_nip_for_tenant

    def racing_check(nip):
        found = check(nip)
        both_checked.wait()   # both requests saw the NIP free before either inserted
        return found

    monkeypatch.setattr(partner_services, "partner_with_nip_for_tenant", racing_check)
    answers = [None, None]

    def post(n):
        answers[n] = clients[n].post(f"/i/{TENANT_A}/partners/new",
                                     data=_external(name=f"Fundacja Równoległa {n}", nip=VALID_NIP))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(a.status_code for a in answers) == [302, 422]
    refused = next(a for a in answers if a.status_code == 422).get_data(as_text=True)
    assert _error_next_to(refused, "nip") == "Partner o tym numerze NIP jest już zarejestrowany."
    assert "Fundacja Równoległa" in refused, "what was typed stays in the form"
    with app.app_context(), tenant_scope(_institution_id(app, TENANT_A)):
        assert db.session.execute(select(func.count()).select_from(PartnerOrganisation)
                                  .where(PartnerOrganisation.nip == VALID_NIP)).scalar_one() == 1


def test_a_pesel_registered_while_its_file_is_imported_fails_the_import_with_the_real_cause(app, client, auth,
                                                                                          monkeypatch):
    from regionet.workers.jobs import participant_import

    pesel = make_pesel(date(1971, 4, 2), Sex.FEMALE, 77)
    auth.login_as(TENANT_A, "staff")
    detail = client.post(f"/i/{TENANT_A}/participants/imports/upload",
                         data={"file": (io.BytesIO(xlsx_file([person(PESEL=pesel)])), "plik.xlsx")},
                         content_type="multipart/form-data").location
    # The check does not see the registration that a colleague commits a moment later.
    from regionet.tenants.imports.project_rows import Lookups

    monkeypatch.setattr(participant_import, "import_lookups_for_tenant", lambda: Lookups({}, {}, {}, {}))
    add_participant(app, TENANT_A, pesel=pesel, sex=Sex.FEMALE, birth_date=date(1971, 4, 2))
    tenant = _institution_id(app, TENANT_A)
    batch_id = detail.rstrip("/").rsplit("/", 1)[-1]
    participant_import.run_participant_import(tenant, batch_id, None)
    with app.app_context(), tenant_scope(tenant):
        batch = db.session.execute(select(ImportBatch)).scalar_one()
        assert batch.status is ImportStatus.FAILED and batch.imported_rows is None
        assert "zarejestrowano uczestnika o numerze PESEL z tego pliku" in batch.failure
    status = client.get(detail + "/status").get_json()
    assert status["status"] == "failed" and "PendingRollbackError" not in status["error"]
