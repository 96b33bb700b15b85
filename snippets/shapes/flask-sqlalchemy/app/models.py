import enum

from app.extensions import db


class Level(enum.Enum):
    low = "low"
    high = "high"


class SomeModel(db.Model):
    # Flask-SQLAlchemy names the table some_model, after the class.
    __table_args__ = (
        db.Index("ix_some_model_name", "name"),
        db.UniqueConstraint("code", name="uq_some_model_code"),
    )

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), nullable=False)
    code = db.Column(db.String(32), nullable=False)
    note = db.Column(db.String(200))
    level = db.Column(db.Enum(Level), nullable=False)
