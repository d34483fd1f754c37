"""Arrow schemas derived from the pydantic row models, and the Hugging Face `features` that describe them."""

from __future__ import annotations

import dataclasses
import types
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pyarrow as pa
from pydantic import BaseModel

#: A top-level string field whose name ends so holds an ISO 8601 date or date-time (`published_at`, `fetched_at`,
#: …): its Parquet column is a UTC timestamp. A naming rule, so a new `*_at` field of the model is typed without
#: edits. Fields of nested models stay strings (the conversion in _parquet.py works on top-level columns).
TIMESTAMP_SUFFIX = "_at"
TIMESTAMP = pa.timestamp("us", tz="UTC")

_SCALARS: dict[type, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def arrow_schema(model: type[BaseModel], *, timestamps: bool = True) -> pa.Schema:
    """The Arrow schema of `model`'s rows: one column per field, in declaration order; nested models (and
    dataclasses) become structs, lists become lists, `X | None` a nullable X (every other field is not nullable).
    `timestamps=False` keeps `*_at` fields as the strings they are in JSONL."""
    return pa.schema(_fields(model, timestamps))


def _annotations(model: type) -> dict[str, Any]:
    """Field name → annotation of a pydantic model or a dataclass, in declaration order."""
    if issubclass(model, BaseModel):
        return {name: info.annotation for name, info in model.model_fields.items()}
    hints = get_type_hints(model)
    return {f.name: hints[f.name] for f in dataclasses.fields(model)}


def _fields(model: type, timestamps: bool) -> list[pa.Field]:
    out = []
    for name, annotation in _annotations(model).items():
        kind, nullable = _arrow_type(annotation, f"{model.__name__}.{name}")
        if timestamps and name.endswith(TIMESTAMP_SUFFIX) and kind == pa.string():
            kind = TIMESTAMP
        out.append(pa.field(name, kind, nullable=nullable))
    return out


def _arrow_type(annotation: Any, where: str) -> tuple[pa.DataType, bool]:
    """The Arrow type of one annotation and whether it admits null."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"{where}: a union of {inner} has no single Arrow type")
        return _arrow_type(inner[0], where)[0], True
    if origin is Literal:
        kinds = {type(v) for v in get_args(annotation)}
        if len(kinds) != 1 or (scalar := next(iter(kinds))) not in _SCALARS:
            raise TypeError(f"{where}: Literal values of types {kinds} have no single Arrow type")
        return _SCALARS[scalar], False
    if origin in (list, tuple, set, frozenset):
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        if len(args) != 1:
            raise TypeError(f"{where}: only homogeneous sequences map to an Arrow list, not {annotation}")
        item, nullable = _arrow_type(args[0], f"{where}[]")
        return pa.list_(pa.field("item", item, nullable=nullable)), False
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel) or dataclasses.is_dataclass(annotation):
            return pa.struct(_fields(annotation, timestamps=False)), False
        if issubclass(annotation, Enum):
            return _arrow_type(Literal[tuple(m.value for m in annotation)], where)  # type: ignore[misc]
        for scalar, kind in _SCALARS.items():
            if annotation is scalar:
                return kind, False
    raise TypeError(f"{where}: no Arrow type for {annotation!r}; add one in notepipe/curate/_schema.py")


def timestamp_columns(schema: pa.Schema) -> list[str]:
    """The top-level columns typed as timestamps."""
    return [f.name for f in schema if pa.types.is_timestamp(f.type)]


def _dtype(kind: pa.DataType) -> str:
    """The `datasets.Value` dtype of a scalar Arrow type."""
    if pa.types.is_timestamp(kind):
        return f"timestamp[{kind.unit}, tz={kind.tz}]" if kind.tz else f"timestamp[{kind.unit}]"
    names = {pa.string(): "string", pa.int64(): "int64", pa.float64(): "float64", pa.bool_(): "bool"}
    if kind not in names:
        raise TypeError(f"no Hugging Face dtype for {kind}")
    return names[kind]


def _feature(kind: pa.DataType) -> tuple[str, Any]:
    """One feature's YAML key (`dtype`, `list` or `struct`) and value, as `datasets.Features._to_yaml_list`."""
    if pa.types.is_list(kind):
        key, value = _feature(kind.value_type)
        return "list", value if key in ("dtype", "struct") else {key: value}
    if pa.types.is_struct(kind):
        return "struct", [{"name": f.name, **dict([_feature(f.type)])} for f in kind]
    return "dtype", _dtype(kind)


def hf_features(schema: pa.Schema) -> list[dict[str, Any]]:
    """`dataset_info.features` of a dataset card for this schema: what `datasets.Features.from_arrow_schema`
    makes of it, in the YAML form `datasets` reads (checked against `datasets` in the tests)."""
    return [{"name": f.name, **dict([_feature(f.type)])} for f in schema]
