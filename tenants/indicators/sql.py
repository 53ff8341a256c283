"""Date arithmetic of the indicator windows, in PostgreSQL.

The indicator windows ("within 4 weeks of leaving", "by 6 months") are computed in the
database so that the counts come from GROUP BY queries, never from rows loaded into Python.
The amounts are constants of the code, written into the statement (part of its cache key).
"""
from sqlalchemy import Date, Integer, cast, literal_column


def add_days(day, days: int):
    return day + literal_column(str(int(days)), Integer)


def add_months(day, months: int):
    # PostgreSQL clamps to the month's last day (31 Aug + 6 months = 28/29 Feb), like the Python rule.
    return cast(day + literal_column(f"INTERVAL '{int(months)} months'"), Date)
