"""A thin connection for every command's reads and writes.

sqlite-utils builds and migrates the schema; reading and the journalled writes need only a few
of its calls, and importing it costs a command ~45–65 ms (more where numpy is installed; measured by
``benchmarks/import_cost.py``). So commands use this small class with the same names, and
sqlite-utils is imported only to migrate.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, cast

from fleksrun.errors import InputError, StoreError


class Column(NamedTuple):
    name: str
    type: str


class Database:
    """An open SQLite connection with sqlite-utils' names for what fleksrun uses; ``read_only`` when
    the file may only be read (store.db opens it so)."""

    def __init__(self, conn: sqlite3.Connection, *, read_only: bool = False) -> None:
        self.conn = conn
        self.read_only = read_only
        # Work every write transaction on this connection does last, before it commits (the
        # agenda's summaries: see services.open_database).
        self.before_commit: list[Callable[[Database], None]] = []

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters if parameters is not None else ())

    def query(self, sql: str, parameters: Any = None) -> Iterator[dict[str, Any]]:
        """Rows as dicts, read lazily."""
        cursor = self.execute(sql, parameters)
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def table_names(self) -> list[str]:
        return [r[0] for r in self.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def columns(self, table: str) -> list[Column]:
        return [Column(r[1], r[2]) for r in self.execute("SELECT * FROM pragma_table_info(?)", [table])]

    @contextmanager
    def ensure_autocommit_on(self) -> Iterator[None]:
        """No implicit transactions inside the block (for VACUUM and journal-mode changes)."""
        if self.conn.in_transaction:
            raise RuntimeError("cannot switch to autocommit inside a transaction")
        old = self.conn.isolation_level
        self.conn.isolation_level = None
        try:
            yield
        finally:
            self.conn.isolation_level = old

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- Encrypted files (the optional extra fleksrun[encrypted]: SQLCipher) -----------------------------
#
# A plain SQLite file starts with this header; an SQLCipher file starts with 16 random bytes (its salt)
# and is encrypted from there on. Only a file without the header is handed to SQLCipher, so a plain
# file (and a run without the extra) never imports it.

PLAIN_HEADER = b"SQLite format 3\x00"
PASSPHRASE_ENV = "FLEKSRUN_PASSPHRASE"
# SQLCipher 4's defaults for deriving the key from a passphrase (PBKDF2-HMAC-SHA512, 256,000 rounds,
# a 32-byte key from the file's 16-byte salt). fleksrun derives the key once per run and hands SQLCipher
# the key itself, so a command that opens the file three times waits ~0.2 s once, not three times; the
# file still opens with the passphrase alone in any SQLCipher 4 program (DB Browser for SQLite).
_KDF_ROUNDS = 256_000
_SALT_BYTES = 16
_derived: dict[tuple[str, bytes], str] = {}


def looks_encrypted(path: Path) -> bool:
    """Whether the file at ``path`` may be encrypted: not empty, whole pages (a database's size is a
    multiple of its page size, 512 bytes at least), and without SQLite's plain header. Only the key
    tells such a file from one that is no database at all; any other file takes the plain path, which
    says what is wrong with it."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(len(PLAIN_HEADER))
            size = os.fstat(raw.fileno()).st_size
    except OSError:  # missing, a folder, unreadable
        return False
    return size > 0 and size % 512 == 0 and head != PLAIN_HEADER


def _passphrase_from_environment(path: Path) -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


# Where the passphrase of an encrypted file comes from: the environment, unless the command line has
# set a source that can also ask (cli.state).
passphrase_source: Callable[[Path], str | None] = _passphrase_from_environment


