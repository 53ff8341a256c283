"""Labels of the support catalogues (instruments, outcomes): the one map of each, which the
projects' indicators, the practices and the coordinator's figures use too."""
from flask_babel import lazy_gettext as _l

from regionet.tenants.participants.models import Sex

from .models import ExitReason, ExitSituation, Instrument, OutcomeKind

INSTRUMENT_LABELS = {
    Instrument.INTERNSHIP: _l("Internship (staż)"),
    Instrument.SOCIALLY_USEFUL_WORK: _l("Socially useful work (PSU)"),
    Instrument.KIS: _l("Social integration club (KIS)"),
    Instrument.CIS: _l("Social integration centre (CIS)"),
    Instrument.VOCATIONAL_COURSE: _l("Vocational course"),
    Instrument.FAMILY_ASSISTANT: _l("Family assistant"),
    Instrument.DISABILITY_ASSISTANT: _l("Assistant of a person with disabilities"),
    Instrument.SPECIALIST_COUNSELLING: _l("Specialist counselling"),
    Instrument.SOCIAL_CONTRACT: _l("Social contract (kontrakt socjalny)"),
    Instrument.INDIVIDUAL_ACTION_PLAN: _l("Individual action plan (IPD)"),
    Instrument.ACTIVATION_PROGRAMME: _l("Activation and integration programme (PAI)"),
    Instrument.LOCAL_ACTIVITY_PROGRAMME: _l("Local activity programme (PAL)"),
    Instrument.TUTORING: _l("Tutoring"),
    Instrument.ART_THERAPY: _l("Art therapy"),
    Instrument.OTHER: _l("Other support"),
}

OUTCOME_LABELS = {
    OutcomeKind.EMPLOYMENT_CONTRACT: _l("Took up work: employment contract"),
    OutcomeKind.CIVIL_CONTRACT: _l("Took up work: civil-law contract"),
    OutcomeKind.SELF_EMPLOYMENT: _l("Took up work: self-employment"),
    OutcomeKind.INTERNSHIP_TO_JOB: _l("Internship turned into a job"),
    OutcomeKind.INDEPENDENT_OF_ASSISTANCE: _l("Became independent of social assistance"),
    OutcomeKind.QUALIFICATION: _l("Raised qualifications (certificate)"),
    OutcomeKind.STARTED_EDUCATION: _l("Started education"),
    OutcomeKind.CARE_LEAVER_INDEPENDENT: _l("Care-leaver became independent"),
    OutcomeKind.STEPS_TOWARD_WORK: _l("Took steps toward work"),
}

EXIT_SITUATION_LABELS = {
    ExitSituation.EMPLOYED: _l("Employed"),
    ExitSituation.SELF_EMPLOYED: _l("Self-employed"),
    ExitSituation.JOB_SEEKING: _l("Looking for work"),
    ExitSituation.IN_EDUCATION: _l("In education or training"),
    ExitSituation.INACTIVE: _l("Economically inactive"),
}
EXIT_REASON_LABELS = {
    ExitReason.COMPLETED: _l("Completed as planned"),
    ExitReason.LEFT_FOR_JOB: _l("Left early for a job"),
    ExitReason.LEFT_EARLY: _l("Left early for another reason"),
}

# Sex as a group of people in a table (the record itself says Female / Male).
SEX_LABELS = {Sex.FEMALE: _l("Women"), Sex.MALE: _l("Men")}

ENROLMENT_FIELD_LABELS = {
    "entry_date": _l("Entry date"), "exit_date": _l("Exit date"), "status_at_entry": _l("Status at entry"),
    "project_id": _l("Project"), "participant_id": _l("Participant"),
    "exit_situation": _l("Situation at exit"), "exit_reason": _l("Reason for leaving"),
}
EPISODE_FIELD_LABELS = {
    "instrument": _l("Form of support"), "start_date": _l("Start date"), "end_date": _l("End date"),
    "hours": _l("Hours"), "notes": _l("Notes"), "enrolment_id": _l("Enrolment"),
}
OUTCOME_FIELD_LABELS = {
    "kind": _l("Outcome"), "achieved_on": _l("Date achieved"), "evidence": _l("Evidence"),
    "enrolment_id": _l("Enrolment"),
}
