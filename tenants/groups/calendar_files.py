"""A meeting as an iCalendar invitation (RFC 5545, through `icalendar`): the agenda in the
description, the place or the online link, and a stable UID so that calendars update an imported
meeting when its file is imported again."""
from datetime import UTC, datetime, timedelta

from flask import Response
from icalendar import Calendar, Event, vText

from regionet.platform.ui.formatting import to_local_time

DEFAULT_LENGTH = timedelta(hours=2)


def meeting_event(meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@regionet")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", to_local_time(meeting.starts_at))
    event.add("dtend", to_local_time(meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH))
    event.add("summary", f"{meeting.group.name}: {meeting.title}")
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.online_url:
        event.add("location", meeting.online_url)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    lines = [f"{item.position}. {item.title}" + (f" ({item.presenter})" if item.presenter else "")
             for item in meeting.agenda]
    if meeting.online_url:
        lines.append(meeting.online_url)
    if lines:
        event["description"] = vText("\n".join(lines))
    return event


def calendar_of(events) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Regionet//Sieć współpracy//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def ics_response(calendar: Calendar, file_name: str) -> Response:
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def meeting_response(meeting) -> Response:
    calendar = calendar_of([meeting_event(meeting)])
    calendar.add("method", "PUBLISH")
    day = to_local_time(meeting.starts_at).date().isoformat()
    return ics_response(calendar, f"spotkanie-{day}.ics")
