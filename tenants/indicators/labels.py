from flask_babel import lazy_gettext as _l

AGE_BAND_LABELS = {
    "under_18": _l("under 18"),
    "18_24": "18–24",
    "25_29": "25–29",
    "30_49": "30–49",
    "50_64": "50–64",
    "65_plus": _l("65 or over"),
}
