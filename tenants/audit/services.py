"""Writes to the history other than the automatic entries: redacting an erased person.

The change history is append-only for the platform (migration 0017): the runtime role can add
entries, never change or remove one. The one exception is erasure: a person's values in past
entries are replaced by the marker REDACTED, by the SECURITY DEFINER function
`history_api.redact_person`, which does only that and only in the transaction's tenant. Which
fields changed, when and by whom stays; so does the access trail's record of who opened the
person's records, without the name its `detail` gave.
"""

from sqlalchemy import text

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id

PERSON_RECORDS = ("Participant", "Enrolment", "SupportEpisode", "Outcome")


def do_redact_person_history(participant) -> int:
    """Replace every value in the history entries of `participant` (and of the enrolments, support
    episodes and outcomes its history ties to them) by REDACTED, and the `detail` of the access
    trail's entries about those records; returns how many history entries.

    Runs in the caller's transaction: flush first so that entries of this transaction (the
    deletion's own snapshot) are redacted too, and commit together with the erasure.
    """
    db.session.flush()
    return db.session.connection().execute(text("SELECT history_api.redact_person(:tenant, :participant)"),
                                           {"tenant": current_tenant_id(), "participant": participant.id}).scalar_one()
