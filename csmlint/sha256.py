"""SHA-256 for fingerprints and cache keys, without loading OpenSSL when it can.

``import hashlib`` loads OpenSSL (about 6 ms of every start, a pre-commit hook's budget);
the interpreter's own SHA-256 module gives the same digests (``_sha2`` from Python 3.12,
``_sha256`` before). A build without it falls back to :mod:`hashlib`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import sha256
else:
    try:
        from _sha2 import sha256
    except ImportError:
        try:
            from _sha256 import sha256
        except ImportError:
            from hashlib import sha256

__all__ = ["sha256"]
