"""Reading input bytes: size-capped, never following a file outside what was asked for."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from csmlint.errors import InputError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def read_capped(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read at most ``max_bytes`` bytes of ``path``; larger files are an input error."""
    try:
        with open_regular(path) as fh:
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
    except NotRegularFileError as exc:
        raise InputError(str(exc), line=1, column=1) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", line=1, column=1) from None
    if len(data) > max_bytes:
        raise InputError(f"file larger than the limit ({max_bytes} bytes)", line=1, column=1)
    return data


class NotRegularFileError(OSError):
    """``path`` is a FIFO, a device or a socket: reading it could block or never end."""


def open_regular(path: str) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file (after symlinks).

    The open itself never blocks: ``O_NONBLOCK`` makes opening a FIFO return at once, and
    the type is checked on the open descriptor (no race with a rename).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", path)
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(f"not a regular file ({_kind(mode)})")
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return open(fd, "rb")  # the caller closes it
    except BaseException:
        os.close(fd)
        raise


def not_a_file(path: str) -> str | None:
    """Why ``path`` cannot be read as a file (``"no such file"``, ``"is a folder"``, ``"not
    a regular file (a named pipe)"``), or ``None`` when it is a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "no such file"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return f"not a regular file ({_kind(mode)})"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def read_head(path: str, size: int) -> bytes | None:
    """The first ``size`` bytes of ``path``; ``None`` when it cannot be read."""
    try:
        with open_regular(path) as fh:
            return fh.read(size)
    except OSError:
        return None
