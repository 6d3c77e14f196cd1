"""Migration units: what migrates together."""

from __future__ import annotations

from csmlint.model.estate import Estate, MigrationUnit, storage_unit_id, vnet_unit_id


def assign_units(estate: Estate) -> None:
    """A VNet and everything in it; a cloud service outside any VNet; a storage account."""
    units: dict[str, MigrationUnit] = {}
    for vnet in estate.virtual_networks:
        uid = vnet_unit_id(vnet.name)
        if uid not in units:
            units[uid] = MigrationUnit(
                id=uid, kind="virtualNetwork", name=vnet.name, key=uid, src=vnet.src
            )
    for cs in estate.cloud_services:
        production = cs.production if cs.production not in (None,) else None
        names = list(cs.vnet_names)
        preferred = getattr(production, "vnet_name", None)
        if isinstance(preferred, str) and preferred:
            names = [preferred, *[n for n in names if n != preferred]]
        if names:
            uid = vnet_unit_id(names[0])
        else:
            uid = cs.key or f"cloudService:{cs.name.lower()}"
            if uid not in units:
                units[uid] = MigrationUnit(
                    id=uid, kind="cloudService", name=cs.name, key=uid, src=cs.src
                )
        cs.migration_unit = uid
        if cs.name not in units[uid].cloud_services:
            units[uid].cloud_services.append(cs.name)
    for account in estate.storage_accounts:
        uid = storage_unit_id(account.name)
        units.setdefault(
            uid,
            MigrationUnit(
                id=uid, kind="storageAccount", name=account.name, key=uid, src=account.src
            ),
        )
    estate.units = sorted(units.values(), key=lambda u: (u.kind != "virtualNetwork", u.id))
