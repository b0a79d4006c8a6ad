"""Backups: one encrypted archive of the database and the uploaded files, and its restore.

The archive is a logical dump, not the database engine's own: every table's
rows, read in one snapshot through the ORM and written as JSON lines, so an
archive made on SQLite restores on PostgreSQL (a mission that grows out of
SQLite moves this way) and the same code checks both. ``pg_dump`` would be
faster on a very large PostgreSQL database, but it cannot move a mission
between engines, its output would still need our encryption, and a restore
could not check the migration state or prove the result row by row.

Layout of an archive (docs/backups.md)::

    MAGIC, archive id (16 random bytes)
    chunks: 4-byte length, Fernet token of (sequence number, last-chunk flag, archive id, data)

The data of all chunks together is a zlib stream of a tar stream: ``header.json``
(format, app version, migration state), ``db/<n>-<model>/<part>.jsonl`` (a line
of column names, then one JSON array per row, ordered by primary key), the
files under ``files/`` and ``manifest.json`` (rows and a checksum per table, a
sha256 per file). Each chunk is authenticated on its own and names its place,
so a damaged, reordered, cut or spliced archive is refused, and nothing is
ever held whole in memory.

Values are copied as they are stored: encrypted fields stay Fernet tokens and
uploaded files stay ciphertext (core/crypto.py), so a restore needs the same
``HOMEWARD_ENCRYPTION_KEYS`` as well as the backup key, and the backup never
decrypts a person's data.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import logging
import os
import shutil
import struct
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any, BinaryIO

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FORMAT = 1
MAGIC = b"HOMEWARD-BACKUP\n"
KEY_VARIABLE = "HOMEWARD_BACKUP_KEY"
CHUNK_BYTES = 1 << 20  # plaintext per encrypted chunk
PART_BYTES = 4 << 20  # rows per tar member, so that a member's size is known before it is written
_CHUNK_HEAD = struct.Struct(">QB16s")  # sequence number, last-chunk flag, archive id
_LENGTH = struct.Struct(">I")
# A Fernet token of a full chunk is about 4/3 of it (base64) plus its envelope.
_MAX_TOKEN = CHUNK_BYTES * 2 + 4096

# Sessions are not backed up: a restore logs everyone out, and a session is only a login.
EXCLUDED_TABLES = {"django_session"}
# Tables a freshly migrated installation already fills (content types and permissions after migrate, the
# vulnerability taxonomy of people/0002) or that a started worker fills (its periodic tasks): the restore
# empties them and loads the archive's, whose ids the other tables point to. A test keeps this list honest
# (tests/backup/test_restore_refuses.py::test_only_derived_tables_have_rows_after_migrate).
DERIVED_MODELS = {
    "contenttypes.ContentType",
    "auth.Permission",
    "people.VulnerabilityType",
    "django_tasks_db.DBTaskResult",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# Keys


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "HOMEWARD_BACKUP_KEYS", []))
    if not keys:
        raise BackupError(
            _(
                "%(variable)s is not set: backups are always encrypted. Make a key with `homeward encryption "
                "newkey` (or python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key()"
                ".decode())'), keep a copy away from the server, and set it in the environment."
            )
            % {"variable": KEY_VARIABLE}
        )
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            raise BackupError(
                _("%(variable)s: key %(position)s is not a Fernet key (44 characters of url-safe base64).")
                % {"variable": KEY_VARIABLE, "position": position}
            ) from None
    return MultiFernet(fernets)


# The encrypted, compressed stream


class _EncryptingWriter(io.RawIOBase):
    """Compress, cut into chunks, encrypt each chunk with its place in the archive."""

    def __init__(self, raw: BinaryIO, fernet: MultiFernet) -> None:
        self._raw, self._fernet = raw, fernet
        self._zip = zlib.compressobj(6)
        self._buffer = bytearray()
        self._sequence = 0
        self._id = os.urandom(16)
        raw.write(MAGIC + self._id)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += self._zip.compress(bytes(data))
        while len(self._buffer) >= CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, data: bytes, *, last: bool) -> None:
        token = self._fernet.encrypt(_CHUNK_HEAD.pack(self._sequence, int(last), self._id) + data)
        self._raw.write(_LENGTH.pack(len(token)) + token)
        self._sequence += 1

    def finish(self) -> None:
        self._buffer += self._zip.flush()
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()


class _DecryptingReader(io.RawIOBase):
    """The plaintext of an archive, chunk by chunk; BackupError on anything not exactly as written."""

    def __init__(self, raw: BinaryIO, fernet: MultiFernet) -> None:
        self._raw, self._fernet = raw, fernet
        if raw.read(len(MAGIC)) != MAGIC:
            raise BackupError(_("This is not a Homeward backup archive."))
        self._id = raw.read(16)
        if len(self._id) != 16:
            raise BackupError(_("The archive is incomplete: it was cut short."))
        self._zip = zlib.decompressobj()
        self._buffer = bytearray()
        self._sequence = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        head = self._raw.read(_LENGTH.size)
        if not head:
            raise BackupError(_("The archive is incomplete: it was cut short (its last part is missing)."))
        if len(head) < _LENGTH.size:
            raise BackupError(_("The archive is incomplete: it was cut short."))
        (length,) = _LENGTH.unpack(head)
        if length > _MAX_TOKEN:
            raise BackupError(_("The archive is damaged or was altered (part %(n)s).") % {"n": self._sequence + 1})
        token = self._raw.read(length)
        if len(token) < length:
            raise BackupError(_("The archive is incomplete: it was cut short."))
        try:
            plain = self._fernet.decrypt(token)
        except InvalidToken:
            if self._sequence == 0:
                raise BackupError(
                    _("The archive cannot be opened with %(variable)s: it was made with another key, or it is damaged.")
                    % {"variable": KEY_VARIABLE}
                ) from None
            raise BackupError(
                _("The archive is damaged or was altered (part %(n)s).") % {"n": self._sequence + 1}
            ) from None
        sequence, last, archive_id = _CHUNK_HEAD.unpack_from(plain)
        if sequence != self._sequence or archive_id != self._id:
            raise BackupError(
                _("The archive was altered: its parts are out of order or from another archive (part %(n)s).")
                % {"n": self._sequence + 1}
            )
        self._sequence += 1
        self._buffer += self._zip.decompress(plain[_CHUNK_HEAD.size :])
        if last:
            self._buffer += self._zip.flush()
            if self._raw.read(1):
                raise BackupError(_("The archive was altered: there is data after its end."))
            if not self._zip.eof:
                raise BackupError(_("The archive is damaged: its contents end early."))
            self._done = True

    def read(self, size: int | None = -1) -> bytes:
        want = None if size is None or size < 0 else size
        while not self._done and (want is None or len(self._buffer) < want):
            self._next_chunk()
        if want is None:
            want = len(self._buffer)
        data = bytes(self._buffer[:want])
        del self._buffer[:want]
        return data

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)


# Tables and values


@dataclass
class _Column:
    field: models.Field
    kind: str  # "raw": stored text copied as is (encrypted and other custom text fields); "binary"; "json"; "plain"

    @property
    def name(self) -> str:
        return self.field.attname


def _kind(f: models.Field) -> str:
    internal = f.get_internal_type()
    custom = not type(f).__module__.startswith("django.")
    if getattr(f, "encrypted", False) or (custom and internal in {"CharField", "TextField"}):
        return "raw"
    if internal == "BinaryField":
        return "binary"
    if internal == "JSONField":
        return "json"
    return "plain"


def _columns(model: type[models.Model]) -> list[_Column]:
    return [_Column(f, _kind(f)) for f in model._meta.local_concrete_fields]


def backed_up_models() -> list[type[models.Model]]:
    """Every table of every installed app, the tables a row points to before it where possible."""
    seen: set[str] = set()
    candidates = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in EXCLUDED_TABLES or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        candidates.append(model)
    ordered: list[type[models.Model]] = []
    done: set[type[models.Model]] = set()
    remaining = sorted(candidates, key=lambda m: m._meta.label)
    everything = set(candidates)
    while remaining:
        for model in remaining:
            needs = {
                f.remote_field.model for f in model._meta.local_concrete_fields if f.is_relation and f.remote_field
            }
            if (needs & everything) - {model} <= done:
                break
        else:
            model = remaining[0]  # a cycle: foreign keys are checked at commit, so any order loads
        remaining.remove(model)
        done.add(model)
        ordered.append(model)
    return ordered


def _encode(column: _Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if column.kind == "json" or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime too
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    return str(value)


def _decode(column: _Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "binary":
        return base64.b64decode(value)
    if column.kind in {"json", "raw"}:
        return value
    return column.field.to_python(value)


def _rows(model: type[models.Model], columns: list[_Column], using: str) -> Iterator[list[Any]]:
    """The stored values of a table in primary-key order, streamed (encrypted columns as their tokens)."""
    queryset = model._base_manager.using(using).order_by("pk")
    names = []
    for position, column in enumerate(columns):
        if column.kind == "raw":
            alias = f"backup_raw_{position}"
            queryset = queryset.annotate(**{alias: models.ExpressionWrapper(models.F(column.name), models.TextField())})
            names.append(alias)
        else:
            names.append(column.name)
    for row in queryset.values_list(*names).iterator(chunk_size=2000):
        yield [_encode(c, v) for c, v in zip(columns, row, strict=True)]


class _TableSum:
    """Row count and checksum of a table; canonical (sorted JSON keys), so it is the same on every engine."""

    def __init__(self, columns: list[str]) -> None:
        self.rows = 0
        self._hash = hashlib.sha256(_canonical(columns))

    def add(self, row: list[Any]) -> None:
        self.rows += 1
        self._hash.update(_canonical(row))

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def _line(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def table_sums(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict[str, Any]]:
    """Rows and checksum of every backed-up table as the database holds it now."""
    result = {}
    for model in backed_up_models():
        columns = _columns(model)
        total = _TableSum([c.name for c in columns])
        for row in _rows(model, columns, using):
            total.add(row)
        result[model._meta.label] = {"table": model._meta.db_table, "rows": total.rows, "sha256": total.sha256}
    return result


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The applied migrations, by app."""
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("homeward")
    except PackageNotFoundError:
        return "unknown"


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One consistent read of the whole database while others keep writing."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield  # already inside a transaction (a test): it is the snapshot
        return
    if connection.vendor == "sqlite":
        # A deferred read transaction: in WAL mode writers go on, we see the database as at our first read.
        # (atomic() would BEGIN IMMEDIATE here and hold writers back for the whole backup.)
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


