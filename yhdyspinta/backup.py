"""Backups: the database and the uploaded files (media) into one folder, checked on restore.

A backup folder holds ``database.dump`` (PostgreSQL, ``pg_dump`` custom format) or
``database.sqlite3`` (the embedded default), ``media.tar.gz`` and ``manifest.json`` with each
file's SHA-256. ``restore`` checks every checksum before it touches anything, restores the
database in one transaction and swaps the media folder only after the database succeeded.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

from yhdyspinta import fragments

MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, naming the file."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_environment(database: dict) -> dict:
    environment = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            environment[variable] = str(database[key])
    return environment


def _run(arguments: list[str], database: dict) -> None:
    if shutil.which(arguments[0]) is None:
        raise BackupError(f"{arguments[0]} is not installed; install the PostgreSQL client (postgresql-client).")
    result = subprocess.run(arguments, env=_postgres_environment(database), capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{arguments[0]} failed: {result.stderr.strip()}")


def backup_create(*, folder: Path, using: str = "default") -> dict:
    """Write a backup of the database and the media into ``folder`` (new or empty); returns the manifest."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder}: the folder is not empty; give a new one.")
    folder.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    database = connection.settings_dict
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    dump = folder / DUMPS[vendor]
    if vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", database["NAME"]],
            database,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as target:
            connection.connection.backup(target)
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "files": {name: _sha256(folder / name) for name in (dump.name, MEDIA)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _checked_manifest(folder: Path, vendor: str) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except FileNotFoundError as error:
        raise BackupError(f"{path}: missing; is this a backup folder?") from error
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{path}: not a valid manifest ({error}).") from error
    if manifest.get("database") != vendor:
        raise BackupError(f"{path}: a backup of a {manifest.get('database')} database cannot restore into {vendor}.")
    for name in (DUMPS[vendor], MEDIA):
        file = folder / name
        if not file.exists():
            raise BackupError(f"{file}: missing.")
        if files.get(name) != _sha256(file):
            raise BackupError(f"{file}: its checksum does not match the manifest; the file is damaged or altered.")
    return manifest


def _safe_members(archive: tarfile.TarFile, target: Path):
    for member in archive.getmembers():
        resolved = (target / member.name).resolve()
        if not resolved.is_relative_to(target.resolve()) or member.issym() or member.islnk():
            raise BackupError(f"{MEDIA}: refuses the unsafe entry {member.name!r}.")
        yield member


AUDIT_FIELDS = (
    "id",
    "at",
    "action",
    "table",
    "object_id",
    "agreement_id",
    "changes",
    "actor_id",
    "actor",
    "ip",
    "source",
)


def _audit_entries_save(path: Path) -> None:
    """Every audit entry as one JSON line: the log is never rolled back with the data."""
    from audit.models import AuditEntry

    with path.open("w", encoding="utf-8") as f:
        for entry in AuditEntry.objects.order_by("id").values(*AUDIT_FIELDS).iterator(chunk_size=2000):
            f.write(json.dumps({**entry, "at": entry["at"].isoformat()}) + "\n")


def _audit_entries_return(path: Path, using: str) -> int:
    """Put back the entries written after the backup was taken; returns how many."""
    from django.db.models import Max

    from audit.models import AuditEntry

    restored_until = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    batch, returned = [], 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            data = json.loads(line)
            if data["id"] <= restored_until:
                continue
            batch.append(AuditEntry(**{**data, "at": datetime.datetime.fromisoformat(data["at"])}))
            if len(batch) == 1000:
                returned += len(AuditEntry.objects.bulk_create(batch))
                batch = []
    returned += len(AuditEntry.objects.bulk_create(batch))
    connection = connections[using]
    if returned and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('audit_entry', 'id'), (SELECT max(id) FROM audit_entry))"
            )
    return returned


def backup_restore(*, folder: Path, using: str = "default") -> dict:
    """Replace the database and the media with the backup in ``folder``; all checks come first.

    The audit log is not rolled back: entries written since the backup are put back after the
    restore, followed by an entry for the restore itself, and the audit triggers are reinstalled
    as this version of the code defines them.
    """
    from audit import triggers
    from audit.models import AuditEntry
    from audit.services import audit_event_record

    connection = connections[using]
    vendor = connection.vendor
    manifest = _checked_manifest(folder, vendor)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        _audit_entries_save(staging / "audit.jsonl")
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            # The "data" filter (Python 3.11.4+) on top of our own check of every member's path.
            extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(staging, members=_safe_members(archive, staging), **extra)
        database = connection.settings_dict
        connection.close()
        if vendor == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={database['NAME']}",
                    str(folder / DUMPS[vendor]),
                ],
                database,
            )
        else:
            with sqlite3.connect(folder / DUMPS[vendor]) as source, sqlite3.connect(database["NAME"]) as target:
                source.backup(target)
        # The database is restored; now swap the media folder in one rename.
        restored = staging / "media"
        restored.mkdir(exist_ok=True)
        previous = media_root.with_name(media_root.name + ".before-restore")
        shutil.rmtree(previous, ignore_errors=True)
        if media_root.exists():
            media_root.rename(previous)
        restored.rename(media_root)
        shutil.rmtree(previous, ignore_errors=True)
        triggers.install(using)
        returned = _audit_entries_return(staging / "audit.jsonl", using)
        audit_event_record(
            action=AuditEntry.Action.RESTORED,
            changes={
                "backup": [None, str(folder)],
                "taken": [None, manifest["created_at"]],
                "entries_kept": [None, returned],
            },
        )
        # Cached pages are keyed by the newest audit entry, which the returned entries keep as it was.
        fragments.empty()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest
