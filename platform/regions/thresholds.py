"""A region's disclosure thresholds: the operator's to change, with a reason, recorded.

The runtime role cannot UPDATE the two columns (migration 0015): the one way is the
SECURITY DEFINER function figures_api.set_region_thresholds, which refuses an actor who is
not an operator or a change without a reason, and writes the change into the accounts'
trail in the same statement. The law's floor (3; 5 for special-category breakdowns) is a
check constraint. After a change the region's figures are recounted and protected again
(the stored patterns carry the thresholds in their stamp, so none is used meanwhile).
"""
from flask_babel import gettext as _
from sqlalchemy import text

from ..extensions import db
from ..validation import ValidationFailed
from .models import Region

FLOOR, SENSITIVE_FLOOR = 3, 5


def do_set_thresholds(region: Region, normal: int, sensitive: int, reason: str, actor) -> bool:
    """Change the region's thresholds (committed) and ask for a recount; False when nothing changed."""
    errors = {}
    if normal is None or normal < FLOOR:
        errors["suppression_threshold"] = [_("The threshold cannot be lower than %(n)s (Public Statistics Act, "
                                            "art. 38).", n=FLOOR)]
    if sensitive is None or sensitive < max(SENSITIVE_FLOOR, normal or FLOOR):
        errors["sensitive_threshold"] = [_("The threshold for sensitive data must be at least %(n)s and not lower "
                                          "than the general one.", n=SENSITIVE_FLOOR)]
    if len((reason or "").strip()) < 3:
        errors["reason"] = [_("Say why the thresholds change; the reason is kept in the trail.")]
    if errors:
        raise ValidationFailed(errors)
    if (region.suppression_threshold, region.sensitive_threshold) == (normal, sensitive):
        return False
    db.session.execute(text("SELECT figures_api.set_region_thresholds(:region, :normal, :sensitive, :actor, "
                            ":reason)"), {"region": region.teryt_code, "normal": normal, "sensitive": sensitive,
                                          "actor": actor.id, "reason": reason.strip()})
    db.session.commit()
    db.session.refresh(region)
    from ..coordinator.refresh import request_full_refresh

    request_full_refresh(region.teryt_code)
    return True
