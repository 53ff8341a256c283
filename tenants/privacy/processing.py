"""The records of processing (GDPR art. 30) the platform supports for an institution: a starting
point for the controller's own register, printed from its admin's page."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.institutions.models import Institution
from regionet.platform.ui.formatting import format_day
from regionet.tenants.projects.models import Project

from .retention import retention_until


@dataclass(frozen=True)
class Purpose:
    name: str
    basis: str
    categories: str
    recipients: str
    retention: str


def processing_register(institution: Institution) -> list[Purpose]:
    projects = db.session.execute(select(Project).order_by(Project.start_date)).scalars().all()
    kept = "; ".join(f"{p.code}: {format_day(retention_until(p))}" for p in projects) or _("no projects yet")
    coordinator = _("the regional coordinator of %(region)s (counts only, small numbers suppressed)",
                    region=institution.region.name)
    operator = _("the platform's operator as processor (hosting)")
    return [
        Purpose(_("Participants' records of projects (enrolment, support, outcomes, indicators)"),
                _("Legal obligation and public task (GDPR art. 6(1)(c), (e); art. 9(2)(g) for special categories)"),
                _("Identification (name, PESEL, birth date, sex), address and contact, education, labour status; "
                  "special categories: disability, minority or migrant origin, homelessness, jobless household"),
                f"{coordinator}; {operator}; " + _("the managing authority of the funds on request"),
                _("Per project, as the funding rules require: %(kept)s; then anonymised", kept=kept)),
        Purpose(_("Individual plans and social work with the person"), _("Public task (GDPR art. 6(1)(e))"),
                _("Identification, the person's situation, goals, obligations and their review"), operator,
                _("As the participants' records, or 10 years for work outside projects")),
        Purpose(_("Contact about results after leaving"), _("Consent (GDPR art. 6(1)(a))"),
                _("Name, phone, e-mail"), operator, _("Until the consent is withdrawn or the records' retention ends")),
        Purpose(_("Photos in good practices"), _("Consent (GDPR art. 6(1)(a))"), _("Image"),
                _("The institutions of the region (regional catalogue) and readers of the catalogue's reports"),
                _("Until the consent is withdrawn: the photo leaves the catalogue at the next report")),
        Purpose(_("Referrals to another institution"), _("Consent or the law that provides for the referral"),
                _("The minimum data set the receiving service asks for"), _("The receiving institution"),
                _("As the participants' records")),
        Purpose(_("Staff accounts and their security"), _("Legitimate interest and legal obligation (art. 32)"),
                _("Name, e-mail, role, sign-ins and their addresses"), operator,
                _("While the account exists; the accounts' trail as long as the records it protects")),
        Purpose(_("The access trail and the change history"), _("Legal obligation (GDPR art. 5(2), 24, 32)"),
                _("Who viewed, exported or changed whose data, when and from where"), operator,
                _("As long as the records they concern; redacted with the person on erasure")),
    ]
