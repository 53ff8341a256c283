"""Every tenant-owned model module, imported so the metadata knows every table."""
from .attachments import models as attachments  # noqa: F401
from .audit import models as audit  # noqa: F401
from .audit import recording as audit_recording  # noqa: F401  (history listener)
from .figures import models as figures  # noqa: F401
from .figures import triggers as figures_triggers  # noqa: F401  (refresh after changes)
from .group_sessions import models as group_sessions  # noqa: F401
from .groups import models as groups  # noqa: F401
from .imports import models as imports  # noqa: F401
from .participants import models as participants  # noqa: F401
from .partners import models as partners  # noqa: F401
from .periods import models as periods  # noqa: F401
from .plans import models as plans  # noqa: F401
from .practices import models as practices  # noqa: F401
from .privacy import models as privacy  # noqa: F401
from .projects import models as projects  # noqa: F401
from .referrals import models as referrals  # noqa: F401
from .reports import models as reports  # noqa: F401
from .service_catalogue import models as service_catalogue  # noqa: F401
from .staff import models as staff  # noqa: F401
from .support import models as support  # noqa: F401
from .tallies import models as tallies  # noqa: F401
