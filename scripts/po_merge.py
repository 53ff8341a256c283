"""Resolve a merge conflict in the Polish catalog: the union of both sides' translations.

Usage (during a conflicted merge): python scripts/po_merge.py [--prefer theirs]
Re-extracts the messages, rebuilds the catalogs, and fills every translation either side had;
where both sides translate a msgid differently, ours wins unless --prefer theirs. Review those:
the same English words may mean different things in two modules (then give them distinct msgids).
"""
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = "platform/translations/pl/LC_MESSAGES/messages.po"


def side(stage: int) -> dict:
    text = subprocess.run(["git", "show", f":{stage}:{PO}"], cwd=ROOT, capture_output=True, check=True).stdout
    catalog = read_po(io.BytesIO(text), locale="pl")
    found = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        value = list(message.string) if isinstance(message.string, tuple) else message.string
        if value and (not isinstance(value, list) or all(value)):
            found[key] = value
    return found


def main() -> None:
    ours, theirs = side(2), side(3)
    for key in sorted(set(ours) & set(theirs)):
        if ours[key] != theirs[key]:
            print(f"differs: {key!r}: ours {ours[key]!r}, theirs {theirs[key]!r}")
    translations = {**ours, **theirs} if "--prefer" in sys.argv and "theirs" in sys.argv else {**theirs, **ours}
    for lang in ("pl", "en"):
        subprocess.run(["git", "checkout", "--ours", f"platform/translations/{lang}/LC_MESSAGES/messages.po"],
                       cwd=ROOT, check=True)
    subprocess.run(["git", "checkout", "--ours", "platform/translations/messages.pot"], cwd=ROOT, check=True)
    subprocess.run(["scripts/i18n.sh"], cwd=ROOT, check=True, capture_output=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(translations, handle, ensure_ascii=False)
    subprocess.run([sys.executable, "scripts/po_fill.py", handle.name], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
