"""Files a build keeps between runs (the parse cache, what the output holds, processed photos'
manifests): data, never code, and never trusted unless this machine's builds wrote them.

Each file is JSON with its kind and version, signed with HMAC-SHA256 under a key that is kept
outside the cache folder: ``$NEWSARCHIVE_CACHE_KEY`` when set (CI can give it from a secret),
else a random key made once in the user's configuration folder (``~/.config/newsarchive/``,
readable by the user only). A file that was changed, copied from another machine, restored from
someone else's cache or written by other code fails the check before its JSON is read, and the
build does that work again: a tampered cache can neither run code nor put into a page anything a
clean build would not.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from .files import replace_bytes

KEY_ENV = "NEWSARCHIVE_CACHE_KEY"
_MAGIC = b"newsarchive-cache/1 "
_key: bytes | None = None


def _key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "newsarchive" / "cache-key"


def signing_key() -> bytes:
    """The key caches are signed with (made on first use; kept for the process)."""
    global _key
    if _key is None:
        given = os.environ.get(KEY_ENV, "")
        if given:
            _key = hashlib.sha256(given.encode()).digest()
        else:
            _key = _stored_key()
    return _key


def _stored_key() -> bytes:
    path = _key_file()
    try:
        data = path.read_bytes().strip()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    fresh = secrets.token_hex(32).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(fresh + b"\n")
        return fresh
    except FileExistsError:      # another build made it meanwhile: use theirs
        try:
            data = path.read_bytes().strip()
            if len(data) >= 32:
                return data
        except OSError:
            pass
    except OSError:
        pass
    return fresh   # no place to keep a key: caches are good for this process only


def _mac(body: bytes) -> bytes:
    return hmac.new(signing_key(), body, hashlib.sha256).hexdigest().encode()


def dumps(kind: str, version: str, data: Any) -> bytes:
    body = json.dumps({"kind": kind, "version": version, "data": data}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")
    return _MAGIC + _mac(body) + b"\n" + body


def loads(raw: bytes, kind: str, version: str) -> Any | None:
    """The data of a signed file of ``kind`` and ``version``, or None for anything else."""
    if not raw.startswith(_MAGIC):
        return None
    mac, _, body = raw[len(_MAGIC):].partition(b"\n")
    if not hmac.compare_digest(mac, _mac(body)):
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if not isinstance(document, dict) or document.get("kind") != kind or document.get("version") != version:
        return None
    return document.get("data")


def write(path: Path, kind: str, version: str, data: Any) -> None:
    """Replace ``path`` whole with ``data`` (plain JSON values), signed."""
    replace_bytes(path, dumps(kind, version, data))


def read(path: Path, kind: str, version: str) -> Any | None:
    """What ``write`` saved at ``path`` with this kind and version, or None when it is missing,
    unreadable, not signed by this machine's key, or of another kind or version."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return loads(raw, kind, version)
