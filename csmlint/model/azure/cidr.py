"""Address prefixes as Azure Resource Manager checks them: strict CIDR (no host bits set).

The classic platform accepted prefixes such as ``10.66.64.1/22``; Resource Manager rejects
them, and a VNet or local network site migrated with one ends in a failed state ("VPN
Gateway classic to Resource Manager migration").
"""

from __future__ import annotations

from csmlint.model.location import SourceRef
from csmlint.model.network import AddressPrefix


def check_prefix(prefix: str, context: str, owner: str, ref: object) -> AddressPrefix:
    """An :class:`AddressPrefix` with its validity decided (strict CIDR, as ARM checks)."""
    entity = AddressPrefix(
        prefix=prefix,
        context=context,
        owner=owner,
        src=ref if isinstance(ref, SourceRef) else None,
        key=f"{context}[@name='{owner}']/AddressPrefix[{prefix}]",
    )
    text = prefix.strip()
    if "/" not in text:
        entity.valid = False
        entity.problem = "has no prefix length (expected address/length)"
        return entity
    import ipaddress  # only a run with a network configuration needs it (start-up)

    try:
        ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        entity.valid = False
        try:
            fixed = ipaddress.ip_network(text, strict=False)
        except ValueError:
            entity.problem = str(exc)
        else:
            entity.problem = "has host bits set"
            entity.suggestion = str(fixed)
    return entity
