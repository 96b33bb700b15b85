import enum

from sqlmodel import Field, Index, SQLModel, UniqueConstraint


class Level(enum.Enum):
    low = "low"
    high = "high"


class SomeModel(SQLModel, table=True):
    __tablename__ = "some_model"
    __table_args__ = (
        Index("ix_some_model_name", "name"),
        UniqueConstraint("code", name="uq_some_model_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50)
    code: str = Field(max_length=32)
    note: str | None = Field(default=None, max_length=200)
    level: Level
