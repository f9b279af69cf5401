"""Model fields by name, for code that writes SQL or compares rows field by field."""

from typing import Any

from django.db.models import Field, Model


def concrete_field(model: type[Model], name: str) -> "Field[Any, Any]":
    """A model's own field by name: `get_field` may also answer a reverse
    relation, which has no column and no attname."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not a field")
    return field


def column(model: type[Model], name: str) -> str:
    """The database column of a model's field, for hand-written SQL."""
    name_in_db = concrete_field(model, name).column
    if name_in_db is None:
        raise TypeError(f"{model.__name__}.{name} has no column")
    return name_in_db
