"""The urban/rural class (DEGURBA) of the place of residence is data (issue 17, point 6): every commune
of the TERYT register the platform ships has a class, from the source the file names."""
import csv
from pathlib import Path

from regionet.tenants.esf.participant_file import DATA, degurba_classes

TERC = Path(__file__).resolve().parent.parent / "platform/regions/data/teryt_terc_2024-01-01.csv"


def test_every_teryt_commune_has_a_degurba_class():
    with TERC.open(encoding="utf-8") as handle:
        communes = {f"{r['WOJ']}{r['POW']}{r['GMI']}{r['RODZ']}" for r in csv.DictReader(handle, delimiter=";")
                    if r["RODZ"] in {"1", "2", "3"}}
    classes = degurba_classes()
    assert len(communes) == 2477
    assert communes - set(classes) == set()
    assert set(classes.values()) == {"1", "2", "3"}
    # a city, a town and a rural commune of the demo region
    assert (classes["2661011"], classes["2610011"], classes["2610042"]) == ("1", "2", "3")


def test_the_file_names_its_source():
    head = (DATA / "degurba.csv").read_text(encoding="utf-8").split("teryt;degurba")[0]
    assert "Eurostat" in head and "LAU 2019" in head and "rOpenGov/regions" in head
