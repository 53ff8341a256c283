"""Form helpers shared by every module."""
from wtforms.fields.choices import SelectChoice


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
