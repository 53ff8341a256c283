"""Date arithmetic that SQLAlchemy has no portable spelling for (PostgreSQL and SQLite).

The indicator windows ("within 4 weeks of leaving", "by 6 months") are computed in the
database so that the counts come from GROUP BY queries, never from rows loaded into Python.
"""
from sqlalchemy import Date, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class _DateShift(FunctionElement):
    type = Date()
    inherit_cache = True

    def __init__(self, day, amount: int):
        # The amount is a constant of the code, rendered literally (part of the statement cache key).
        super().__init__(day, literal_column(str(int(amount))))


def _parts(element, compiler, **kw) -> tuple[str, int]:
    day, amount = list(element.clauses)
    return compiler.process(day, **kw), int(amount.name)


class add_days(_DateShift):
    name = "add_days"
    inherit_cache = True


class add_months(_DateShift):
    name = "add_months"
    inherit_cache = True


@compiles(add_days, "postgresql")
def _add_days_pg(element, compiler, **kw):
    day, amount = _parts(element, compiler, **kw)
    return f"({day} + {amount})"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, amount = _parts(element, compiler, **kw)
    return f"date({day}, '{amount:+d} days')"


@compiles(add_months, "postgresql")
def _add_months_pg(element, compiler, **kw):
    # PostgreSQL clamps to the month's last day (31 Aug + 6 months = 28/29 Feb), like the Python rule.
    day, amount = _parts(element, compiler, **kw)
    return f"CAST({day} + INTERVAL '{amount} months' AS DATE)"


@compiles(add_months, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    # SQLite rolls over (31 Mar + 6 months = 1 Oct); clamp to the last day of the target month.
    day, amount = _parts(element, compiler, **kw)
    return (f"min(date({day}, '{amount:+d} months'), "
            f"date({day}, 'start of month', '{amount + 1:+d} months', '-1 day'))")
