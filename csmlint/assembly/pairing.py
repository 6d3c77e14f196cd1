"""Pair each `.cscfg` with its `.csdef`.

By service name (case-insensitive); when several definitions share the name, the one in the
same folder, then one that defines every configured role, then the one sharing the longest
folder prefix, then the longest start of the file name (``Backup.ServiceDefinition.csdef``
for ``Backup.ServiceConfiguration.Cloud.cscfg``). A configuration whose name matches no
definition pairs with the only definition in its own folder if that definition defines at
least one of its roles, so that a name mismatch can be reported instead of silently losing
the pair (and unrelated files that merely share a folder stay apart). An empty service name
pairs with nothing by name.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence

from csmlint.model.configuration import ServiceConfiguration
from csmlint.model.definition import ServiceDefinition


def _folder(path: str) -> str:
    return os.path.dirname(path.replace("\\", "/"))


def _name(path: str) -> str:
    return path.replace("\\", "/").rpartition("/")[2].lower()


def _shared_start(a: Sequence[str], b: Sequence[str]) -> int:
    """How many items (characters of a string) ``a`` and ``b`` share at their start."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix_len(a: str, b: str) -> int:
    """How many folders the paths ``a`` and ``b`` share at their start."""
    return _shared_start(a.split("/"), b.split("/"))


def _role_names(items: list[ServiceDefinition] | list[ServiceConfiguration]) -> set[str]:
    return {r.name.lower() for item in items for r in item.roles}


def pair_configurations(
    definitions: list[ServiceDefinition], configurations: list[ServiceConfiguration]
) -> dict[int, ServiceDefinition]:
    """Map ``id(configuration)`` to its definition, for every configuration that has one."""
    by_name: dict[str, list[ServiceDefinition]] = defaultdict(list)
    by_folder: dict[str, list[ServiceDefinition]] = defaultdict(list)
    for d in definitions:
        by_name[(d.name or "").lower()].append(d)
        by_folder[_folder(d.path)].append(d)
    pairs: dict[int, ServiceDefinition] = {}
    for cfg in configurations:
        folder = _folder(cfg.path)
        roles = _role_names([cfg])
        name = (cfg.service_name or "").strip().lower()
        candidates = by_name.get(name, []) if name else []
        if not candidates:
            same_folder = by_folder.get(folder, [])
            if len(same_folder) == 1 and (roles & _role_names(same_folder)):
                pairs[id(cfg)] = same_folder[0]
            continue
        best = max(
            candidates,
            key=lambda d: (
                _folder(d.path) == folder,
                roles <= _role_names([d]),
                _common_prefix_len(_folder(d.path), folder),
                _shared_start(_name(d.path), _name(cfg.path)),
                -len(d.path),
            ),
        )
        pairs[id(cfg)] = best
    return pairs
