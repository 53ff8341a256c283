"""The subject-access file (GDPR art. 15 and 20): everything the institution holds about a person,
as JSON for machines and as a PDF for the person, from one dataset.

Record, enrolments, support, outcomes, plans, documents, consents, requests, to whom the data was
disclosed (the regional coordinator receives only counts, small ones suppressed: said as such) and
the trail of who viewed, exported or changed the person's data.
"""
import json
import uuid
from datetime import UTC, datetime

from flask_babel import gettext as _
from reportlab.lib.units import mm
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.pdf import Heading, build_pdf, para
from regionet.platform.pdf.catalogue import data_table, key_value_table
from regionet.platform.ui.formatting import format_day, today_in_poland
from regionet.tenants.attachments.models import Attachment
from regionet.tenants.audit.models import AccessRecord, ChangeRecord
from regionet.tenants.participants.labels import FIELD_LABELS
from regionet.tenants.participants.models import Participant
from regionet.tenants.participants.validation import FIELDS
from regionet.tenants.plans.models import IndividualPlan
from regionet.tenants.support.models import Enrolment, Outcome, SupportEpisode

from .models import Consent, SubjectRequest


def _value(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(getattr(value, "value", value))


def person_record_ids(participant: Participant) -> list[uuid.UUID]:
    """The person and every record of theirs that a trail entry may name."""
    enrolments = select(Enrolment.id).where(Enrolment.participant_id == participant.id)
    ids = [participant.id, *db.session.execute(enrolments).scalars()]
    for model, column in ((SupportEpisode, SupportEpisode.enrolment_id), (Outcome, Outcome.enrolment_id)):
        ids += db.session.execute(select(model.id).where(column.in_(enrolments))).scalars()
    for model in (IndividualPlan, Consent, SubjectRequest):
        ids += db.session.execute(select(model.id).where(model.participant_id == participant.id)).scalars()
    return ids


def person_trail(participant: Participant) -> list[dict]:
    """Every view, export and change of the person's data, newest first: who, when, what, how."""
    ids = person_record_ids(participant)
    rows = [{"at": r.at, "who": r.user.full_name if r.user else None, "action": r.action.value,
             "what": r.subject_type, "detail": r.detail, "address": r.ip_address}
            for r in db.session.execute(select(AccessRecord).where(AccessRecord.subject_id.in_(ids))).scalars()]
    rows += [{"at": c.at, "who": c.user.full_name if c.user else None, "action": c.action.value,
              "what": c.entity_type, "detail": ", ".join(sorted(c.changes)), "address": None}
             for c in db.session.execute(select(ChangeRecord).where(ChangeRecord.entity_id.in_(ids))).scalars()]
    return sorted(rows, key=lambda row: row["at"], reverse=True)


def collect_dataset(participant: Participant, institution: Institution) -> dict:
    enrolments = db.session.execute(select(Enrolment).where(Enrolment.participant_id == participant.id)
                                    .order_by(Enrolment.entry_date)).scalars().unique().all()
    consents = db.session.execute(select(Consent).where(Consent.participant_id == participant.id)
                                  .order_by(Consent.given_on)).scalars().all()
    plans = db.session.execute(select(IndividualPlan).where(IndividualPlan.participant_id == participant.id)
                               .order_by(IndividualPlan.start_date)).scalars().unique().all()
    documents = [c.evidence_id for c in consents if c.evidence_id] + [p.signed_scan_id for p in plans
                                                                       if p.signed_scan_id]
    files = db.session.execute(select(Attachment).where(Attachment.id.in_(documents))).scalars().all()
    requests = db.session.execute(select(SubjectRequest).where(SubjectRequest.participant_id == participant.id)
                                  .order_by(SubjectRequest.received_on)).scalars().all()
    return {
        "controller": {"name": institution.name, "generated_at": datetime.now(UTC).isoformat()},
        "person": {name: _value(getattr(participant, name)) for name in FIELDS}
        | {"registered_at": _value(participant.created_at), "restricted_at": _value(participant.restricted_at),
           "restriction_reason": participant.restriction_reason},
        "enrolments": [{
            "project": e.project.title, "project_code": e.project.code, "entry_date": _value(e.entry_date),
            "exit_date": _value(e.exit_date), "status_at_entry": _value(e.status_at_entry),
            "support": [{"instrument": _value(s.instrument), "start_date": _value(s.start_date),
                         "end_date": _value(s.end_date), "hours": _value(s.hours), "notes": s.notes}
                        for s in e.episodes],
            "outcomes": [{"kind": _value(o.kind), "achieved_on": _value(o.achieved_on), "evidence": o.evidence}
                         for o in e.outcomes]} for e in enrolments],
        "plans": [{"kind": _value(p.kind), "number": p.number, "start_date": _value(p.start_date),
                   "planned_end_date": _value(p.planned_end_date), "goals": p.goals, "result": _value(p.result)}
                  for p in plans],
        "documents": [{"file_name": f.file_name, "type": f.content_type, "uploaded_at": _value(f.uploaded_at)}
                      for f in files],
        "consents": [{"purpose": _value(c.purpose), "basis": _value(c.basis), "given_on": _value(c.given_on),
                      "withdrawn_on": _value(c.withdrawn_on)} for c in consents],
        "requests": [{"kind": _value(r.kind), "received_on": _value(r.received_on), "status": _value(r.status),
                      "closed_on": _value(r.closed_on), "answer": r.answer} for r in requests],
        "disclosures": [{
            "recipient": _("The regional coordinator (ROPS) of %(region)s", region=institution.region.name),
            "what": _("Counts of participants only (sex, age band, commune, support, outcomes), with small numbers "
                      "suppressed: no name, PESEL or other personal data."),
        }] + referral_disclosures(participant, institution),
        "trail": [{**row, "at": _value(row["at"])} for row in person_trail(participant)],
    }


def referral_disclosures(participant: Participant, institution: Institution) -> list[dict]:
    """The person's referrals this institution sent: to whom, when, which data."""
    from regionet.tenants.referrals.models import Referral

    sent = db.session.execute(select(Referral).where(Referral.tenant_id == institution.id,
                                                     Referral.participant_id == participant.id)
                              .order_by(Referral.sent_at)).scalars().all()
    return [{"recipient": f"{r.receiver.name}: {r.service_name}", "sent_at": _value(r.sent_at),
             "what": _("Referral of %(day)s with: %(data)s", day=format_day(r.sent_at.date()),
                       data=", ".join(str(FIELD_LABELS.get(key, key)) for key in sorted(r.payload)) or _("nothing any more (withdrawn or anonymised)"))}
            for r in sent]


def dataset_json(dataset: dict) -> bytes:
    return json.dumps(dataset, ensure_ascii=False, indent=2).encode("utf-8")


def _day(value: str | None) -> str:
    return format_day(datetime.fromisoformat(value).date()) if value else "—"


def build_access_pdf(dataset: dict, labels: dict) -> bytes:
    """The file for the person, in plain words; `labels` translate field names and values."""
    person = dataset["person"]
    name = f"{person['first_name']} {person['last_name']}"
    field_labels = labels["fields"]
    story = [
        para(_("Your data held by %(institution)s", institution=dataset["controller"]["name"]), "title"),
        para(_("Prepared on %(day)s for %(name)s", day=format_day(today_in_poland()), name=name), "subtitle"),
        Heading(_("Your record"), 1),
        key_value_table([(str(field_labels.get(k, k)), "—" if v is None else str(labels["value"](k, v)))
                         for k, v in person.items()]),
        Heading(_("Projects, support and outcomes"), 1),
    ]
    for e in dataset["enrolments"]:
        story += [Heading(f"{e['project']} ({e['project_code']})", 2),
                  para(_("From %(entry)s to %(exit)s", entry=_day(e["entry_date"]), exit=_day(e["exit_date"])))]
        rows = [[_("Support"), _("From"), _("To"), _("Notes")]] + [
            [str(labels["instrument"](s["instrument"])), _day(s["start_date"]), _day(s["end_date"]), s["notes"] or ""]
            for s in e["support"]]
        rows += [[str(labels["outcome"](o["kind"])), _day(o["achieved_on"]), "", o["evidence"] or ""]
                 for o in e["outcomes"]]
        story.append(data_table(rows, [55 * mm, 25 * mm, 25 * mm, 65 * mm]))
    if not dataset["enrolments"]:
        story.append(para(_("None.")))
    sections = [
        (_("Individual plans"), [_("Plan"), _("From"), _("Planned end")],
         [[p["number"] or p["kind"], _day(p["start_date"]), _day(p["planned_end_date"])] for p in dataset["plans"]],
         [90 * mm, 40 * mm, 40 * mm]),
        (_("Documents"), [_("File"), _("Type"), _("Added")],
         [[d["file_name"], d["type"], _day(d["uploaded_at"])] for d in dataset["documents"]],
         [90 * mm, 40 * mm, 40 * mm]),
        (_("Consents"), [_("Purpose"), _("Legal basis"), _("Given"), _("Withdrawn")],
         [[str(labels["purpose"](c["purpose"])), str(labels["basis"](c["basis"])), _day(c["given_on"]),
           _day(c["withdrawn_on"])] for c in dataset["consents"]], [50 * mm, 60 * mm, 30 * mm, 30 * mm]),
        (_("Your requests"), [_("Request"), _("Received on"), _("Answered")],
         [[str(labels["request"](r["kind"])), _day(r["received_on"]), _day(r["closed_on"])]
          for r in dataset["requests"]], [90 * mm, 40 * mm, 40 * mm]),
        (_("Who received your data"), [_("Recipient"), _("What")],
         [[d["recipient"], d["what"]] for d in dataset["disclosures"]], [60 * mm, 110 * mm]),
        (_("Who viewed, exported or changed your data"), [_("When"), _("Who"), _("What")],
         [[_day(t["at"]), t["who"] or "—", f"{t['action']}: {t['what']}"] for t in dataset["trail"]],
         [30 * mm, 60 * mm, 80 * mm]),
    ]
    for title, headers, rows, widths in sections:
        story += [Heading(title, 1), data_table([headers] + rows, widths) if rows else para(_("None."))]
    title = _("Data held about %(name)s", name=name)
    return build_pdf(story, title=title, author=dataset["controller"]["name"], subject=title,
                     header=f"{dataset['controller']['name']} · {title}",
                     footer=_("Printed %(day)s", day=format_day(today_in_poland())),
                     page_label=_("Page {page} of {pages}")).data


