"""Reads of the region-level practice tables.

The coordinator's pages read through `region_reader` (the coordinator's database role,
its region only); institutions browse the catalogue through the app's session. Both use
the same statements, so the catalogue looks the same from either side.
"""
import math
import uuid
from dataclasses import dataclass

from sqlalchemy import exists, func, select

from ..coordinator.db import region_reader
from ..extensions import db
from ..institutions.models import Institution
from ..regions.models import TerytUnit
from ..ui.listing import ListQuery, search_clause
from ..ui.polish import polish_order
from .models import PracticeSubmission, PublishedPractice, PublishedPracticeTag, SubmissionPhoto, SubmissionStatus

CATALOGUE_SORTABLE = {"published": PublishedPractice.published_at, "title": polish_order(PublishedPractice.title),
                      "institution": polish_order(PublishedPractice.institution_name)}
CATALOGUE_FILTERS = ("instrument", "target_group", "kind", "county")


@dataclass
class CataloguePage:
    items: list
    total: int
    page: int
    per_page: int
    query: ListQuery

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def _catalogue_statement(region_code: str, listing: ListQuery):
    entry = PublishedPractice
    statement = select(entry.id, entry.title, entry.institution_name, entry.institution_kind, entry.county_name,
                       entry.period_start, entry.period_end, entry.published_at, entry.version_number,
                       entry.figures).where(entry.region_code == region_code)
    if listing.q:
        statement = statement.where(*search_clause(listing.q, entry.search_text))
    for facet in ("instrument", "target_group"):
        if listing.filters.get(facet):
            statement = statement.where(exists().where(
                PublishedPracticeTag.published_id == entry.id, PublishedPracticeTag.facet == facet,
                PublishedPracticeTag.value == listing.filters[facet]))
    if listing.filters.get("kind"):
        statement = statement.where(entry.institution_kind == listing.filters["kind"])
    if listing.filters.get("county"):
        statement = statement.where(entry.county_code == listing.filters["county"])
    return statement


def _page(execute, region_code: str, listing: ListQuery) -> CataloguePage:
    statement = _catalogue_statement(region_code, listing)
    total = execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    pages = max(1, math.ceil(total / listing.per_page))
    listing.page = min(listing.page, pages)
    column = CATALOGUE_SORTABLE[listing.sort]
    rows = execute(statement.order_by(column.desc() if listing.descending else column.asc(), PublishedPractice.id)
                   .limit(listing.per_page).offset((listing.page - 1) * listing.per_page)).all()
    return CataloguePage(items=list(rows), total=total, page=listing.page, per_page=listing.per_page, query=listing)


def catalogue_for_institution(region_code: str, listing: ListQuery) -> CataloguePage:
    """The published catalogue of the institution's own region (region-level rows only)."""
    return _page(db.session.execute, region_code, listing)


def catalogue_for_coordinator(region_code: str, listing: ListQuery) -> CataloguePage:
    with region_reader(region_code) as conn:
        return _page(conn.execute, region_code, listing)


def counties_of_region(execute, region_code: str) -> list[tuple[str, str]]:
    unit = TerytUnit.__table__
    return [(code, name) for code, name in execute(
        select(unit.c.code, unit.c.name).where(unit.c.voivodeship == region_code, func.length(unit.c.code) == 4)
        .order_by(polish_order(unit.c.name))).all()]


def published_entry(execute, region_code: str, published_id: uuid.UUID):
    """(entry, submission) of one published practice of the region, or None."""
    entry, submission = PublishedPractice.__table__, PracticeSubmission.__table__
    return execute(select(entry, submission.c.content, submission.c.content_sha256)
                   .join(submission, submission.c.id == entry.c.submission_id)
                   .where(entry.c.id == published_id, entry.c.region_code == region_code)).mappings().first()


def submission_photos(execute, region_code: str, submission_id: uuid.UUID) -> list:
    photo = SubmissionPhoto.__table__
    return list(execute(select(photo.c.position, photo.c.caption, photo.c.width, photo.c.height)
                        .where(photo.c.submission_id == submission_id, photo.c.region_code == region_code)
                        .order_by(photo.c.position)).mappings())


def submission_photo(execute, region_code: str, submission_id: uuid.UUID, position: int):
    photo = SubmissionPhoto.__table__
    return execute(select(photo.c.data, photo.c.content_type, photo.c.sha256)
                   .where(photo.c.submission_id == submission_id, photo.c.region_code == region_code,
                          photo.c.position == position)).mappings().first()


def published_photo_for_institution(region_code: str, published_id: uuid.UUID, position: int):
    row = published_entry(db.session.execute, region_code, published_id)
    return None if row is None else submission_photo(db.session.execute, region_code, row["submission_id"], position)


# --- the coordinator's review -------------------------------------------------------------

def submissions_for_coordinator(region_code: str, status: SubmissionStatus, limit: int = 100) -> list:
    sub, inst = PracticeSubmission.__table__, Institution.__table__
    order = sub.c.submitted_at.asc() if status is SubmissionStatus.PENDING else sub.c.decided_at.desc()
    with region_reader(region_code) as conn:
        return list(conn.execute(
            select(sub.c.id, sub.c.title, sub.c.version_number, sub.c.submitted_at, sub.c.submitted_by_name,
                   sub.c.decided_at, sub.c.decided_by_name, sub.c.status, sub.c.comment,
                   inst.c.name.label("institution_name"))
            .join(inst, inst.c.id == sub.c.institution_id)
            .where(sub.c.region_code == region_code, sub.c.status == status.value)
            .order_by(order).limit(limit)).mappings())


def submission_for_coordinator(region_code: str, submission_id: uuid.UUID) -> dict | None:
    sub = PracticeSubmission.__table__
    entry = PublishedPractice.__table__
    with region_reader(region_code) as conn:
        row = conn.execute(select(sub).where(sub.c.id == submission_id, sub.c.region_code == region_code)) \
            .mappings().first()
        if row is None:
            return None
        current = conn.execute(
            select(entry.c.id, entry.c.version_number, sub.c.content)
            .join(sub, sub.c.id == entry.c.submission_id)
            .where(entry.c.practice_id == row["practice_id"], entry.c.region_code == region_code)).mappings().first()
        history = list(conn.execute(
            select(sub.c.id, sub.c.version_number, sub.c.status, sub.c.submitted_at, sub.c.decided_at,
                   sub.c.decided_by_name, sub.c.comment)
            .where(sub.c.practice_id == row["practice_id"], sub.c.region_code == region_code)
            .order_by(sub.c.submitted_at.desc())).mappings())
        photos = submission_photos(conn.execute, region_code, submission_id)
    return {"submission": dict(row), "published": dict(current) if current else None, "history": history,
            "photos": photos}


