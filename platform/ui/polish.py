"""Polish text: alphabetical order and the form search compares, in SQL and in Python.

PostgreSQL does it with two functions of migration 0013, without ICU (the embedded server has
none): `polish_sort_key(text)` (bytes in the order of the Polish alphabet, letter by letter,
case-insensitive) and `search_fold(text)` (lower case without diacritics: "ŁĘCKA" -> "lecka").
Participants and TERYT units keep both as stored columns (`name_key`, `search_text`); other
lists are short and compute them in the query. The Python functions give the same order and
form for sorting in Python (commune choices, labels, PDF indexes); a test holds them to the SQL.
"""
import unicodedata

from sqlalchemy import ARRAY, Text, func, literal, or_, select

POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
# A Polish letter sorts right after its base letter: base + "~", which sorts after every
# letter, digit and space ("ż" after "ź": two of them). The same expansion as the SQL function.
_EXPANDED = str.maketrans({"ą": "a~", "ć": "c~", "ę": "e~", "ł": "l~", "ń": "n~", "ó": "o~", "ś": "s~",
                           "ź": "z~", "ż": "z~~"})
# Letters that Unicode does not decompose into a base letter and a mark (unaccent maps them).
_UNDECOMPOSED = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i",
                               "ŀ": "l", "ħ": "h", "þ": "th"})
_LIKE_ESCAPE = "/"


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sort_key(text: str | None) -> str:
    """Python's twin of `polish_sort_key`: "Bazylak" < "Bąk" < "Brzezińska", "Czajka" < "Ćwik"."""
    return _without_marks((text or "").replace("~", "").lower().translate(_EXPANDED))


def fold(text: str | None) -> str:
    """Python's twin of `search_fold`: lower case, no diacritics ("Źdźbło" -> "zdzblo")."""
    return _without_marks((text or "").lower())


def polish_order(column):
    """ORDER BY term: the column in Polish alphabetical order (computed per row: short lists)."""
    return func.polish_sort_key(column)


def folded(expression):
    """`search_fold` spelled inline: the same result, without a function call per row."""
    return func.lower(func.unaccent(expression))


def folded_words(words: list[str]) -> list[str]:
    """The words as `search_fold` folds them, asked of the database once (one short query): the
    patterns are then constants, which the planner estimates and the trigram index serves, and
    nothing is folded again for every row."""
    if not words:
        return []
    from ..extensions import db

    return list(db.session.execute(
        select(folded(func.unnest(literal(words, ARRAY(Text)))))).scalars())


def _pattern(folded_word: str) -> str:
    escaped = folded_word.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", _LIKE_ESCAPE + "%") \
        .replace("_", _LIKE_ESCAPE + "_")
    return f"%{escaped}%"


def contains_word(expression, folded_word: str, *, already_folded: bool = False):
    """`expression` contains `folded_word` (from `folded_words`), ignoring case and diacritics."""
    haystack = expression if already_folded else folded(expression)
    return haystack.like(_pattern(folded_word), escape=_LIKE_ESCAPE)


def any_contains_word(columns, folded_word: str):
    return or_(*(contains_word(column, folded_word) for column in columns))
