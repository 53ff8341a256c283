"""Running tallies of an institution's records, kept by PostgreSQL triggers (migration 0010).

* `participants`: how many participants the institution has, so the unfiltered participant
  list shows its total without counting 20,000 rows on every page view;
* `records_version`: a value from a sequence, taken again by every statement that writes
  participants, enrolments, support episodes or outcomes; what is computed from those
  records (a project's indicators) can be reused for as long as it stays the same.

The triggers run inside the writing transaction, under its tenant (row-level security), so
the tallies commit or roll back with the records; every kind of write (forms, imports, the
demo seed, the generator's bulk INSERTs) is counted. The price: a transaction that writes
those records holds its institution's tally row until it commits, so writers of one
institution commit one after the other (a long import delays a colleague's save until it
ends); the row lock is also what keeps the version in commit order. SQLite has no triggers: there the
table stays empty and the readers fall back to counting (queries.py).
"""
from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from regionet.platform.extensions import db

PARTICIPANTS = "participants"
RECORDS_VERSION = "records_version"


class Tally(db.Model):
    __tablename__ = "tenant_tallies"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="RESTRICT"), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
