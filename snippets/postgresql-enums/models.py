import enum

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


# --8<-- [start:change]
class Status(enum.Enum):
    active = enum.auto()
    closed = enum.auto()
    archived = enum.auto()


# --8<-- [end:change]


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    status: Mapped[Status]
