"""Polish first: a complete catalog, Polish formats, English available."""
import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from babel.messages.pofile import read_po

from regionet.platform.ui.formatting import format_datetime, format_day, format_money, format_number

from .helpers import visible_text

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"


def test_every_message_in_the_code_has_a_polish_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with (ROOT / "platform/translations/pl/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="pl")
    translated = {}
    for m in catalog:
        if not m.id or "fuzzy" in m.flags:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        complete = m.string if isinstance(m.string, str) else all(m.string)
        if complete:
            translated[key] = m.string
    missing = sorted(extracted - set(translated))
    assert not missing, "untranslated (run scripts/i18n.sh, then translate):\n" + "\n".join(missing)
    assert len(catalog.plural_forms) and catalog.num_plurals == 3


def test_polish_formats(app):
    with app.test_request_context("/"):
        assert format_money(Decimal("904150")) == f"904{NBSP}150,00{NBSP}zł"
        assert format_money(876150.5) == f"876{NBSP}150,50{NBSP}zł"
        assert format_number(1057) == f"1{NBSP}057"
        assert format_number(12.5, 1) == "12,5"
        assert format_day(datetime.date(2026, 7, 21)) == "21.07.2026"
        assert format_datetime(datetime.datetime(2026, 7, 21, 10, 5, tzinfo=datetime.UTC)) == "21.07.2026, 12:05"


def test_english_is_available_and_switchable(client, auth):
    auth.login_as("owes-kielce")
    polish = visible_text(client.get("/i/owes-kielce/").get_data(as_text=True))
    assert "Zalogowano jako" in polish and "Wyloguj" in polish
    assert client.post("/language", data={"language": "en", "next": "/i/owes-kielce/"}).status_code == 302
    english = client.get("/i/owes-kielce/").get_data(as_text=True)
    assert '<html lang="en">' in english and "Signed in as" in visible_text(english)
    client.post("/language", data={"language": "pl", "next": "/i/owes-kielce/"})
    assert '<html lang="pl">' in client.get("/i/owes-kielce/").get_data(as_text=True)


def test_plural_forms_follow_polish_grammar(app):
    from flask_babel import ngettext

    with app.test_request_context("/"):
        forms = [ngettext("%(num)s person has access to this institution.",
                          "%(num)s people have access to this institution.", n) for n in (1, 3, 5, 22, 25)]
    assert forms == ["1 osoba ma dostęp do tej instytucji.", "3 osoby mają dostęp do tej instytucji.",
                     "5 osób ma dostęp do tej instytucji.", "22 osoby mają dostęp do tej instytucji.",
                     "25 osób ma dostęp do tej instytucji."]