# Files


def _files_root() -> Path:
    return Path(settings.FILES_ROOT)


def _stored_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and not p.relative_to(root).parts[0].startswith(".restore-")
    )


class _HashingReader:
    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.hash.update(data)
        return data


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0].startswith(".restore-"):
        raise BackupError(
            _("The archive was altered: it names a file outside the files directory (%(name)s).") % {"name": name}
        )
    return path


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


# Backup


@dataclass
class BackupSummary:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    archive_bytes: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)


def default_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.HOMEWARD_BACKUP_DIR) / f"homeward-{stamp}.backup"


def backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write the archive to ``path`` (through a temporary file renamed at the end: never half an archive)."""
    fernet = _fernet()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        path = path / default_path().name
    summary = BackupSummary(path=path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed or removed
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial", delete=False
    )
    try:
        writer = _EncryptingWriter(handle, fernet)  # type: ignore[arg-type]
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            summary.manifest = _write_payload(tar, summary, using)
        writer.finish()
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.chmod(handle.name, 0o600)
        os.replace(handle.name, path)
    except BaseException:
        handle.close()
        Path(handle.name).unlink(missing_ok=True)
        raise
    summary.archive_bytes = path.stat().st_size
    return summary


def _write_table(tar: tarfile.TarFile, number: int, model: type[models.Model], using: str) -> _TableSum:
    """A table as tar members of at most about PART_BYTES each, every one starting with the column names."""
    columns = _columns(model)
    names = [c.name for c in columns]
    head = _line({"model": model._meta.label, "columns": names})
    total = _TableSum(names)
    part, buffer = 0, bytearray()
    for row in _rows(model, columns, using):
        total.add(row)
        buffer += _line(row)
        if len(buffer) >= PART_BYTES:
            part += 1
            _add_bytes(tar, f"db/{number:04d}-{model._meta.label}/{part:06d}.jsonl", head + bytes(buffer))
            buffer = bytearray()
    if buffer:
        part += 1
        _add_bytes(tar, f"db/{number:04d}-{model._meta.label}/{part:06d}.jsonl", head + bytes(buffer))
    return total


def _write_payload(tar: tarfile.TarFile, summary: BackupSummary, using: str) -> dict[str, Any]:
    connection = connections[using]
    manifest: dict[str, Any] = {"format": FORMAT}
    with _snapshot(using):
        manifest.update(
            {
                "app_version": app_version(),
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": migration_state(using),
            }
        )
        manifest["latest_migrations"] = {app: names[-1] for app, names in manifest["migrations"].items()}
        _add_bytes(tar, "header.json", _line(manifest))
        tables: dict[str, Any] = {}
        for number, model in enumerate(backed_up_models(), start=1):
            total = _write_table(tar, number, model, using)
            tables[model._meta.label] = {"table": model._meta.db_table, "rows": total.rows, "sha256": total.sha256}
            summary.tables += 1
            summary.rows += total.rows
        manifest["tables"] = tables
    # Files after the database: one uploaded meanwhile is simply not in this archive yet.
    root = _files_root()
    files: dict[str, Any] = {}
    for file in _stored_files(root):
        name = file.relative_to(root).as_posix()
        try:
            with file.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                info = tarfile.TarInfo(f"files/{name}")
                info.size, info.mode, info.mtime = size, 0o600, int(file.stat().st_mtime)
                reader = _HashingReader(handle)
                tar.addfile(info, reader)  # type: ignore[arg-type]
        except FileNotFoundError:
            logger.warning("backup: %s was deleted while the backup ran; left out", name)
            continue
        files[name] = {"size": size, "sha256": reader.hash.hexdigest()}
        summary.files += 1
        summary.file_bytes += size
    manifest["files"] = files
    _add_bytes(tar, "manifest.json", _line(manifest))
    return manifest


# Restore


@dataclass
class RestoreSummary:
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    header: dict[str, Any] = field(default_factory=dict)


def _open_archive(path: Path) -> tuple[BinaryIO, tarfile.TarFile]:
    fernet = _fernet()
    try:
        raw = Path(path).open("rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise BackupError(_("There is no archive at %(path)s.") % {"path": path}) from None
    try:
        reader = _DecryptingReader(raw, fernet)  # type: ignore[arg-type]
        tar = tarfile.open(fileobj=reader, mode="r|")  # noqa: SIM115 - read by the caller, raw closed there
    except tarfile.TarError:
        raw.close()
        raise BackupError(_("The archive is damaged: its contents cannot be read.")) from None
    except BaseException:
        raw.close()
        raise
    return raw, tar


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    try:
        yield from tar
    except tarfile.TarError:
        raise BackupError(_("The archive is damaged: its contents cannot be read.")) from None


def _read_json(tar: tarfile.TarFile, member: tarfile.TarInfo) -> dict[str, Any]:
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupError(_("The archive is damaged: its contents cannot be read."))
    return json.loads(handle.read())


def _check_migrations(header: dict[str, Any], using: str) -> None:
    """The archive's schema must be exactly this installation's."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(_("This database is not migrated: run `homeward migrate` first, then restore."))
    archive = {(app, name) for app, names in header.get("migrations", {}).items() for name in names}
    known = set(executor.loader.disk_migrations)
    here = set(executor.recorder.applied_migrations())
    version = header.get("app_version", "?")
    newer = sorted(archive - known)
    if newer:
        raise BackupError(
            _(
                "The archive comes from a newer Homeward (%(version)s): its database has changes this version "
                "does not know (%(migration)s). Install Homeward %(version)s or later, migrate, then restore."
            )
            % {"version": version, "migration": ".".join(newer[0])}
        )
    older = sorted(here - archive)
    if older:
        raise BackupError(
            _(
                "The archive comes from an older Homeward (%(version)s): it lacks the database change "
                "%(migration)s. Restore it on an installation of Homeward %(version)s, then upgrade it and run "
                "`homeward migrate`."
            )
            % {"version": version, "migration": ".".join(older[0])}
        )


