"""Reading the audit log: filtering, and turning rows into something a person can read."""

import datetime
from dataclasses import dataclass
from functools import cache

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.triggers import PERMISSION_TABLES, REDACTED_MARK, audited_tables

VALUE_LENGTH = 200


@dataclass(frozen=True)
class Filters:
    action: str = ""
    table: str = ""
    actor: str = ""
    ip: str = ""
    agreement: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


def entry_list(*, filters: Filters, agreement_id: int | None = None) -> QuerySet[AuditEntry]:
    """Entries, newest first; ``agreement_id`` limits them to one agreement's."""
    entries = AuditEntry.objects.all()
    if agreement_id is not None:
        entries = entries.filter(agreement_id=agreement_id)
    if filters.agreement is not None:
        entries = entries.filter(agreement_id=filters.agreement)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.table == "permissions":
        entries = entries.filter(table__in=PERMISSION_TABLES)
    elif filters.table:
        entries = entries.filter(table=filters.table)
    if filters.actor:
        entries = entries.filter(actor__iexact=filters.actor)
    if filters.ip:
        entries = entries.filter(ip=filters.ip)
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__date__lte=filters.until)
    return entries.order_by("-id")


@cache
def _tables() -> dict[str, tuple[str, dict[str, str]]]:
    """Each audited table's name for people, and its columns' names: lazy, in each reader's language."""
    result = {}
    for audited in audited_tables():
        meta = audited.model._meta
        columns = {f.column: capfirst(f.verbose_name) for f in meta.local_concrete_fields}
        result[audited.table] = (capfirst(meta.verbose_name), columns)
    return result


def table_choices() -> list[tuple[str, str]]:
    names = sorted(((table, name) for table, (name, _columns) in _tables().items()), key=lambda c: str(c[1]))
    return [("permissions", _("Permissions and roles (all)")), *names]


def _value(value) -> str:
    if value is None or value == "":
        return "–"
    if value == REDACTED_MARK:
        return _("(not recorded here)")
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    subject: str
    is_permission: bool
    changes: list[Change]


def describe(entry: AuditEntry) -> Row:
    """The entry as a person reads it: the kind of object, its number, and each field's old → new."""
    name, columns = _tables().get(entry.table, (entry.table, {}))
    subject = f"{name} #{entry.object_id}" if entry.table and entry.object_id else name
    changes = [
        Change(columns.get(column, column), _value(values[0]), _value(values[1]))
        for column, values in sorted(entry.changes.items())
        if isinstance(values, list) and len(values) == 2
    ]
    if entry.action == AuditEntry.Action.LOGIN_FAILED:
        subject = _("Username %(name)s") % {"name": entry.actor}
    return Row(entry=entry, subject=subject, is_permission=entry.table in PERMISSION_TABLES, changes=changes)
