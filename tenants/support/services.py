"""Writes for enrolments, support episodes and outcomes. Every rule is checked before anything is written."""
import uuid
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from regionet.platform.extensions import db
from regionet.platform.validation import ValidationFailed, unique_or_error
from regionet.tenants.participants.models import LabourStatus
from regionet.tenants.projects.models import Project

from .models import Enrolment, ExitReason, ExitSituation, Instrument, Outcome, OutcomeKind, SupportEpisode
from .queries import (
    enrolled_participant_ids_for_project,
    enrolment_of_for_tenant,
    participant_for_tenant,
    support_span_for_enrolment,
)
from .rules import enrolment_errors, episode_errors, outcome_errors


def do_enrol(project: Project, participant_id: uuid.UUID | None, entry_date: date | None, exit_date: date | None,
             status_at_entry: LabourStatus | None, today: date) -> Enrolment:
    """Enrol a participant; the status at entry defaults to the one in the participant's record."""
    participant = participant_for_tenant(participant_id)
    errors = enrolment_errors(project, entry_date, exit_date, today)
    if participant is None:
        errors["participant_id"] = [_("Choose the participant to enrol (search by name or PESEL).")]
    elif enrolment_of_for_tenant(project.id, participant.id) is not None:
        errors["participant_id"] = [_("%(name)s is already enrolled in this project.", name=participant.full_name)]
    if errors:
        raise ValidationFailed(errors)
    enrolment = Enrolment(project=project, participant=participant, entry_date=entry_date, exit_date=exit_date,
                          status_at_entry=status_at_entry or participant.labour_status)
    db.session.add(enrolment)
    with unique_or_error({"uq_enrolments_once_per_project": (
            "participant_id", lambda: _("This person is already enrolled in this project."))}):
        db.session.commit()
    return enrolment


def do_enrol_many(project: Project, people: list, entry_date: date | None, status_at_entry: LabourStatus | None,
                  today: date) -> int:
    """Enrol several people with one entry date: every one of them, or nobody."""
    errors = enrolment_errors(project, entry_date, None, today)
    already = enrolled_participant_ids_for_project(project.id, [p.id for p in people])
    if already:
        names = ", ".join(p.full_name for p in people if p.id in already)
        errors.setdefault("project_id", []).append(_("Already enrolled in this project: %(names)s. Untick them "
                                                     "or choose another project.", names=names))
    if errors:
        raise ValidationFailed(errors)
    db.session.add_all(Enrolment(project=project, participant=p, entry_date=entry_date, exit_date=None,
                                 status_at_entry=status_at_entry or p.labour_status) for p in people)
    db.session.commit()
    return len(people)


def do_end_many(project: Project, enrolments: list[Enrolment], exit_date: date | None, today: date) -> int:
    """End several participations on one day: every one of them, or none (each under the date rules)."""
    if exit_date is None:
        raise ValidationFailed.single("exit_date", _("Enter the date the participation ends."))
    problems = []
    for enrolment in enrolments:
        errors = enrolment_errors(project, enrolment.entry_date, exit_date, today,
                                  episodes_span=support_span_for_enrolment(enrolment.id))
        messages = [m for field, found in errors.items() if field == "exit_date" for m in found]
        if messages:
            problems.append(f"{enrolment.participant.full_name}: {' '.join(messages)}")
    if problems:
        raise ValidationFailed({"exit_date": problems})
    for enrolment in enrolments:
        enrolment.exit_date = exit_date
    db.session.commit()
    return len(enrolments)


def do_update_enrolment(enrolment: Enrolment, entry_date: date | None, exit_date: date | None,
                        status_at_entry: LabourStatus, today: date, exit_situation: ExitSituation | None = None,
                        exit_reason: ExitReason | None = None) -> Enrolment:
    errors = enrolment_errors(enrolment.project, entry_date, exit_date, today,
                              episodes_span=support_span_for_enrolment(enrolment.id))
    if exit_date is None:
        for name, value in (("exit_situation", exit_situation), ("exit_reason", exit_reason)):
            if value is not None:
                errors.setdefault(name, []).append(_("Recorded when the person leaves: enter the exit date too."))
    if errors:
        raise ValidationFailed(errors)
    enrolment.entry_date, enrolment.exit_date, enrolment.status_at_entry = entry_date, exit_date, status_at_entry
    enrolment.exit_situation, enrolment.exit_reason = exit_situation, exit_reason
    db.session.commit()
    return enrolment


def do_delete_enrolment(enrolment: Enrolment) -> None:
    """Only an enrolment without support or outcomes can go (e.g. one entered by mistake)."""
    if enrolment.episodes or enrolment.outcomes:
        raise ValidationFailed.single("enrolment", _(
            "Support or outcomes are recorded for this enrolment; delete them first."))
    db.session.delete(enrolment)
    db.session.commit()


def do_add_episode(enrolment: Enrolment, instrument: Instrument, start_date: date | None, end_date: date | None,
                   hours: Decimal | None, notes: str | None, today: date) -> SupportEpisode:
    episode = SupportEpisode(enrolment_id=enrolment.id)
    _apply_episode(episode, enrolment, instrument, start_date, end_date, hours, notes, today)
    db.session.add(episode)
    db.session.commit()
    return episode


def do_update_episode(episode: SupportEpisode, instrument: Instrument, start_date: date | None,
                      end_date: date | None, hours: Decimal | None, notes: str | None, today: date) -> SupportEpisode:
    _apply_episode(episode, episode.enrolment, instrument, start_date, end_date, hours, notes, today)
    db.session.commit()
    return episode


def _apply_episode(episode, enrolment, instrument, start_date, end_date, hours, notes, today) -> None:
    errors = episode_errors(enrolment, start_date, end_date, hours, today)
    if errors:
        raise ValidationFailed(errors)
    episode.instrument, episode.start_date, episode.end_date = instrument, start_date, end_date
    episode.hours, episode.notes = hours, (notes or "").strip() or None


def do_delete_episode(episode: SupportEpisode) -> None:
    db.session.delete(episode)
    db.session.commit()


def do_add_outcome(enrolment: Enrolment, kind: OutcomeKind, achieved_on: date | None, evidence: str | None,
                   today: date) -> Outcome:
    outcome = Outcome(enrolment_id=enrolment.id)
    _apply_outcome(outcome, enrolment, kind, achieved_on, evidence, today)
    db.session.add(outcome)
    db.session.commit()
    return outcome


def do_update_outcome(outcome: Outcome, kind: OutcomeKind, achieved_on: date | None, evidence: str | None,
                      today: date) -> Outcome:
    _apply_outcome(outcome, outcome.enrolment, kind, achieved_on, evidence, today)
    db.session.commit()
    return outcome


def _apply_outcome(outcome, enrolment, kind, achieved_on, evidence, today) -> None:
    errors = outcome_errors(enrolment, achieved_on, today)
    if errors:
        raise ValidationFailed(errors)
    outcome.kind, outcome.achieved_on, outcome.evidence = kind, achieved_on, (evidence or "").strip() or None


def do_delete_outcome(outcome: Outcome) -> None:
    db.session.delete(outcome)
    db.session.commit()
