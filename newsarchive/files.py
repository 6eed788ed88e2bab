"""Reading input files without hanging: only regular files are read, opened so that a FIFO,
socket or device put in their place can never block the build. And replacing a file whole."""
from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

from .errors import ContentError, ContentErrors

_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFDIR: "a folder"}


class NotAFile(OSError):
    """The path names something other than a regular file; the message says what."""


def unreadable(exc: OSError) -> str:
    """Why an input file could not be read, as an error message says it."""
    if isinstance(exc, NotAFile):
        return str(exc)
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop; remove it"
    return f"cannot be read: {exc.strerror or exc}"


def kind_of(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_regular(path: str | Path) -> bytes:
    """The bytes of a regular file. Anything else raises NotAFile at once (O_NONBLOCK keeps the
    open of a FIFO from waiting for a writer); a missing file or a link loop raises OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFile(f"is {kind_of(mode)}, not a file; remove it")
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    finally:
        os.close(fd)


def read_text(path: Path | str, name: str) -> str:
    """A content file's text as the loader reads it (its line numbers are the loader's)."""
    try:
        return decode_text(read_regular(path), name)
    except OSError as exc:
        raise ContentErrors([ContentError(name, 1, "file", unreadable(exc))]) from None


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (a BOM allowed) and normalise line ends; any other encoding is an error."""
    if b"\x00" in data:
        raise ContentErrors([ContentError(name, 1, "file", "is binary, not UTF-8 Markdown text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentErrors([ContentError(
            name, line, "file", f"is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def replace_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole: into a file beside it, named for this process and thread
    (two writers never share one), renamed over it when complete."""
    partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
    partial.write_bytes(data)
    partial.replace(path)
