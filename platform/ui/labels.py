"""Translated labels for enum values, resolved once per language instead of once per table cell.

Label dictionaries hold lazy strings (the language is only known per request); a list page
may print hundreds of them, and every lazy string looks the translation up again. A
LabelMap caches the translated text per language and otherwise behaves like a dict.
"""
from collections.abc import Mapping

from .formatting import current_language


class LabelMap(Mapping):
    def __init__(self, labels: Mapping):
        self._labels = dict(labels)
        self._translated: dict[str, dict] = {}

    def translated(self) -> dict:
        """The labels in the current language, as a plain dict (for a loop over many rows)."""
        return self._for_language()

    def _for_language(self) -> dict:
        language = current_language()
        translated = self._translated.get(language)
        if translated is None:
            translated = self._translated[language] = {key: str(label) for key, label in self._labels.items()}
        return translated

    def __getitem__(self, key):
        return self._for_language()[key]

    def __iter__(self):
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def lazy(self, key):
        """The untranslated lazy string (for form choices built before the language is known)."""
        return self._labels[key]
