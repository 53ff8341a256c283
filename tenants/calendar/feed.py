"""Calendar entries as iCalendar: the meetings at their hours, everything else as all-day events,
each with a reminder (VALARM) that the person's calendar application shows."""
from datetime import timedelta

from icalendar import Alarm, Event

from regionet.platform.ui.formatting import to_local_time
from regionet.tenants.groups.calendar_files import DEFAULT_LENGTH

from .entries import MEETING, Entry

REMINDERS = {MEETING: timedelta(days=1)}
DEFAULT_REMINDER = timedelta(days=7)


def _alarm(before: timedelta, title: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -before)
    return alarm


def entry_event(entry: Entry, base_url: str, stamp) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", entry.title)
    if entry.starts_at is not None:
        event.add("dtstart", to_local_time(entry.starts_at))
        event.add("dtend", to_local_time(entry.ends_at or entry.starts_at + DEFAULT_LENGTH))
    else:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    if entry.detail:
        event.add("description", entry.detail)
    if entry.url:
        event.add("url", base_url.rstrip("/") + entry.url)
    event.add_component(_alarm(REMINDERS.get(entry.kind, DEFAULT_REMINDER), entry.title))
    return event
