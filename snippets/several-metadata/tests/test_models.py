"""Every table class is in app.models, the package env.py imports."""

import importlib
import pkgutil

import app
from app.db import AuditBase, Base


def test_every_table_class_is_in_app_models() -> None:
    for module in pkgutil.walk_packages(app.__path__, "app."):
        importlib.import_module(module.name)
    outside = [
        f"{mapper.class_.__module__}.{mapper.class_.__name__}"
        for base in (Base, AuditBase)
        for mapper in base.registry.mappers
        if not mapper.class_.__module__.startswith("app.models.")
    ]
    assert outside == []
