"""The database triggers that write the audit log, generated from the models.

Every table of the audited apps gets an AFTER INSERT/UPDATE/DELETE row trigger that appends an
entry: the operation, the table, the row's key, the agreement it belongs to (found by following
foreign keys to ``Agreement``) and the changed columns as ``{column: [old, new]}``. Because the
database writes the entry, queryset ``update()`` and ``delete()``, raw SQL and the admin are all
recorded alike. ``audit_entry`` itself refuses UPDATE, DELETE and TRUNCATE.

``install()`` drops and recreates every trigger; it runs after each ``migrate``.
"""

from collections import deque
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, models

from audit.context import SETTING, SQLITE_FUNCTION

AUDITED_APPS = {"auth", "guardian", "users", "regions", "agreements", "tym", "otp_totp"}
NOT_AUDITED = {
    "auth.permission",  # Django's permission catalogue: written by migrate, not by people
    # The portal's notices to users, one per user and move: written by the workflow's listener and
    # the mail task, never by a person; the move that caused them is in the log. Audited, each
    # would stand in the agreement's log and each sent mail would give its pages a new cache key.
    "agreements.notification",
}
# Secrets and texts: the entry says the column changed, not what it holds. A text's change is
# referenced by the version number recorded beside it.
REDACTED = {
    "users.user": {"password"},
    "agreements.section": {"text"},
    "agreements.sectionversion": {"text"},
    "otp_totp.totpdevice": {"key"},
}
# Bookkeeping that changes on every login or code check; logins are recorded as events of their own.
IGNORED = {
    "users.user": {"last_login"},
    "otp_totp.totpdevice": {
        "last_t",
        "drift",
        "throttling_failure_timestamp",
        "throttling_failure_count",
        "last_used_at",
    },
}
REDACTED_MARK = "[redacted]"
AGREEMENT_TABLE = "agreements_agreement"
PERMISSION_TABLES = {
    "auth_group",
    "auth_group_permissions",
    "users_user_groups",
    "users_user_user_permissions",
    "users_organisationrole",
    "users_rolegroup",
    "guardian_userobjectpermission",
    "guardian_groupobjectpermission",
    "agreements_agreementuserobjectpermission",
    "agreements_agreementgroupobjectpermission",
    "regions_organisationuserobjectpermission",
    "regions_organisationgroupobjectpermission",
}


@dataclass(frozen=True)
class Audited:
    model: type[models.Model]
    table: str
    pk: str
    columns: tuple[str, ...]
    redacted: frozenset[str] = field(default_factory=frozenset)
    # Foreign-key hops from this table to the agreement: ((column, target table, target column), …)
    to_agreement: tuple[tuple[str, str, str], ...] | None = None


def _agreement_path(model: type[models.Model]) -> tuple[tuple[str, str, str], ...] | None:
    """The shortest chain of foreign keys from ``model`` to ``Agreement``, or None."""
    agreement = apps.get_model("agreements", "Agreement")
    if model is agreement:
        return ()
    queue = deque([(model, ())])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        for f in current._meta.local_concrete_fields:
            if not isinstance(f, models.ForeignKey):
                continue
            target = f.related_model
            hop = (f.column, target._meta.db_table, target._meta.pk.column)
            if target is agreement:
                return (*path, (f.column, "", ""))
            if target not in seen and target._meta.app_label == "agreements" and len(path) < 3:
                seen.add(target)
                queue.append((target, (*path, hop)))
    return None


def audited_tables() -> list[Audited]:
    result = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label not in AUDITED_APPS or label in NOT_AUDITED:
            continue
        if not model._meta.managed or model._meta.proxy:
            continue
        columns = tuple(f.column for f in model._meta.local_concrete_fields if f.name not in IGNORED.get(label, set()))
        redacted = frozenset(model._meta.get_field(name).column for name in REDACTED.get(label, ()))
        result.append(
            Audited(
                model=model,
                table=model._meta.db_table,
                pk=model._meta.pk.column,
                columns=columns,
                redacted=redacted,
                to_agreement=_agreement_path(model),
            )
        )
    return sorted(result, key=lambda a: a.table)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# --- PostgreSQL ---------------------------------------------------------------------------------

