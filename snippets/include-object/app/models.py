from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(100))


# --8<-- [start:view]
class AccountDomain(Base):
    """Read-only, from a view that autogenerate does not create."""

    __tablename__ = "account_domain"
    __table_args__ = ({"info": {"is_view": True}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str]


# --8<-- [end:view]
