"""Loaders of the files teams keep in their repositories: ``.csdef``, ``.cscfg`` and the
classic network configuration (netcfg)."""
