"""Every factory builds a valid object graph in its tenant (and only there)."""
import pytest
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import tenant_scope

from .factories import FACTORIES, make
from .test_isolation import TENANT_A, TENANT_B, _institution_id


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_factory_creates_in_its_tenant_only(app, model):
    a, b = _institution_id(app, TENANT_A), _institution_id(app, TENANT_B)
    with app.app_context():
        object_id = make(model, a)
        with tenant_scope(a):
            assert db.session.execute(select(model).where(model.id == object_id)).scalar_one().tenant_id == a
        with tenant_scope(b):
            assert db.session.execute(select(model).where(model.id == object_id)).first() is None
