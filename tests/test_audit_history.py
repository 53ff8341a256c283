"""The change history is written with every change of an audited record; the access trail is append-only."""
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import ProgrammingError

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope
from regionet.tenants.audit.models import AccessAction, AccessRecord, ChangeAction, ChangeRecord
from regionet.tenants.audit.recording import record_access
from regionet.tenants.participants.models import Participant

from .factories import make
from .test_isolation import TENANT_A, _institution_id


def test_create_update_delete_are_recorded_with_old_and_new_values(app):
    tenant = _institution_id(app, TENANT_A)
    with app.app_context():
        participant_id = make(Participant, tenant)
        with tenant_scope(tenant):
            participant = db.session.execute(select(Participant).where(Participant.id == participant_id)).scalar_one()
            participant.last_name = "Nowakowska"
            db.session.commit()
            db.session.delete(participant)
            db.session.commit()
            records = db.session.execute(select(ChangeRecord).where(ChangeRecord.entity_id == participant_id)
                                         .order_by(ChangeRecord.at, ChangeRecord.id)).scalars().all()
    assert [r.action for r in records] == [ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE]
    assert records[0].changes["first_name"] == "Anna" and "pseudonym" not in records[0].changes
    assert records[1].changes == {"last_name": [records[0].changes["last_name"], "Nowakowska"]}


def test_access_trail_is_append_only_for_the_runtime_role(app, pg_database):
    tenant = _institution_id(app, TENANT_A)
    with app.test_request_context("/"), tenant_scope(tenant):
        record_access(AccessAction.EXPORT, "participant_list", detail="12 rows")
        assert db.session.execute(select(AccessRecord.detail)).scalar_one() == "12 rows"
    engine = create_engine(pg_database["app"])
    try:
        for statement in ("UPDATE access_records SET detail = 'x'", "DELETE FROM access_records"):
            with pytest.raises(ProgrammingError, match="permission denied"):
                with engine.begin() as conn:
                    conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})
                    conn.execute(text(statement))
    finally:
        engine.dispose()
