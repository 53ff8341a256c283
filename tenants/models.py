"""Every tenant-owned model module, imported so the metadata knows every table."""
from .reports import models as reports  # noqa: F401