POSTGRES_SETUP = f"""
CREATE OR REPLACE FUNCTION audit_entry_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse();
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry;
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse();

-- Arguments: the key column, the query that finds the agreement from the row ($1, as jsonb) or '',
-- the redacted columns and the ignored columns (comma-separated).
CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    the_row jsonb := coalesce(new_row, old_row);
    redacted text[] := string_to_array(TG_ARGV[2], ',');
    ignored text[] := string_to_array(TG_ARGV[3], ',');
    ctx jsonb := nullif(current_setting('{SETTING}', true), '')::jsonb;
    diff jsonb;
    agreement bigint;
BEGIN
    SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(
               CASE WHEN k = ANY(redacted) AND coalesce(old_row -> k, 'null') <> 'null'
                    THEN to_jsonb('{REDACTED_MARK}'::text) ELSE old_row -> k END,
               CASE WHEN k = ANY(redacted) AND coalesce(new_row -> k, 'null') <> 'null'
                    THEN to_jsonb('{REDACTED_MARK}'::text) ELSE new_row -> k END)), '{{}}')
      INTO diff
      FROM jsonb_object_keys(the_row) AS k
     WHERE NOT k = ANY(ignored)
       AND coalesce(old_row -> k, 'null') IS DISTINCT FROM coalesce(new_row -> k, 'null');
    IF diff = '{{}}' THEN
        RETURN NULL;
    END IF;
    IF TG_ARGV[1] <> '' THEN
        EXECUTE TG_ARGV[1] INTO agreement USING the_row;
        -- Writers to one agreement take its row lock before their entry gets an id, as the services
        -- do anyway, so an agreement's entries become visible in id order and its newest entry
        -- names its state (Agreement.objects.with_change_stamp keys the page cache by it).
        IF agreement IS NOT NULL AND TG_TABLE_NAME <> '{AGREEMENT_TABLE}' THEN
            PERFORM 1 FROM {AGREEMENT_TABLE} WHERE id = agreement FOR UPDATE;
        END IF;
    END IF;
    INSERT INTO audit_entry (at, action, table_name, object_id, agreement_id, changes, actor_id, actor, ip, source)
    VALUES (clock_timestamp(), lower(TG_OP), TG_TABLE_NAME, coalesce(the_row ->> TG_ARGV[0], ''), agreement, diff,
            (ctx ->> 'actor_id')::bigint, coalesce(ctx ->> 'actor', ''), coalesce(ctx ->> 'ip', ''),
            coalesce(ctx ->> 'source', ''));
    RETURN NULL;
END $$;
"""


def _agreement_expression(audited: Audited, column) -> str | None:
    """SQL for the agreement's id, following the foreign keys from the row; ``column(name)`` is how
    the dialect reads one of the row's own columns. None when the table belongs to no agreement."""
    if audited.to_agreement is None:
        return None
    if audited.to_agreement == ():
        return column(audited.pk)
    hops = audited.to_agreement
    expression = column(hops[0][0])
    for (_column, table, key), (next_column, _t, _k) in zip(hops, hops[1:], strict=False):
        expression = f'(SELECT "{next_column}" FROM "{table}" WHERE "{key}" = {expression})'
    return expression


def _postgres_agreement_query(audited: Audited) -> str:
    expression = _agreement_expression(audited, lambda name: f"($1 ->> '{name}')::bigint")
    return "" if expression is None else f"SELECT {expression}"


def _postgres_trigger(audited: Audited) -> str:
    ignored = {f.column for f in audited.model._meta.local_concrete_fields} - set(audited.columns)
    arguments = ", ".join(
        _quote(a)
        for a in (
            audited.pk,
            _postgres_agreement_query(audited),
            ",".join(sorted(audited.redacted)),
            ",".join(sorted(ignored)),
        )
    )
    return (
        f'DROP TRIGGER IF EXISTS audit_row ON "{audited.table}";\n'
        f'CREATE TRIGGER audit_row AFTER INSERT OR UPDATE OR DELETE ON "{audited.table}" '
        f"FOR EACH ROW EXECUTE FUNCTION audit_row({arguments});"
    )


