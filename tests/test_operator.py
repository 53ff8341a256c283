"""The platform operator's console: creating regions, institutions and accounts, with Polish errors."""
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution

from .helpers import fast_password_hashing, visible_text


def test_bad_institution_input_is_refused_next_to_the_fields_and_kept(app, client, auth):
    auth.login_operator()
    response = client.post("/operator/institutions", data={
        "region_code": "26", "kind": "ops", "name": "Gminny Ośrodek Pomocy Społecznej w Łącznej",
        "short_name": "GOPS Łączna", "teryt_code": "1465011", "nip": "123-456-78-90", "regon": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    text = visible_text(page)
    assert "Ta gmina lub powiat leży poza regionem." in text
    assert "Ten numer NIP jest nieprawidłowy (sprawdź cyfry)." in text
    assert 'value="Gminny Ośrodek Pomocy Społecznej w Łącznej"' in page and 'value="123-456-78-90"' in page
    assert 'id="teryt_code-error"' in page and 'id="nip-error"' in page
    with app.app_context():
        assert db.session.execute(select(Institution).where(Institution.slug == "gops-laczna")).first() is None


def test_operator_creates_an_institution_and_its_admin(app, client, auth):
    auth.login_operator()
    created = client.post("/operator/institutions", data={
        "region_code": "26", "kind": "ops", "name": "Gminny Ośrodek Pomocy Społecznej w Łącznej",
        "short_name": "GOPS Łączna", "teryt_code": "2610032", "nip": "", "regon": ""})
    assert created.status_code == 302
    with app.app_context():
        institution = db.session.execute(select(Institution).where(Institution.slug == "gops-laczna")).scalar_one()
    with fast_password_hashing():
        user = client.post("/operator/users", data={"email": "kierownik@gops-laczna.example",
                                                    "full_name": "Jan Kowalski", "password": "dlugie-haslo-1",
                                                    "place": f"i:{institution.id}", "role": "admin"})
    assert user.status_code == 302
    client.post("/logout")
    # an administrator sets up the second factor at the first sign-in, then is in
    assert "Kody odzyskiwania" in auth.login("kierownik@gops-laczna.example", "dlugie-haslo-1").get_data(as_text=True)
    assert "Gminny Ośrodek Pomocy Społecznej w Łącznej" in client.get("/i/gops-laczna/").get_data(as_text=True)


def test_operator_user_form_errors(client, auth):
    auth.login_operator()
    response = client.post("/operator/users", data={"email": "zly-adres", "full_name": "", "password": "krotkie",
                                                    "place": "", "role": "staff"})
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "Wpisz poprawny adres e-mail." in text and "Hasło musi mieć co najmniej 10 znaków." in text
