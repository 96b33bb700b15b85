"""Every column type from outside SQLAlchemy that revisions name."""

from app.core.types import GUID

__all__ = ["GUID"]
