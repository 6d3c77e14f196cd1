"""Domain facts about Cloud Services role sizes (from the CS-ES size documentation)."""

from __future__ import annotations

from typing import Final

CORES: Final[dict[str, int]] = {
    "extrasmall": 1,
    "small": 1,
    "medium": 2,
    "large": 4,
    "extralarge": 8,
    "a0": 1,
    "a1": 1,
    "a2": 2,
    "a3": 4,
    "a4": 8,
    "a5": 2,
    "a6": 4,
    "a7": 8,
    "a8": 8,
    "a9": 16,
    "a10": 8,
    "a11": 16,
    "msodsg5": 16,
    "standard_a0": 1,
    "standard_a1": 1,
    "standard_a2": 2,
    "standard_a3": 4,
    "standard_a4": 8,
    "standard_a5": 2,
    "standard_a6": 4,
    "standard_a7": 8,
    "standard_a1_v2": 1,
    "standard_a2_v2": 2,
    "standard_a4_v2": 4,
    "standard_a8_v2": 8,
    "standard_a2m_v2": 2,
    "standard_a4m_v2": 4,
    "standard_a8m_v2": 8,
    "standard_d1": 1,
    "standard_d2": 2,
    "standard_d3": 4,
    "standard_d4": 8,
    "standard_d11": 2,
    "standard_d12": 4,
    "standard_d13": 8,
    "standard_d14": 16,
    "standard_d1_v2": 1,
    "standard_d2_v2": 2,
    "standard_d3_v2": 4,
    "standard_d4_v2": 8,
    "standard_d5_v2": 16,
    "standard_d11_v2": 2,
    "standard_d12_v2": 4,
    "standard_d13_v2": 8,
    "standard_d14_v2": 16,
    "standard_d15_v2": 20,
    "standard_d2_v3": 2,
    "standard_d4_v3": 4,
    "standard_d8_v3": 8,
    "standard_d16_v3": 16,
    "standard_d2s_v3": 2,
    "standard_d4s_v3": 4,
    "standard_d8s_v3": 8,
    "standard_d16s_v3": 16,
    "standard_ds1_v2": 1,
    "standard_ds2_v2": 2,
    "standard_ds3_v2": 4,
    "standard_ds4_v2": 8,
    "standard_g1": 2,
    "standard_g2": 4,
    "standard_g3": 8,
    "standard_g4": 16,
    "standard_g5": 32,
}
"""Virtual cores per size name (lower-case)."""


def cores_for(size: str | None) -> int | None:
    """Cores of one instance of ``size``; ``None`` when the size is not in the table."""
    if not size:
        return None
    return CORES.get(size.strip().lower())


def normalize_region(location: str | None) -> str | None:
    """``West Europe`` and ``westeurope`` are the same region."""
    if location is None:
        return None
    return "".join(location.split()).lower()
