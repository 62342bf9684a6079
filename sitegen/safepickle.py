"""Unpicklers for what sitegen itself pickled (the cache index, the last build's result):
they load sitegen's own data and never run code, since a cache folder can arrive with a
repository."""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import pickle
import zoneinfo

from .errors import SitegenError


def _zone_unpickle(obj: object, name: str) -> object:
    """ZoneInfo pickles as getattr(ZoneInfo, "_unpickle"): that getattr and no other."""
    if obj is zoneinfo.ZoneInfo and name == "_unpickle":
        return zoneinfo.ZoneInfo._unpickle
    raise pickle.UnpicklingError(f"unexpected getattr({obj!r}, {name!r}) in the cache index")


class IndexUnpickler(pickle.Unpickler):
    """Loads only what an index holds: sitegen's dataclasses and errors, dates and time zones.

    A cache folder can arrive with a repository; a planted pickle must not run code. A new
    kind of value in Document or Rendered must be allowed here (else the cache is dropped
    on every build, with a warning).
    """

    _ALLOWED = {
        ("datetime", name): getattr(datetime, name)
        for name in ("date", "datetime", "time", "timedelta", "timezone")
    }
    _ALLOWED[("zoneinfo", "ZoneInfo")] = zoneinfo.ZoneInfo
    _ALLOWED[("builtins", "frozenset")] = frozenset
    _ALLOWED[("builtins", "set")] = set
    _ALLOWED[("builtins", "getattr")] = _zone_unpickle

    def find_class(self, module: str, name: str) -> object:
        allowed = self._ALLOWED.get((module, name))
        if allowed is not None:
            return allowed
        if module.startswith("sitegen.") and "." not in name:
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, SitegenError)
            ):
                return found
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the cache index")
