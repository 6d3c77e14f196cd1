"""Atomic replacement of a linted file with its fixed bytes (temporary file + rename, the
file's mode kept)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile


def write_bytes_atomic(path: str, data: bytes) -> None:
    real = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(real).st_mode)
    fd, tmp = tempfile.mkstemp(prefix=".csmlint-fix-", suffix=".tmp", dir=os.path.dirname(real))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