def cipher() -> Any:
    """SQLCipher's DB-API module; StoreError when the extra is not installed."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise StoreError("encryption.needs_extra") from None
    return dbapi2


def keyspec(passphrase: str, salt: bytes) -> str:
    """SQLCipher's raw key form x'KEY SALT' for ``passphrase`` and a file's ``salt``: the key SQLCipher
    itself derives from the passphrase, and the salt, which a new file takes as its own."""
    if (passphrase, salt) not in _derived:
        import hashlib

        key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, _KDF_ROUNDS, 32)
        _derived[(passphrase, salt)] = f"x'{key.hex()}{salt.hex()}'"
    return _derived[(passphrase, salt)]


def new_salt() -> bytes:
    return os.urandom(_SALT_BYTES)


def connect(path: Path, *, uri: str | None = None, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection to the file at ``path`` (through ``uri`` when given): the standard library's for a
    plain or new file, SQLCipher's with the key for an encrypted one. A file that no passphrase opens
    is refused with one sentence before anything is read or written."""
    if not looks_encrypted(path):
        return sqlite3.connect(uri or str(path), uri=uri is not None, timeout=timeout)
    dbapi2 = _cipher_for(path)
    passphrase = passphrase_source(path)
    if not passphrase:
        raise StoreError("encryption.no_passphrase", path=str(path))
    with open(path, "rb") as raw:
        salt = raw.read(_SALT_BYTES)
    spec = keyspec(passphrase, salt)
    conn = keyed(dbapi2.connect(uri or str(path), uri=uri is not None, timeout=timeout), spec)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        # SQLITE_NOTADB: the first page does not decrypt. Busy, locked or a file cut short (its first
        # page sound, later ones missing) are not the passphrase's fault: they come up again at the
        # caller's first query, as they would on a plain file, and it says what they are.
        if getattr(exc, "sqlite_errorcode", None) == _SQLITE_NOTADB:
            conn.close()
            raise InputError("encryption.wrong_passphrase", path=str(path)) from None
    return conn


_SQLITE_NOTADB = 26


def _cipher_for(path: Path) -> Any:
    try:
        return cipher()
    except StoreError:  # without the extra, an encrypted file and a damaged one look alike
        raise StoreError("encryption.unreadable", path=str(path)) from None


def keyed(raw: Any, spec: str) -> sqlite3.Connection:
    """A SQLCipher connection opened with the key ``spec`` (see keyspec), standing in for a standard one."""
    raw.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is said by fleksrun, not logged by SQLCipher
    raw.execute(f'PRAGMA key = "{spec}"')  # hex digits only: nothing typed reaches this text
    return cast(sqlite3.Connection, Encrypted(raw, spec))


def standard(raw: Any) -> sqlite3.Connection:
    """A SQLCipher connection to a plain file, standing in for a standard one."""
    return cast(sqlite3.Connection, _Translating(raw))


def copy_target(source: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """A connection to a new file that ``source`` can back up into: encrypted with the same key (and
    salt) when ``source`` is, so a copy of an encrypted database stays encrypted."""
    if isinstance(source, Encrypted):
        return keyed(cipher().connect(str(path)), source.keyspec)
    return sqlite3.connect(str(path))


@contextmanager
def _standard_errors() -> Iterator[None]:
    """SQLCipher's errors as the standard library's sqlite3 errors, which every layer catches."""
    try:
        yield
    except sqlite3.Error:
        raise
    except MemoryError as exc:
        # SQLCipher answers a page that does not decrypt (damaged, or altered) with SQLITE_NOMEM, which
        # the module raises as MemoryError: it is a damaged file, and said as one.
        raise sqlite3.DatabaseError("database disk image is malformed") from exc
    except Exception as exc:
        if type(exc).__module__ != "sqlcipher3.dbapi2":
            raise
        standard = getattr(sqlite3, type(exc).__name__, sqlite3.DatabaseError)(*exc.args)
        for name in ("sqlite_errorcode", "sqlite_errorname"):
            if hasattr(exc, name):
                setattr(standard, name, getattr(exc, name))
        raise standard from exc


class _Translating:
    """A SQLCipher connection or cursor that behaves as the standard one: same calls, and the standard
    library's errors."""

    __slots__ = ("_inner",)

    def __init__(self, inner: Any) -> None:
        object.__setattr__(self, "_inner", inner)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            args = tuple(a._inner if isinstance(a, _Translating) else a for a in args)  # backup(target)
            with _standard_errors():
                result = value(*args, **kwargs)
            if type(result).__name__ == "Cursor" and type(result).__module__ == "sqlcipher3.dbapi2":
                return _Translating(result)
            return result

        return call

    def __setattr__(self, name: str, value: Any) -> None:  # isolation_level, row_factory
        setattr(self._inner, name, value)

    def __iter__(self) -> Iterator[Any]:
        rows = iter(self._inner)
        while True:
            with _standard_errors():
                row = next(rows, _END)
            if row is _END:
                return
            yield row

    def __enter__(self) -> Any:
        with _standard_errors():
            self._inner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        with _standard_errors():
            return self._inner.__exit__(*exc)


_END = object()


class Encrypted(_Translating):
    """A connection to an encrypted file; ``keyspec`` opens copies of it."""

    __slots__ = ("keyspec",)

    def __init__(self, inner: Any, spec: str) -> None:
        super().__init__(inner)
        object.__setattr__(self, "keyspec", spec)
