"""Every column type from outside SQLAlchemy that revisions name."""

from sqlmodel import AutoString

__all__ = ["AutoString"]
