"""A project's enrolments, support episodes and outcomes as spreadsheet rows."""
from flask_babel import gettext as _

from regionet.tenants.participants.labels import LABOUR_STATUS_LABELS

from .labels import INSTRUMENT_LABELS, OUTCOME_LABELS


def _yes_no(flag):
    return None if flag is None else (_("yes") if flag else _("no"))


def enrolment_rows(enrolments) -> tuple[list[str], list[list]]:
    headers = [_("Last name"), _("First name"), "PESEL", _("Birth date"), _("Entry date"), _("Exit date"),
               _("Status at entry"), _("Support episodes"), _("Outcomes")]
    return headers, [[e.participant.last_name, e.participant.first_name, e.participant.pesel,
                      e.participant.birth_date, e.entry_date, e.exit_date, str(LABOUR_STATUS_LABELS[e.status_at_entry]),
                      e.episode_count, e.outcome_count] for e in enrolments]


def episode_rows(episodes) -> tuple[list[str], list[list]]:
    headers = [_("Last name"), _("First name"), "PESEL", _("Form of support"), _("Start date"), _("End date"),
               _("Hours"), _("Notes")]
    return headers, [[s.enrolment.participant.last_name, s.enrolment.participant.first_name,
                      s.enrolment.participant.pesel, str(INSTRUMENT_LABELS[s.instrument]), s.start_date, s.end_date,
                      s.hours, s.notes] for s in episodes]


def outcome_rows(outcomes) -> tuple[list[str], list[list]]:
    headers = [_("Last name"), _("First name"), "PESEL", _("Outcome"), _("Date achieved"), _("Exit date"),
               _("Within 4 weeks of leaving"), _("Within 6 months of leaving"), _("Evidence")]
    return headers, [[o.enrolment.participant.last_name, o.enrolment.participant.first_name,
                      o.enrolment.participant.pesel, str(OUTCOME_LABELS[o.kind]), o.achieved_on,
                      o.enrolment.exit_date, _yes_no(o.within_four_weeks_of_exit),
                      _yes_no(o.within_six_months_of_exit), o.evidence] for o in outcomes]
