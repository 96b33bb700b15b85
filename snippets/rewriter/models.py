from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base


class SomeModel(Base):
    __tablename__ = "some_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    # --8<-- [start:index]
    name: Mapped[str] = mapped_column(String(50), index=True)
    # --8<-- [end:index]
