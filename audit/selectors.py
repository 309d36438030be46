"""Reading the audit log: filtering, and turning rows into something a person can read."""

import datetime
import decimal
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEntry
from audit.triggers import PERMISSION_TABLES, REDACTED_MARK, audited_tables
from yhdyspinta.numbers import format_decimal

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


# --- Names for people ----------------------------------------------------------------------------

# Tables of other packages whose names are not translated, or are generated ("user-group relationship").
TABLE_NAMES = {
    "users_user_groups": gettext_lazy("group membership"),
    "users_user_user_permissions": gettext_lazy("user's permission"),
    "auth_group_permissions": gettext_lazy("group's permission"),
    "guardian_userobjectpermission": gettext_lazy("user's permission on an object"),
    "guardian_groupobjectpermission": gettext_lazy("group's permission on an object"),
}
# Columns whose own names are untranslated (other packages' fields, Django's generated names).
# A foreign key not named here is called by the model it refers to ("group", "permission", …).
COLUMN_NAMES = {
    "object_pk": gettext_lazy("object"),
    "name": gettext_lazy("name"),
    "confirmed": gettext_lazy("in use"),
    "created_at": gettext_lazy("created at"),
    "last_used_at": gettext_lazy("last used"),
    "key": gettext_lazy("key"),
    "step": gettext_lazy("code interval in seconds"),
    "t0": gettext_lazy("start time"),
    "digits": gettext_lazy("digits"),
    "tolerance": gettext_lazy("tolerance"),
}
PERMISSION_ACTIONS = {
    "view": gettext_lazy("Permission to view: %(model)s"),
    "add": gettext_lazy("Permission to add: %(model)s"),
    "change": gettext_lazy("Permission to change: %(model)s"),
    "delete": gettext_lazy("Permission to delete: %(model)s"),
}
# Values that are lists of codes: the labels of those codes.
LIST_CHOICES = {("agreements_agreement", "themes"): "agreements.models.Theme"}


def _through_owner(model: type[models.Model]) -> tuple[type[models.Model], models.Field] | None:
    """The model and many-to-many field an automatically created table belongs to."""
    owner = model._meta.auto_created
    if not owner:
        return None
    for f in owner._meta.many_to_many:
        if f.remote_field.through is model:
            return owner, f
    return None


def _model_name(table: str, model: type[models.Model]):
    if table in TABLE_NAMES:
        return TABLE_NAMES[table]
    through = _through_owner(model)
    if through is not None:
        owner, f = through
        return _("%(model)s: %(field)s") % {"model": owner._meta.verbose_name, "field": f.verbose_name}
    return model._meta.verbose_name


def _column_name(f: models.Field):
    """The field's translated name; Django's generated names (plain strings) are replaced."""
    if not isinstance(f.verbose_name, str) and f.model._meta.app_label in {"agreements", "regions", "users", "tym"}:
        return f.verbose_name
    if f.name in COLUMN_NAMES:
        return COLUMN_NAMES[f.name]
    if f.is_relation and f.related_model is not None:
        return f.related_model._meta.verbose_name
    return f.verbose_name


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    fields: dict[str, models.Field]  # by column


@cache
def _tables() -> dict[str, Table]:
    """Each audited table's model and its fields by column (names are read per request, translated)."""
    return {
        audited.table: Table(audited.model, {f.column: f for f in audited.model._meta.local_concrete_fields})
        for audited in audited_tables()
    }


def table_choices() -> list[tuple[str, str]]:
    names = sorted(
        ((table, str(capfirst(_model_name(table, t.model)))) for table, t in _tables().items()), key=lambda c: c[1]
    )
    return [("permissions", _("Permissions and roles (all)")), *names]


# How to name a row of a model without a query of its own: what to fetch along, and the name.
@dataclass(frozen=True)
class Naming:
    related: tuple[str, ...] | None = None  # None: every foreign key, one step
    name: Callable[[models.Model], str] = str


