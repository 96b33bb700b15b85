from flask import Flask
from flask_migrate import Migrate

from app import models  # noqa: F401
from app.extensions import db


def include_object(obj, name, type_, reflected, compare_to):
    """Keep autogenerate away from the tables of another application."""
    return not (type_ == "table" and name.startswith("legacy_"))


app = Flask(__name__)
# A relative SQLite path is in the application's instance folder.
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///database.sqlite"
db.init_app(app)
# Each keyword Migrate does not take itself reaches context.configure.
migrate = Migrate(
    app,
    db,
    render_as_batch=True,
    compare_type=True,
    include_object=include_object,
)
