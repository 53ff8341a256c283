"""What the region's calendar holds (the coordinator's view, issue 16 point 4): the meetings and task
deadlines of the coordinator's regional groups (read in the region office's tenant scope), the
reporting periods the coordinator opened, and the statutory reporting deadlines of every type of
institution (the operator's data, platform/calendar/models.ReportingDeadline). No person's name: the
entries name groups, meetings, periods and forms."""
from datetime import UTC, date, datetime, time, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from regionet.tenants.calendar.entries import DEADLINE, MEETING, TASK, Entry
from regionet.tenants.groups.models import ActionItem, ActionState, Meeting

from ..coordinator.models import ReportingPeriod
from ..extensions import db
from ..institutions.labels import KIND_SHORT
from ..regional_groups.office import region_office
from ..regions.models import Region
from ..tenancy import tenant_scope
from ..ui.formatting import format_day, to_local_time
from .deadlines import all_deadlines, occurrences

PERIOD = "period"


def _group_entries(region: Region, office_id: int, start: date, end: date) -> list[Entry]:
    since = datetime.combine(start, time.min, tzinfo=UTC) - timedelta(days=1)
    until = datetime.combine(end, time.max, tzinfo=UTC) + timedelta(days=1)
    with tenant_scope(office_id):
        meetings = db.session.execute(select(Meeting).where(
            Meeting.tenant_id == office_id, Meeting.starts_at.between(since, until)).order_by(Meeting.starts_at)).scalars()
        entries = [Entry(MEETING, to_local_time(m.starts_at).date(), f"{m.group.name}: {m.title}",
                         m.place or m.online_url or "", f"meeting-{m.id}@regionet",
                         url_for("region_groups.meeting", region=region.slug, meeting_id=m.id), m.starts_at, m.ends_at)
                   for m in meetings if start <= to_local_time(m.starts_at).date() <= end]
        tasks = db.session.execute(select(ActionItem).where(
            ActionItem.tenant_id == office_id, ActionItem.state == ActionState.OPEN,
            ActionItem.deadline.between(start, end)).order_by(ActionItem.deadline)).scalars()
        entries += [Entry(TASK, a.deadline, _("Task deadline: %(title)s", title=a.title),
                          f"{a.group.name} · {a.owner_label}", f"task-{a.id}@regionet",
                          url_for("region_groups.detail", region=region.slug, group_id=a.group_id)) for a in tasks]
    return entries


def _periods(region: Region, start: date, end: date) -> list[Entry]:
    periods = db.session.execute(select(ReportingPeriod).where(
        ReportingPeriod.region_code == region.teryt_code, ReportingPeriod.due_date.between(start, end))).scalars()
    return [Entry(PERIOD, p.due_date, _("Reporting period due: %(name)s", name=p.name),
                  f"{format_day(p.start_date)} – {format_day(p.end_date)}", f"period-{p.id}@regionet",
                  url_for("coordinator.period", region=region.slug, period_id=p.id)) for p in periods]


def _kinds(values: list[str]) -> str:
    known = {kind.value: str(label) for kind, label in KIND_SHORT.items()}
    return ", ".join(known.get(value, value) for value in values)


def _deadlines(region: Region, start: date, end: date) -> list[Entry]:
    entries = []
    for deadline in all_deadlines():
        for day in occurrences(deadline, start, end):
            detail = f"{_kinds(deadline.reporter_kinds)}: {deadline.name} → {deadline.recipient}" + (
                f" ({deadline.period_note})" if deadline.period_note else "")
            entries.append(Entry(DEADLINE, day, _("Report due: %(form)s", form=deadline.form_code), detail,
                                 f"deadline-{deadline.id}-region-{region.teryt_code}-{day.isoformat()}@regionet"))
    return entries


def entries_for_region(region: Region, start: date, end: date) -> list[Entry]:
    office = region_office(region)
    entries = (_group_entries(region, office.id, start, end) if office is not None else []) \
        + _periods(region, start, end) + _deadlines(region, start, end)
    return sorted(entries, key=lambda e: (e.day, e.starts_at or datetime.min.replace(tzinfo=UTC), e.kind, e.title))


def unconfirmed_deadlines() -> list:
    return [d for d in all_deadlines() if d.active and d.due_day is None]
