"""What a practice can cite as where it came from: the working groups, meetings and agreements the
institution can see (issue 16, point 5). Reads go through the ordinary tenant scope, so a group shows
here exactly when the institution owns it or is one of its institutions (sharing.PartySetShared), and
an agreement when the institution is a party to it."""
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from regionet.platform.extensions import db
from regionet.platform.tenancy import current_tenant_id
from regionet.platform.ui.formatting import to_local_time
from regionet.platform.ui.polish import polish_order
from regionet.tenants.groups.models import Meeting, WorkingGroup
from regionet.tenants.partners.models import Agreement

from .models import SourceKind


@dataclass(frozen=True)
class Citable:
    kind: SourceKind
    tenant_id: int
    id: uuid.UUID
    title: str
    context: str | None
    day: date | None

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.tenant_id}:{self.id}"


def citable_for_tenant() -> list[Citable]:
    """Groups (by name), their meetings (newest first) and agreements (newest first)."""
    found = [Citable(SourceKind.GROUP, g.tenant_id, g.id, g.name, None, None)
             for g in db.session.execute(select(WorkingGroup).order_by(polish_order(WorkingGroup.name),
                                                                        WorkingGroup.id)).scalars()]
    meetings = db.session.execute(
        select(Meeting, WorkingGroup.name).join(WorkingGroup, (WorkingGroup.tenant_id == Meeting.tenant_id)
                                                & (WorkingGroup.id == Meeting.group_id))
        .order_by(Meeting.starts_at.desc(), Meeting.id)).all()
    found += [Citable(SourceKind.MEETING, m.tenant_id, m.id, m.title, name, to_local_time(m.starts_at).date())
              for m, name in meetings]
    here = current_tenant_id()
    agreements = db.session.execute(select(Agreement).order_by(Agreement.valid_from.desc(), Agreement.id)).scalars()
    found += [Citable(SourceKind.AGREEMENT, a.tenant_id, a.id,
                      f"{a.title} ({a.number})" if a.number else a.title,
                      # the other parties: the institution citing it is one of the parties itself
                      ", ".join(p.display_name for p in a.parties if p.institution_id != here) or None,
                      a.signed_on or a.valid_from)
              for a in agreements]
    return found


def resolve(keys: list[str]) -> list[Citable] | None:
    """The chosen keys as citable sources, in the order given; None when one of them is not (or no
    longer) visible to the institution."""
    if not keys:
        return []
    by_key = {c.key: c for c in citable_for_tenant()}
    chosen = [by_key.get(key) for key in dict.fromkeys(keys)]
    return None if any(c is None for c in chosen) else chosen
