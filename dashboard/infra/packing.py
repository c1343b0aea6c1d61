"""A cheaper cache form for long lists of pydantic models (10,000 achievements).

The shared cache pickles what it stores (cachelib, Redis or in-process). Pickling 10,000
`Achievement` models costs ~0.5 s (each model's state is pickled field by field) and unpickling
them in another worker ~0.45 s. `pack` turns such a list into one JSON document made by
pydantic-core (~0.1 s); `unpack` validates it back (~0.3 s, the same validation a fetch does).
Anything else (small lists, mixed lists, single models, plain data) is stored as it is.

    value == unpack(pickle.loads(pickle.dumps(pack(value))))   # for the lists packed here
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, TypeAdapter

MIN_ITEMS = 200
"""Shorter lists pickle in a few milliseconds: not worth a second code path."""


@dataclass(frozen=True)
class PackedModels:
    """A list of `model` instances as the JSON pydantic dumps (computed fields left out)."""

    model: type[BaseModel]
    data: bytes


@lru_cache(maxsize=32)
def _adapter(model: type[BaseModel]) -> TypeAdapter[list[BaseModel]]:
    # A list of a model class chosen at run time: a type checker takes no variable as a type.
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _computed(model: type[BaseModel]) -> dict[str, set[str]]:
    fields = set(model.model_computed_fields)
    return {"__all__": fields} if fields else {}


def pack(value: Any) -> Any:
    """`value`, or a `PackedModels` when it is a long list of one pydantic model class."""
    if not isinstance(value, list) or len(value) < MIN_ITEMS:
        return value
    model = type(value[0])
    if not issubclass(model, BaseModel) or any(type(item) is not model for item in value):
        return value
    return PackedModels(model, _adapter(model).dump_json(value, exclude=_computed(model) or None))


def unpack(stored: Any) -> Any:
    """What `pack` was given (a new list of equal models), or `stored` itself."""
    if isinstance(stored, PackedModels):
        return _adapter(stored.model).validate_json(stored.data)
    return stored
