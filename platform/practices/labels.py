from flask_babel import lazy_gettext as _l

from .models import SubmissionStatus

SUBMISSION_STATUS_LABELS = {
    SubmissionStatus.PENDING: _l("Waiting for review"),
    SubmissionStatus.APPROVED: _l("Approved"),
    SubmissionStatus.RETURNED: _l("Returned for revision"),
    SubmissionStatus.WITHDRAWN: _l("Withdrawn by the institution"),
}

SECTION_LABELS = {
    "title": _l("Title"), "period": _l("Period"), "problem": _l("The problem"), "local_figures": _l("Local figures"),
    "target_group": _l("Target group"), "instruments": _l("Instruments"), "cooperation": _l("Cooperation"),
    "partners": _l("Partners"), "funding": _l("Funding"), "project": _l("Project"),
    "results_narrative": _l("Results"), "success_factors": _l("Success factors"), "barriers": _l("Barriers"),
    "sustainability": _l("Sustainability"), "transferability": _l("Transferability"), "contact": _l("Contact"),
    "photos": _l("Photos"), "sources": _l("Where the practice came from"),
}
