"""Fill Polish translations into platform/translations/pl/LC_MESSAGES/messages.po.

Usage: python scripts/po_fill.py FILE.json
FILE.json maps an English msgid to its Polish text; for plural messages the value is a
list of the three Polish forms (one, few, many). Entries already translated are
overwritten only when the JSON says so. Run scripts/i18n.sh first to extract new msgids.
"""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "platform/translations/pl/LC_MESSAGES/messages.po"


def main(path: str) -> None:
    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="pl")
    filled = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in wanted:
            value = wanted[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
            filled += 1
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main(sys.argv[1])
