from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class PageView(Base):
    __tablename__ = "page_view"

    id: Mapped[int] = mapped_column(primary_key=True)
