"""The RDP plugin removal (CSM123) across a service's files: the ``.csdef`` and every
``.cscfg`` of the service (beside it by service name, and those lint pairs with it
elsewhere), with the plugin's certificate kept for the roles that declare it themselves,
and the fix refused when an endpoint names that certificate only the import declares."""

from __future__ import annotations

import os

from csmlint.discovery.partners import service_configurations
from csmlint.migration.fix.rewrite import RDP_CERT, rdp_certificate_use
from csmlint.migration.fix.text import decode
from csmlint.parsing.source import read_capped
from csmlint.records import field, record


@record
class PluginRemoval:
    cwd: str
    max_bytes: int
    paired: dict[str, set[str]]
    """``.csdef`` display path -> absolute paths of the ``.cscfg`` files lint paired with it."""
    linted: set[str]
    """Real paths of the files the lint run read."""
    skipped: list[str] = field(default_factory=list)
    """Absolute paths of the ``.cscfg`` files the run skipped (excluded): still the
    service's, so still edited."""
    configurations: dict[str, list[str]] = field(default_factory=dict)
    """``.csdef`` absolute path -> the ``.cscfg`` files (absolute) its fix edits."""
    keep_certificate: dict[str, frozenset[str]] = field(default_factory=dict)
    """``.cscfg`` absolute path -> roles (lower-case) whose certificate entry stays."""
    refused: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def plan(self, csdef: str, shown: str) -> bool:
        """Decide the removal for one ``.csdef`` (once); ``False`` when it is refused."""
        if csdef in self.configurations or csdef in self.refused:
            return csdef not in self.refused
        use = rdp_certificate_use(decode(read_capped(csdef, self.max_bytes)).text)
        if use.undeclared:
            self.refused.add(csdef)
            roles = ", ".join(repr(r) for r in use.undeclared)
            self.notes.append(
                f"{shown}: CSM123 not fixed: an endpoint of role(s) {roles} names the "
                f"certificate {RDP_CERT}, which only the RemoteAccess import declares: declare "
                "it in the role's <Certificates> (or give the endpoint its own certificate), "
                "then fix again"
            )
            return False
        beside = service_configurations(csdef, self.max_bytes, self.skipped)
        found = sorted({*beside, *self.paired.get(shown, ())})
        self.configurations[csdef] = found
        if use.declared:
            self.keep_certificate.update(dict.fromkeys(found, use.declared))
            roles = ", ".join(repr(r) for r in use.declared_names)
            self.notes.append(
                f"{shown}: CSM123 keeps the certificate {RDP_CERT} of role(s) {roles} in the "
                ".cscfg files: the .csdef declares it for them, so only their plugin imports "
                "and settings go"
            )
        return True

    def summary(self, edited: set[str]) -> list[str]:
        """A note per fixed ``.csdef`` naming the ``.cscfg`` files edited with it (those
        this run did not lint marked), and what a run cannot see."""
        out = []
        for csdef, found in sorted(self.configurations.items()):
            if csdef not in edited:
                continue
            names = [
                os.path.relpath(c, self.cwd)
                + (
                    ""
                    if os.path.realpath(c) in self.linted
                    else " (edited though not linted: excluded or not named)"
                )
                for c in found
            ]
            listed = "; ".join(names) if names else "none found"
            out.append(
                f"{os.path.relpath(csdef, self.cwd)}: CSM123 removes the plugin from the .csdef "
                f"and from these .cscfg files of its service: {listed}. Any other .cscfg of it "
                "outside the paths given still has the plugin's settings: fix it too"
            )
        return out
