#!/usr/bin/env bash
# Extract messages and merge them into the catalogs (then translate the new entries in
# platform/translations/pl/LC_MESSAGES/messages.po). `make translations` compiles them.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location --sort-output \
  --project regionet -o platform/translations/messages.pot .
for lang in pl en; do
  if [ -f "platform/translations/$lang/LC_MESSAGES/messages.po" ]; then
    pybabel update --no-fuzzy-matching --ignore-obsolete -l "$lang" -i platform/translations/messages.pot -d platform/translations
  else
    pybabel init -l "$lang" -i platform/translations/messages.pot -d platform/translations
  fi
done
