"""csmlint: pre-migration linter for Azure Cloud Services (classic) and classic IaaS."""

__version__ = "0.1.0"
