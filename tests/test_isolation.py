"""Cross-tenant isolation at the HTTP level, generated from the app's URL map.

Every route of a TenantBlueprint is covered without a test of its own: a user of
institution B asking for an object of institution A gets 404, never 403 or the object.
"""
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.tenancy import models_by_url_arg
from regionet.platform.tenancy.web import TenantBlueprint

from .factories import FACTORIES, make

TENANT_A = "mops-skarzysko-kamienna"
TENANT_B = "owes-kielce"


def tenant_rules(app):
    for rule in app.url_map.iter_rules():
        blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
        if isinstance(blueprint, TenantBlueprint):
            yield rule


def object_args(rule) -> set[str]:
    return set(rule.arguments) - {"tenant"}


def _institution_id(app, slug):
    with app.app_context():
        return db.session.execute(select(Institution.id).where(Institution.slug == slug)).scalar_one()


def test_tenant_routes_exist(app):
    assert len(list(tenant_rules(app))) >= 5


def test_every_object_argument_is_registered_and_has_a_factory(app):
    with app.app_context():
        registry = models_by_url_arg()
    missing = []
    for rule in tenant_rules(app):
        for arg in object_args(rule):
            model = registry.get(arg)
            if model is None:
                missing.append(f"{rule.rule}: <{arg}> names no tenant model (__url_arg__)")
            elif model not in FACTORIES:
                missing.append(f"{rule.rule}: no factory for {model.__name__} in tests/factories.py")
    assert not missing, "\n".join(missing)


def _url(rule, slug, ids):
    values = {"tenant": slug, **{arg: ids[arg] for arg in object_args(rule)}}
    return rule.build(values, append_unknown=False)[1]


def _requests(client, rule, url):
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        yield method, client.open(url, method=method)


def test_objects_of_another_tenant_answer_404_on_every_route(app, client, auth):
    tenant_a = _institution_id(app, TENANT_A)
    with app.app_context():
        ids_in_a = {arg: make(model, tenant_a) for arg, model in models_by_url_arg().items()}
    check_foreign_objects_answer_404(app, client, auth, ids_in_a)


def check_foreign_objects_answer_404(app, client, auth, ids_in_a: dict) -> None:
    """B's user asks every route for A's objects (404), then A's user finds them (not vacuous)."""
    checked = 0
    auth.login_as(TENANT_B)
    for rule in tenant_rules(app):
        if not object_args(rule):
            continue
        url = _url(rule, TENANT_B, ids_in_a)
        for method, response in _requests(client, rule, url):
            assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
            checked += 1
    assert checked >= 4
    # The same URLs in A's own workspace do find the objects: the 404s above are not vacuous.
    auth.logout()
    auth.login_as(TENANT_A)
    for rule in tenant_rules(app):
        if object_args(rule) and "GET" in rule.methods:
            url = _url(rule, TENANT_A, ids_in_a)
            assert client.get(url).status_code in (200, 302), url


def test_an_institution_where_the_user_has_no_membership_answers_404(app, client, auth):
    with app.app_context():
        registry = models_by_url_arg()
        ids_in_a = {arg: make(model, _institution_id(app, TENANT_A)) for arg, model in registry.items()}
    auth.login_as(TENANT_B)
    for rule in tenant_rules(app):
        url = _url(rule, TENANT_A, ids_in_a)
        for method, response in _requests(client, rule, url):
            assert response.status_code == 404, f"{method} {url} -> {response.status_code}"


def test_unknown_institution_and_anonymous_user(client, auth):
    assert client.get(f"/i/{TENANT_A}/").status_code == 302  # to the sign-in page
    auth.login_as(TENANT_B)
    assert client.get("/i/no-such-institution/").status_code == 404
