"""Discovery: expand command-line paths into classified input files (:mod:`.walk`), by
kind (:mod:`.kinds`)."""

from csmlint.discovery.candidates import Discovery, InputCandidate
from csmlint.discovery.kinds import ASM_ROOTS, classify
from csmlint.discovery.walk import DEFAULT_EXCLUDES, SKIPPED_DIRS, discover, display_path

__all__ = [
    "ASM_ROOTS",
    "DEFAULT_EXCLUDES",
    "SKIPPED_DIRS",
    "Discovery",
    "InputCandidate",
    "classify",
    "discover",
    "display_path",
]