def _permission_name(permission) -> str:
    model = permission.content_type.model_class()
    if model is None:
        return permission.codename
    custom = dict(model._meta.permissions).get(permission.codename)
    if custom:
        return str(custom)
    action = permission.codename.split("_", 1)[0]
    if action in PERMISSION_ACTIONS:
        return PERMISSION_ACTIONS[action] % {"model": model._meta.verbose_name}
    return permission.name


def _group_name(group) -> str:
    role_group = getattr(group, "role_group", None)
    return _role_group_name(role_group) if role_group is not None else group.name


def _role_group_name(role_group) -> str:
    return f"{role_group.organisation.name}: {role_group.get_role_display()}"


def _object_permission_name(permission) -> str:
    holder = getattr(permission, "user", None) or _group_name(permission.group)
    return f"{_permission_name(permission.permission)} – {holder}"


def _membership_name(membership) -> str:
    return f"{membership.municipality.name} – {membership.area.name}"


_GROUP = ("role_group__organisation",)
_OBJECT_PERMISSION_USER = Naming(("permission__content_type", "user"), _object_permission_name)
_OBJECT_PERMISSION_GROUP = Naming(
    ("permission__content_type", "group__role_group__organisation"), _object_permission_name
)
NAMINGS = {
    "auth.permission": Naming(("content_type",), _permission_name),
    "auth.group": Naming(_GROUP, _group_name),
    "users.rolegroup": Naming(("organisation",), _role_group_name),
    "guardian.userobjectpermission": _OBJECT_PERMISSION_USER,
    "guardian.groupobjectpermission": _OBJECT_PERMISSION_GROUP,
    "agreements.agreementuserobjectpermission": _OBJECT_PERMISSION_USER,
    "agreements.agreementgroupobjectpermission": _OBJECT_PERMISSION_GROUP,
    "regions.organisationuserobjectpermission": _OBJECT_PERMISSION_USER,
    "regions.organisationgroupobjectpermission": _OBJECT_PERMISSION_GROUP,
    "regions.countymembership": Naming(("municipality", "county"), _membership_name),
    "regions.employmentareamembership": Naming(("municipality", "employment_area"), _membership_name),
    "regions.regionalcouncilmembership": Naming(("municipality", "regional_council"), _membership_name),
    "regions.organisation": Naming((), lambda o: o.name),
    "regions.municipality": Naming((), lambda o: o.name),
    "regions.wellbeingcounty": Naming((), lambda o: o.name),
    "regions.employmentarea": Naming((), lambda o: o.name),
    "regions.regionalcouncil": Naming((), lambda o: o.name),
    "agreements.sectionversion": Naming(("section",)),
    "agreements.forumseat": Naming(("party",)),
}
# Without a name of its own (Django's "… object (3)"): the kind and number say it.
_NAMELESS = {models.Model.__str__}
# A deleted row is named by what its entry recorded of it.
NAME_COLUMNS = ("title", "name", "official_name", "username", "name_fi", "key", "description")


def _has_name(model: type[models.Model]) -> bool:
    return model.__str__ not in _NAMELESS and _through_owner(model) is None


def _key(value) -> str:
    return str(value)


