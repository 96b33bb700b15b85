import enum

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base


class Level(enum.Enum):
    low = "low"
    high = "high"


class SomeModel(Base):
    __tablename__ = "some_model"
    __table_args__ = (
        Index("ix_some_model_name", "name"),
        UniqueConstraint("code", name="uq_some_model_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    code: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[Level]
