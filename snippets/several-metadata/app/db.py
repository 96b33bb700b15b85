from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The application's tables."""


class AuditBase(DeclarativeBase):
    """The audit trail's tables, in a MetaData of their own."""
