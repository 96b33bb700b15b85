from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base


class SomeModel(Base):
    __tablename__ = "some_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    # --8<-- [start:change]
    email: Mapped[str | None] = mapped_column(String(100))
    # --8<-- [end:change]