class _Names:
    """Names of the rows a page of entries refers to, read in one query per model."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.names: dict[type[models.Model], dict[str, str]] = {}

    def want(self, model: type[models.Model] | None, pk) -> None:
        if model is not None and pk not in (None, "") and _has_name(model):
            self.wanted[model].add(_key(pk))

    def load(self) -> None:
        for model, keys in self.wanted.items():
            naming = NAMINGS.get(model._meta.label_lower, Naming())
            pks = []
            for key in keys:
                try:
                    pks.append(model._meta.pk.to_python(key))
                except ValidationError:
                    continue
            rows = model._base_manager.filter(pk__in=pks)
            if naming.related is None:
                rows = rows.select_related(
                    *(f.name for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one)
                )
            elif naming.related:
                rows = rows.select_related(*naming.related)
            self.names[model] = {_key(row.pk): naming.name(row) for row in rows}

    def get(self, model: type[models.Model] | None, pk) -> str | None:
        if model is None or pk in (None, ""):
            return None
        return self.names.get(model, {}).get(_key(pk))


def _text(value) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"


def _value(value, f: models.Field | None, names: _Names, table: str) -> str:
    """A recorded value as the field shows it: a choice's label, a row's name, a local time."""
    if value is None or value == "":
        return "–"
    if value == REDACTED_MARK:
        return _("(not recorded here)")
    if f is None:
        return _text(value)
    if f.is_relation and f.related_model is not None:
        name = names.get(f.related_model, value)
        return _text(name) if name is not None else f"#{value}"
    if f.flatchoices:
        return _text(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "j.n.Y H.i.s")
    elif isinstance(f, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "j.n.Y")
    if isinstance(f, models.DecimalField | models.FloatField) and isinstance(value, int | float | str):
        try:
            number = decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            return _text(value)
        return format_decimal(number)  # 7.500 reads 7,5 and 100.000 reads 100, in the reader's language
    choices = LIST_CHOICES.get((table, f.column))
    if choices and isinstance(value, list):
        labels = dict(import_string(choices).choices)
        return _text(", ".join(str(labels.get(v, v)) for v in value))
    return _text(value)


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
    gone: bool = False  # the object no longer exists
    agreement: str = ""


def _changes(entry: AuditEntry) -> Iterable[tuple[str, list]]:
    for column, values in sorted(entry.changes.items()):
        if isinstance(values, list) and len(values) == 2:
            yield column, values


def describe(entries: Iterable[AuditEntry]) -> list[Row]:
    """The entries as a person reads them: the kind of object and its name, and each field's old → new
    with names for codes and rows. The rows named are read in one query per model on the page."""
    entries = list(entries)
    tables = _tables()
    agreement_model = apps.get_model("agreements", "Agreement")
    names = _Names()
    for entry in entries:
        table = tables.get(entry.table)
        if table is not None:
            names.want(table.model, entry.object_id)
            for column, values in _changes(entry):
                f = table.fields.get(column)
                if f is not None and f.is_relation and f.related_model is not None:
                    for value in values:
                        names.want(f.related_model, value)
        names.want(agreement_model, entry.agreement_id)
    names.load()
    return [_row(entry, tables.get(entry.table), names, agreement_model) for entry in entries]


def _row(entry: AuditEntry, table: Table | None, names: _Names, agreement_model) -> Row:
    agreement = names.get(agreement_model, entry.agreement_id) or ""
    if entry.action == AuditEntry.Action.LOGIN_FAILED:
        return Row(entry, _("Username %(name)s") % {"name": entry.actor}, False, [], agreement=agreement)
    if table is None:
        return Row(entry, entry.table, entry.table in PERMISSION_TABLES, [], agreement=agreement)
    kind = capfirst(_model_name(entry.table, table.model))
    pk_column = table.model._meta.pk.column
    changes = [
        Change(
            str(capfirst(_column_name(f))) if f is not None else column,
            _value(values[0], f, names, entry.table),
            _value(values[1], f, names, entry.table),
        )
        for column, values in _changes(entry)
        if column != pk_column
        for f in [table.fields.get(column)]
    ]
    name = names.get(table.model, entry.object_id)
    gone = False
    if name is None and _has_name(table.model):
        gone = bool(entry.object_id)
        recorded = {column: values[0] if values[0] is not None else values[1] for column, values in _changes(entry)}
        name = next((str(recorded[c]) for c in NAME_COLUMNS if recorded.get(c)), None)
    if name:
        subject = _("%(kind)s “%(name)s”") % {"kind": kind, "name": _text(name)}
    elif entry.object_id:
        subject = f"{kind} #{entry.object_id}"
    else:
        subject = str(kind)
    return Row(
        entry=entry,
        subject=subject,
        is_permission=entry.table in PERMISSION_TABLES,
        changes=changes,
        gone=gone and entry.action != AuditEntry.Action.DELETE,
        agreement=agreement,
    )