# --- SQLite -------------------------------------------------------------------------------------

SQLITE_SETUP = [
    statement
    for operation in ("UPDATE", "DELETE")
    for statement in (
        f"DROP TRIGGER IF EXISTS audit_entry_no_{operation.lower()}",
        f"CREATE TRIGGER audit_entry_no_{operation.lower()} BEFORE {operation} ON audit_entry "
        f"BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: {operation} refused'); END",
    )
]


def _sqlite_agreement_expression(audited: Audited, row: str) -> str:
    return _agreement_expression(audited, lambda name: f'{row}."{name}"') or "NULL"


def _sqlite_trigger(audited: Audited, operation: str) -> list[str]:
    name = f"audit_row_{audited.table}_{operation.lower()}"
    row = "OLD" if operation == "DELETE" else "NEW"

    def pairs(side: str | None) -> str:
        return ", ".join(f"'{c}', {side + '.' + chr(34) + c + chr(34) if side else 'NULL'}" for c in audited.columns)

    def value(side: str) -> str:
        if not audited.redacted:
            return f"{side}.value"
        names = ", ".join(_quote(c) for c in sorted(audited.redacted))
        return f"CASE WHEN n.key IN ({names}) AND {side}.value IS NOT NULL THEN '{REDACTED_MARK}' ELSE {side}.value END"

    old_pairs = pairs(None if operation == "INSERT" else "OLD")
    new_pairs = pairs(None if operation == "DELETE" else "NEW")
    return [
        f'DROP TRIGGER IF EXISTS "{name}"',
        f"""CREATE TRIGGER "{name}" AFTER {operation} ON "{audited.table}"
BEGIN
    INSERT INTO audit_entry (at, action, table_name, object_id, agreement_id, changes, actor_id, actor, ip, source)
    SELECT strftime('%Y-%m-%d %H:%M:%f', 'now'), '{operation.lower()}', '{audited.table}',
           coalesce({row}."{audited.pk}", ''), {_sqlite_agreement_expression(audited, row)}, d.diff,
           json_extract(c.ctx, '$.actor_id'), coalesce(json_extract(c.ctx, '$.actor'), ''),
           coalesce(json_extract(c.ctx, '$.ip'), ''), coalesce(json_extract(c.ctx, '$.source'), '')
      FROM (SELECT {SQLITE_FUNCTION}() AS ctx) AS c,
           (SELECT coalesce(json_group_object(n.key, json_array({value("o")}, {value("n")})), '{{}}') AS diff
              FROM json_each(json_object({new_pairs})) AS n
              JOIN json_each(json_object({old_pairs})) AS o ON o.key = n.key
             WHERE o.value IS NOT n.value) AS d
     WHERE d.diff <> '{{}}';
END""",
    ]


# --- Installing ---------------------------------------------------------------------------------


def statements(vendor: str, existing: set[str] | None = None) -> list[str]:
    """Every statement that (re)creates the triggers, one statement per item; only for the tables
    in ``existing`` when given (a partial ``migrate`` may not have created them all yet)."""
    tables = [a for a in audited_tables() if existing is None or a.table in existing]
    if vendor == "postgresql":
        return [POSTGRES_SETUP, *(_postgres_trigger(a) for a in tables)]
    if vendor == "sqlite":
        return [
            *SQLITE_SETUP,
            *(s for a in tables for op in ("INSERT", "UPDATE", "DELETE") for s in _sqlite_trigger(a, op)),
        ]
    raise NotImplementedError(f"The audit log has no triggers for the {vendor} database.")


def install(using: str = "default") -> int:
    """(Re)create every audit trigger; returns how many tables are audited."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if "audit_entry" not in existing:
        return 0
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, existing):
            cursor.execute(sql)
    return len([a for a in audited_tables() if a.table in existing])


def uninstall(schema_editor) -> None:
    """Remove every audit trigger and function (the audit app's migration, reversed)."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_row() CASCADE")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_entry_refuse() CASCADE")
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\'")
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def install_after_migrate(sender, using="default", **kwargs) -> None:
    install(using)
