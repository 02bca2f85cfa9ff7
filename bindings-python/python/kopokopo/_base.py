"""The base of every generated model (``_models.py``): ``to_dict`` and pickling.

The native module creates the instances (``object.__new__`` plus the
instance ``__dict__`` in one step) and keeps beside the fields what
``to_dict`` needs: ``_src``, the core's value the object was built from (its
JSON text, or the parsed webhook/result), on the top-level object, and
``_t_<field>``, the API's exact text of each timestamp.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar, Dict, Mapping, Optional, Tuple, Type, TypeVar

from . import _kopokopo

M = TypeVar("M", bound="_Model")

# name -> (tag key, content key or None, {class: tag})
_UNIONS: Dict[str, Tuple[str, Optional[str], Dict[type, str]]] = {}


def _register_union(name: str, tag: str, content: Optional[str], tags: Dict[type, str]) -> None:
    _UNIONS[name] = (tag, content, tags)


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


@dataclass(frozen=True)
class _Model:
    """Base of every result and event class."""

    # (attribute, JSON key, how to write it back: "plain", "ts" or "union:<Name>")
    _FIELDS: ClassVar[Tuple[Tuple[str, str, str], ...]] = ()

    @classmethod
    def _from_json(cls: Type[M], data: Mapping[str, Any]) -> M:
        """An instance from the core's JSON of this type (as ``to_dict()`` returns it)."""
        obj = _kopokopo._object_from_json(cls.__name__, json.dumps(data, default=str))
        if not isinstance(obj, cls):
            raise TypeError(f"{cls.__name__} is not a schema type")
        return obj

    def to_dict(self) -> Dict[str, Any]:
        """The value as the core's JSON (a fresh copy): its JSON keys (``_links``,
        ``type``...), the exact timestamp text, amounts as ``Decimal``."""
        src = self.__dict__.get("_src")
        if src is not None:
            data = _loads(src if isinstance(src, str) else src.dict_json())
            if isinstance(data, dict):
                return data
        out: Dict[str, Any] = {}
        for attr, key, kind in self._FIELDS:
            value = getattr(self, attr)
            if kind == "ts":
                text = self.__dict__.get("_t_" + attr)
                out[key] = text if text is not None else (value.isoformat() if value is not None else None)
            elif kind.startswith("union:") and value is not None:
                out[key] = _union_dict(kind[6:], value)
            else:
                out[key] = _plain(value)
        return out

    def __getstate__(self) -> Dict[str, Any]:
        state = {k: _picklable(v) for k, v in self.__dict__.items()}
        src = state.get("_src")
        if src is not None and not isinstance(src, str):
            state["_src"] = src.dict_json()
        return state

    def __copy__(self: M) -> M:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self.__dict__.update(state)


def _mapping(data: Dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(data)


class _MappingState:
    """How a read-only mapping pickles (``mappingproxy`` itself cannot)."""

    __slots__ = ("data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        self.data = data

    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any]]]:
        return (_mapping, (self.data,))


def _picklable(value: Any) -> Any:
    if isinstance(value, MappingProxyType):
        return _MappingState({k: _picklable(v) for k, v in value.items()})
    if type(value) is tuple:
        return tuple(_picklable(v) for v in value)
    return value


def _union_dict(name: str, value: Any) -> Dict[str, Any]:
    tag, content, tags = _UNIONS[name]
    cls: Type[Any] = type(value)
    variant = tags.get(cls)
    if variant is None:
        variant = next((t for c, t in tags.items() if isinstance(value, c)), "unknown")
    if content is None:
        return {tag: variant, **_plain(value)}
    return {tag: variant, content: _plain(value)}


def _plain(value: Any) -> Any:
    if isinstance(value, _Model):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    return value
