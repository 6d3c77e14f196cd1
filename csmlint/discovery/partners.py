"""Partner files of a `.cscfg` or `.csdef` named on its own.

A pre-commit hook passes only the staged files: a `.cscfg` without its `.csdef` (or the
reverse) would leave the cross-file rules (role names, endpoints behind a reserved IP, RDP
plugin imports) without the facts they need. So for every `.cscfg` named on the command line
the `.csdef` of the same service in the same folder is read too, and for every `.csdef` the
deployable `.cscfg` files of the same service beside it. Partners are *context*: their model
parts join the estate, but findings located in them are not reported (the user did not ask
to lint them). Visual Studio keeps a cloud service project's `.csdef` and `.cscfg` files in
one folder, so only that folder is searched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from csmlint.discovery.candidates import Discovery, InputCandidate
from csmlint.discovery.walk import DEFAULT_EXCLUDES, display_path, matches_pattern
from csmlint.errors import InputError
from csmlint.parsing.source import read_capped
from csmlint.parsing.xmlsafe import attr, parse_xml

_PARTNER = {"cscfg": (".csdef", "name"), "csdef": (".cscfg", "serviceName")}
"""Kind of the named file -> (extension of its partners, the partner's service-name attribute)."""
_OWN_NAME = {"cscfg": "serviceName", "csdef": "name"}


def add_partners(found: Discovery, named: list[str], cwd: str, max_bytes: int) -> None:
    """Add the partners of the files in ``named`` (paths named on the command line) to
    ``found`` as context candidates."""
    known = {os.path.realpath(c.path) for c in found.files}
    named_real = {os.path.realpath(p) for p in named}
    for c in list(found.files):
        if c.kind not in _PARTNER or c.error is not None:
            continue
        if os.path.realpath(c.path) not in named_real:
            continue
        service = _service_name(c.path, _OWN_NAME[c.kind], max_bytes, c.data)
        if service is None:
            continue
        ext, attribute = _PARTNER[c.kind]
        for path in _beside(c.path, ext):
            real = os.path.realpath(path)
            if real in known:
                continue
            display = display_path(path, cwd)
            if matches_pattern(display, DEFAULT_EXCLUDES) is not None:
                continue
            if (_service_name(path, attribute, max_bytes) or "").lower() != service.lower():
                continue
            known.add(real)
            kind = "csdef" if ext == ".csdef" else "cscfg"
            found.files.append(InputCandidate(path, display, kind, context=True))
    found.files.sort(key=lambda c: c.display)


def service_configurations(csdef: str, max_bytes: int, elsewhere: Iterable[str] = ()) -> list[str]:
    """Every ``.cscfg`` beside ``csdef`` on disk, and among ``elsewhere`` (files a run skipped,
    such as those of a folder the configuration excludes), that configures its service (by
    service name, case-insensitive), linted or not: the RDP plugin fix must leave none of
    them declaring settings the ``.csdef`` no longer has."""
    service = _service_name(csdef, "name", max_bytes)
    if service is None:
        return []
    candidates = dict.fromkeys([*_beside(csdef, ".cscfg"), *elsewhere])
    return [
        path
        for path in candidates
        if os.path.isfile(path)
        and not os.path.islink(path)
        and (_service_name(path, "serviceName", max_bytes) or "").lower() == service.lower()
    ]


def _beside(path: str, ext: str) -> list[str]:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    out = []
    for name in names:
        candidate = os.path.join(folder, name)
        if (
            name.lower().endswith(ext)
            and os.path.isfile(candidate)
            and not os.path.islink(candidate)
        ):
            out.append(candidate)
    return out


def _service_name(
    path: str, attribute: str, max_bytes: int, data: bytes | None = None
) -> str | None:
    """The service name a `.csdef`/`.cscfg` root declares, or ``None`` if it cannot be read."""
    try:
        doc = parse_xml(data if data is not None else read_capped(path, max_bytes))
    except InputError:
        return None
    return attr(doc.root, attribute)
