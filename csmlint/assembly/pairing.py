"""Pair each `.cscfg` with its `.csdef`.

By service name (case-insensitive); when several definitions share the name, the one in the
same folder, else the one sharing the longest folder prefix. A configuration whose name
matches no definition pairs with the only definition in its own folder, so that a name
mismatch can be reported instead of silently losing the pair.
"""

from __future__ import annotations

import os
from collections import defaultdict

from csmlint.model.configuration import ServiceConfiguration
from csmlint.model.definition import ServiceDefinition


def _folder(path: str) -> str:
    return os.path.dirname(path.replace("\\", "/"))


def _common_prefix_len(a: str, b: str) -> int:
    pa, pb = a.split("/"), b.split("/")
    n = 0
    for x, y in zip(pa, pb, strict=False):
        if x != y:
            break
        n += 1
    return n


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
        candidates = by_name.get((cfg.service_name or "").lower(), [])
        if not candidates:
            same_folder = by_folder.get(folder, [])
            if len(same_folder) == 1:
                pairs[id(cfg)] = same_folder[0]
            continue
        best = max(
            candidates,
            key=lambda d: (
                _folder(d.path) == folder,
                _common_prefix_len(_folder(d.path), folder),
                -len(d.path),
            ),
        )
        pairs[id(cfg)] = best
    return pairs
