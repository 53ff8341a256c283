"""Reads of regional reports and schedules through the coordinator's role (its region only)."""
import uuid

from sqlalchemy import select

from ..coordinator.db import region_reader
from .models import RegionalReport, ReportSchedule

# The coordinator's role may not read error_detail (migration 0014): it is for the log and the operator.
_LISTED = [c for c in RegionalReport.__table__.c if c.name not in ("pdf", "dataset", "error_detail")]


def reports_for_region(region_code: str, limit: int = 50) -> list:
    table = RegionalReport.__table__
    with region_reader(region_code) as conn:
        return list(conn.execute(select(*_LISTED).where(table.c.region_code == region_code)
                                 .order_by(table.c.requested_at.desc()).limit(limit)).mappings())


def report_for_region(region_code: str, report_id: uuid.UUID):
    table = RegionalReport.__table__
    with region_reader(region_code) as conn:
        return conn.execute(select(*_LISTED).where(table.c.id == report_id, table.c.region_code == region_code)) \
            .mappings().first()


def report_pdf(region_code: str, report_id: uuid.UUID):
    table = RegionalReport.__table__
    with region_reader(region_code) as conn:
        row = conn.execute(select(table.c.pdf, table.c.file_name, table.c.status, table.c.withdrawn_at).where(
            table.c.id == report_id, table.c.region_code == region_code)).mappings().first()
        return None if row is None else {"pdf": bytes(row["pdf"]) if row["pdf"] is not None else None,
                                         "file_name": row["file_name"], "status": row["status"],
                                         "withdrawn_at": row["withdrawn_at"]}


def schedule_for_region(region_code: str):
    table = ReportSchedule.__table__
    with region_reader(region_code) as conn:
        return conn.execute(select(table).where(table.c.region_code == region_code, table.c.cancelled_at.is_(None))) \
            .mappings().first()