def check_empty(using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a database or files directory that already holds anything beyond what `migrate` puts there."""
    for model in backed_up_models():
        if model._meta.label in DERIVED_MODELS:
            continue
        if model._base_manager.using(using).exists():
            raise BackupError(
                _(
                    "The database is not empty: the table %(table)s has rows. A restore only goes into a new "
                    "installation (an empty database after `homeward migrate`), so that nothing is overwritten "
                    "or mixed."
                )
                % {"table": model._meta.db_table}
            )
    files = _stored_files(_files_root())
    if files:
        raise BackupError(
            _("The files directory %(root)s is not empty (%(name)s): restore into an empty one.")
            % {"root": _files_root(), "name": files[0].relative_to(_files_root()).as_posix()}
        )


class _Loader:
    """Insert the rows of one archive table, exactly as they were stored."""

    def __init__(self, model: type[models.Model], names: list[str], using: str) -> None:
        columns = {c.name: c for c in _columns(model)}
        if sorted(names) != sorted(columns):
            raise BackupError(
                _("The archive's table %(table)s has other columns than this installation's.")
                % {"table": model._meta.db_table}
            )
        self.model, self.using = model, using
        self.columns = [columns[n] for n in names]
        self.fields = [self._insert_field(c) for c in self.columns]
        self.total = _TableSum(names)
        self._batch: list[SimpleNamespace] = []
        self._size = max(1, connections[using].ops.bulk_batch_size(self.fields, [None] * 1000))

    def _insert_field(self, column: _Column) -> models.Field:
        if column.kind != "raw":
            return column.field
        # The stored token goes in as text: the model's field would encrypt it a second time.
        plain = models.TextField(null=True)
        plain.set_attributes_from_name(column.field.attname)
        plain.column = column.field.column
        plain.model = self.model
        return plain

    def add(self, row: list[Any]) -> None:
        self.total.add(row)
        values = {c.name: _decode(c, v) for c, v in zip(self.columns, row, strict=True)}
        self._batch.append(SimpleNamespace(**values))
        if len(self._batch) >= self._size:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self.model._base_manager.using(self.using)._insert(
                self._batch, fields=self.fields, raw=True, using=self.using
            )
            self._batch = []


def restore(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Callable[[str], None] | None = None
) -> RestoreSummary:
    """Restore an archive into an empty installation: all of it, checked, or nothing."""
    say = progress or (lambda message: None)
    connection = connections[using]
    root = _files_root()
    raw, tar = _open_archive(path)
    staging: Path | None = None
    summary = RestoreSummary()
    try:
        members = _members(tar)
        first = next(members, None)
        if first is None or first.name != "header.json":
            raise BackupError(_("The archive is damaged: it does not start with its header."))
        header = _read_json(tar, first)
        if header.get("format") != FORMAT:
            raise BackupError(_("This archive's format is not one this version of Homeward reads."))
        summary.header = header
        _check_migrations(header, using)
        check_empty(using)
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
        by_label = {m._meta.label: m for m in backed_up_models()}
        with transaction.atomic(using=using):
            for label in DERIVED_MODELS:
                if label in by_label:
                    by_label[label]._base_manager.using(using).all()._raw_delete(using)
            if apps.is_installed("django.contrib.sessions"):
                from django.contrib.sessions.models import Session

                Session.objects.using(using).all()._raw_delete(using)
            loaded: dict[str, _Loader] = {}
            files: dict[str, dict[str, Any]] = {}
            manifest = None
            for member in members:
                if member.name.startswith("db/") and member.isfile():
                    handle = tar.extractfile(member)
                    assert handle is not None  # noqa: S101 - a regular file member
                    lines = iter(handle.read().splitlines())
                    head = json.loads(next(lines))
                    model = by_label.get(head["model"])
                    if model is None:
                        raise BackupError(
                            _("The archive holds a table this installation does not have (%(model)s).")
                            % {"model": head["model"]}
                        )
                    loader = loaded.get(head["model"])
                    if loader is None:
                        loader = loaded[head["model"]] = _Loader(model, head["columns"], using)
                        say(_("Restoring %(table)s…") % {"table": model._meta.db_table})
                    for line in lines:
                        loader.add(json.loads(line))
                    loader.flush()
                elif member.name.startswith("files/") and member.isfile():
                    name = _safe_relative(member.name[len("files/") :])
                    target = staging.joinpath(*name.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    source = tar.extractfile(member)
                    assert source is not None  # noqa: S101 - a regular file member
                    digest = hashlib.sha256()
                    with target.open("wb") as out:
                        while block := source.read(1 << 20):
                            digest.update(block)
                            out.write(block)
                    files[name.as_posix()] = {"size": member.size, "sha256": digest.hexdigest()}
                elif member.name == "manifest.json":
                    manifest = _read_json(tar, member)
                else:
                    raise BackupError(
                        _("The archive was altered: it holds an unexpected entry (%(name)s).") % {"name": member.name}
                    )
            if manifest is None:
                raise BackupError(_("The archive is incomplete: its manifest is missing."))
            _compare_archive(manifest, loaded, files)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for statement in connection.ops.sequence_reset_sql(no_style(), list(by_label.values())):
                        cursor.execute(statement)
            say(_("Checking the restored tables against the archive's manifest…"))
            _compare_database(manifest, using)
        # Committed: the files join the directory the database points to.
        for name in files:
            source = staging.joinpath(*PurePosixPath(name).parts)
            target = root.joinpath(*PurePosixPath(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        summary.tables = len(manifest["tables"])
        summary.rows = sum(t["rows"] for t in manifest["tables"].values())
        summary.files = len(files)
        summary.file_bytes = sum(f["size"] for f in files.values())
        _compare_files(manifest, root)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
    finally:
        raw.close()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return summary


def _compare_archive(manifest: dict[str, Any], loaded: dict[str, _Loader], files: dict[str, Any]) -> None:
    for label, expected in manifest["tables"].items():
        loader = loaded.get(label)
        rows = loader.total.rows if loader else 0
        if rows != expected["rows"] or (loader and loader.total.sha256 != expected["sha256"]):
            raise BackupError(
                _("The archive does not match its manifest: table %(table)s.") % {"table": expected["table"]}
            )
    if set(loaded) - set(manifest["tables"]):
        raise BackupError(_("The archive does not match its manifest: it has tables the manifest does not list."))
    if files != manifest["files"]:
        raise BackupError(_("The archive does not match its manifest: its files differ from the list."))


def _compare_database(manifest: dict[str, Any], using: str) -> None:
    now = table_sums(using)
    for label, expected in manifest["tables"].items():
        found = now.get(label)
        if found is None or found["rows"] != expected["rows"] or found["sha256"] != expected["sha256"]:
            raise BackupError(
                _(
                    "After loading, the table %(table)s differs from the archive (%(found)s rows, %(expected)s "
                    "expected): nothing was restored."
                )
                % {"table": expected["table"], "found": found["rows"] if found else 0, "expected": expected["rows"]}
            )
    extra = sorted(set(now) - set(manifest["tables"]))
    if extra:
        raise BackupError(
            _("The archive has no table %(table)s, which this installation has: nothing was restored.")
            % {"table": now[extra[0]]["table"]}
        )


def _compare_files(manifest: dict[str, Any], root: Path) -> None:
    for name, expected in manifest["files"].items():
        path = root.joinpath(*PurePosixPath(name).parts)
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        if digest.hexdigest() != expected["sha256"]:
            raise BackupError(_("The restored file %(name)s differs from the archive's.") % {"name": name})


def verify(path: Path) -> dict[str, Any]:
    """Read a whole archive without restoring it: the key opens it, every part is intact, the manifest agrees."""
    raw, tar = _open_archive(path)
    try:
        sums: dict[str, _TableSum] = {}
        files: dict[str, Any] = {}
        manifest = None
        header = None
        for member in _members(tar):
            if member.name == "header.json":
                header = _read_json(tar, member)
            elif member.name.startswith("db/") and member.isfile():
                handle = tar.extractfile(member)
                assert handle is not None  # noqa: S101
                lines = iter(handle.read().splitlines())
                head = json.loads(next(lines))
                total = sums.setdefault(head["model"], _TableSum(head["columns"]))
                for line in lines:
                    total.add(json.loads(line))
            elif member.name.startswith("files/") and member.isfile():
                source = tar.extractfile(member)
                assert source is not None  # noqa: S101
                digest = hashlib.sha256()
                while block := source.read(1 << 20):
                    digest.update(block)
                files[member.name[len("files/") :]] = {"size": member.size, "sha256": digest.hexdigest()}
            elif member.name == "manifest.json":
                manifest = _read_json(tar, member)
        if header is None or manifest is None:
            raise BackupError(_("The archive is incomplete: its manifest is missing."))
        for label, expected in manifest["tables"].items():
            total = sums.get(label)
            if (total.rows if total else 0) != expected["rows"] or (total and total.sha256 != expected["sha256"]):
                raise BackupError(
                    _("The archive does not match its manifest: table %(table)s.") % {"table": expected["table"]}
                )
        if files != manifest["files"]:
            raise BackupError(_("The archive does not match its manifest: its files differ from the list."))
        return manifest
    finally:
        raw.close()
