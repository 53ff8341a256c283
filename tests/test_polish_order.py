"""Lists sort names in Polish alphabetical order on PostgreSQL (Ć after C, Ł after L), not by code point."""
from .participant_helpers import BASE, add_participant
from .test_participant_list import names_on


def test_participant_names_follow_the_polish_alphabet(app, client, auth):
    for last_name in ("Zawada", "Łukasik", "Lis", "Ćwik", "Czajka", "Mazur", "Śliwa", "Sowa"):
        add_participant(app, first_name="Jan", last_name=last_name)
    auth.login_as("mops-skarzysko-kamienna", "readonly")
    names = [name.split()[0] for name in names_on(client.get(f"{BASE}/?sort=name").get_data(as_text=True))]
    assert names == ["Czajka", "Ćwik", "Lis", "Łukasik", "Mazur", "Sowa", "Śliwa", "Zawada"]
