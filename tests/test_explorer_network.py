"""The explorer ("Zestawienia") offers the network's tables (referrals, working groups) as their pages
show them: the same builder, the same protected cells, downloaded through the same export addresses
(so tests/test_network_disclosure_attack.py, which downloads every `downloadable()` table by its own
address, attacks what the explorer offers too)."""
import re
from html import unescape

from regionet.platform.coordinator.network_tables import downloadable
from regionet.platform.ui.formatting import today_in_poland

from .coordinator_data import clean_region_tables  # noqa: F401 (fixture)
from .helpers import visible_text
from .test_referral_figures import demo_referrals  # noqa: F401 (fixture)

BASE = "/r/swietokrzyskie"


def _options(html: str, name: str) -> list[str]:
    block = re.search(rf'<select id="{name}" name="{name}"[^>]*>(.*?)</select>', html, re.DOTALL)
    return re.findall(r'<option value="([^"]*)"', block.group(1))


def _table(html: str, table_id: str) -> str:
    found = re.search(rf'<table class="data"[^>]*data-testid="table-{re.escape(table_id)}">(.*?)</table>', html,
                      re.DOTALL)
    assert found, table_id
    return visible_text(re.sub(r"<caption.*?</caption>", "", found.group(1), flags=re.DOTALL))


def test_the_explorer_offers_every_network_table_as_its_page_shows_it(app, client, auth, demo_referrals):  # noqa: F811
    auth.login_coordinator()
    year = today_in_poland().year
    html = client.get(f"{BASE}/explore").get_data(as_text=True)
    assert "Skierowania między instytucjami" in html and "Uczestnicy: miara według przekroju" in html
    assert sorted(t for t in _options(html, "table") if t) == sorted(downloadable())

    pages = {path: client.get(f"{BASE}/{path}?period={year}").get_data(as_text=True)
             for path in ("referrals", "working-groups")}
    for table_id in downloadable():
        # "accepted data only" and a participants' measure are ignored for a network table
        response = client.get(f"{BASE}/explore?table={table_id}&period={year}&scope=accepted&measure=episodes")
        assert response.status_code == 200, table_id
        html = response.get_data(as_text=True)
        links = {unescape(h) for h in re.findall(r'href="([^"]*/export/[^"]*)"', html)}
        assert links == {f"{BASE}/export/{table_id}.{fmt}?period={year}" for fmt in ("csv", "xlsx")}, links
        assert "Tajemnica statystyczna" in html
        shown = [page for page in pages.values() if f'data-testid="table-{table_id}"' in page]
        if shown:      # the page's own table, cell by cell
            assert _table(html, table_id) == _table(shown[0], table_id), table_id
    assert any(f'data-testid="table-{t}"' in page for t in downloadable() for page in pages.values())

    # the explorer's own export serves the participants' breakdown only, never a network table again
    download = client.get(f"{BASE}/export/explore.csv?table=net-ref--ref_to&period={year}")
    assert download.status_code == 200 and "Skierowania" not in download.data.decode("utf-8-sig")
    wrong = client.get(f"{BASE}/explore?table=net-nothing").get_data(as_text=True)
    assert "Wybierz jedną z tabel z listy." in wrong and 'aria-invalid="true"' in wrong
