"""Reading input bytes: size-capped, never following a file outside what was asked for."""

from __future__ import annotations

import os

from csmlint.errors import InputError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def read_capped(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read at most ``max_bytes`` bytes of ``path``; larger files are an input error."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise InputError(
                    f"file larger than the limit ({size} > {max_bytes} bytes; see --max-file-size)",
                    line=1,
                    column=1,
                )
            data = fh.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError("is a directory", line=1, column=1) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", line=1, column=1) from None
    if len(data) > max_bytes:
        raise InputError(f"file larger than the limit ({max_bytes} bytes)", line=1, column=1)
    return data


def read_head(path: str, size: int) -> bytes | None:
    """The first ``size`` bytes of ``path``; ``None`` when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return None
