"""Database triggers that keep a frozen agreement's text as it was frozen.

From *negotiated* on (any status outside ``Agreement.OPEN_STATUSES``) the database itself refuses
a change to the text, whatever path it comes by: a service, a view, the admin, a queryset
``update()`` or ``delete()``, raw SQL. Two kinds of trigger, generated from the models:

- on every table of the text (``TEXT_MODELS``: parties, sections and their versions, goals with
  their measures, indicators and the goal/measure many-to-many tables, forums and seats, annexes)
  a BEFORE row trigger refuses INSERT, UPDATE and DELETE when the agreement the row belongs to (its
  foreign keys followed as the audit log follows them) is frozen. Setting a user column to NULL
  (``on_delete=SET_NULL`` when a user is deleted) is not a change to the text and is let through;
- on the agreement itself, once frozen, a change to its terms (``FROZEN_TERMS``: title, kind,
  language, county, themes, validity, entry rule, notice period, review date, edition and series),
  moving it back to an open status, deleting it, and changing ``text_sha256`` once it is set are
  refused. The status and the workflow's own dates and marks (deadline, signed, in force, ended,
  termination) still change.

Comments, the timeline, decisions and signatures are not the text and stay writable.

The refusal is an ``IntegrityError`` whose message names the agreement's status and the table.

**SQLite** (the development default) refuses INSERT and UPDATE alike but not DELETE: Django's
``flush`` (run after each transactional test and by ``manage.py flush``) empties the tables with
DELETE in no fixed order, so a refused delete of a frozen agreement's section would stop it. The
services refuse those deletes there (``permissions.can_edit_agreement``) and the admin offers
none; PostgreSQL, which production and CI run, refuses them in the database too (its ``flush`` is
a TRUNCATE, which row triggers do not see). A dump restored with ``pg_restore`` loads its rows
before it creates the triggers, which come in the dump's post-data section.

``install()`` drops and recreates every trigger; it runs after each ``migrate``.
"""

from django.apps import apps
from django.conf import settings
from django.db import connections, models

from agreements.models import Agreement
from audit.triggers import Audited, _agreement_expression, _agreement_path

FROZEN_TERMS = (*Agreement.TERMS, "edition", "series", "previous_edition")
TEXT_MODELS = (
    "Party",
    "Section",
    "SectionVersion",
    "Goal",
    "Measure",
    "Indicator",
    "Forum",
    "ForumSeat",
    "Annex",
)
TEXT_M2M = (("Goal", "responsible_parties"), ("Measure", "co_parties"))
# Columns of the text's tables that are not the text and may change after freezing, by model
# (besides every foreign key to a user, which a user's deletion sets to NULL). A column added to one
# of these tables is frozen with the text unless it is named here.
NOT_TEXT: dict[str, frozenset[str]] = {}
PREFIX = "agreement_frozen"


def _open_list() -> str:
    return ", ".join(f"'{s}'" for s in sorted(Agreement.OPEN_STATUSES))


def text_tables() -> list[tuple[Audited, tuple[str, ...]]]:
    """Each table of the text, with how to reach its agreement and the columns that are its text:
    the agreement's own, and every kind's tables of structured terms (``kinds.AgreementKind.text_models``)."""
    from agreements import kinds

    models_ = [apps.get_model("agreements", name) for name in TEXT_MODELS]
    models_ += [apps.get_model("agreements", m)._meta.get_field(f).remote_field.through for m, f in TEXT_M2M]
    models_ += [apps.get_model(label) for kind in kinds.all_kinds() for label in kind.text_models]
    result = []
    for model in models_:
        free = NOT_TEXT.get(model._meta.object_name, frozenset())
        columns = tuple(
            f.column
            for f in model._meta.local_concrete_fields
            if f.name not in free
            and not (isinstance(f, models.ForeignKey) and f.related_model._meta.label == settings.AUTH_USER_MODEL)
        )
        audited = Audited(
            model=model,
            table=model._meta.db_table,
            pk=model._meta.pk.column,
            columns=columns,
            to_agreement=_agreement_path(model),
        )
        result.append((audited, columns))
    return result


def _term_columns() -> list[str]:
    agreement = apps.get_model("agreements", "Agreement")
    return [agreement._meta.get_field(name).column for name in FROZEN_TERMS]


# --- PostgreSQL ---------------------------------------------------------------------------------

POSTGRES_SETUP = f"""
-- Arguments: the query that finds the agreement from a row ($1, as jsonb), the columns that are
-- not the text (comma-separated).
CREATE OR REPLACE FUNCTION {PREFIX}_text() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    not_text text[] := string_to_array(TG_ARGV[1], ',');
    the_row jsonb;
    agreement bigint;
    frozen text;
BEGIN
    IF TG_OP = 'UPDATE' AND (old_row - not_text) = (new_row - not_text) THEN
        RETURN NEW;
    END IF;
    FOREACH the_row IN ARRAY array_remove(ARRAY[old_row, new_row], NULL) LOOP
        EXECUTE TG_ARGV[0] INTO agreement USING the_row;
        -- Locked as the services (and the audit trigger after this one) lock it, so a write cannot
        -- pass this check while the text is being frozen and land after the hash was taken.
        SELECT status INTO frozen FROM agreements_agreement WHERE id = agreement FOR UPDATE;
        IF frozen NOT IN ({_open_list()}) THEN
            RAISE EXCEPTION 'The text of agreement % is frozen (status %): % on % refused',
                agreement, frozen, TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END LOOP;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

-- Argument: the agreement's columns that are its terms (comma-separated).
CREATE OR REPLACE FUNCTION {PREFIX}_terms() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    terms text[] := string_to_array(TG_ARGV[0], ',');
BEGIN
    IF OLD.status IN ({_open_list()}) AND (TG_OP = 'DELETE' OR OLD.text_sha256 = '') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Agreement % is frozen (status %): it cannot be deleted', OLD.id, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.text_sha256 <> '' AND NEW.text_sha256 IS DISTINCT FROM OLD.text_sha256 THEN
        RAISE EXCEPTION 'Agreement %: the SHA-256 of its frozen text cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status NOT IN ({_open_list()}) THEN
        IF NEW.status IN ({_open_list()}) THEN
            RAISE EXCEPTION 'Agreement % is frozen (status %): its text cannot be opened again', OLD.id, OLD.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM unnest(terms) AS c WHERE to_jsonb(OLD) -> c IS DISTINCT FROM to_jsonb(NEW) -> c) THEN
            RAISE EXCEPTION 'Agreement % is frozen (status %): its terms cannot change', OLD.id, OLD.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$;
"""


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _postgres_statements(tables: list[tuple[Audited, tuple[str, ...]]], with_agreement: bool) -> list[str]:
    result = [POSTGRES_SETUP]
    for audited, columns in tables:
        query = "SELECT " + _agreement_expression(audited, lambda name: f"($1 ->> '{name}')::bigint")
        not_text = ",".join(sorted({f.column for f in audited.model._meta.local_concrete_fields} - set(columns)))
        result.append(
            f'DROP TRIGGER IF EXISTS {PREFIX} ON "{audited.table}";\n'
            f'CREATE TRIGGER {PREFIX} BEFORE INSERT OR UPDATE OR DELETE ON "{audited.table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {PREFIX}_text({_quote(query)}, {_quote(not_text)});"
        )
    if with_agreement:
        result.append(
            f"DROP TRIGGER IF EXISTS {PREFIX} ON agreements_agreement;\n"
            f"CREATE TRIGGER {PREFIX} BEFORE UPDATE OR DELETE ON agreements_agreement "
            f"FOR EACH ROW EXECUTE FUNCTION {PREFIX}_terms({_quote(','.join(_term_columns()))});"
        )
    return result


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_frozen(audited: Audited, row: str) -> str:
    expression = _agreement_expression(audited, lambda name: f'{row}."{name}"')
    return f"(SELECT status FROM agreements_agreement WHERE id = {expression}) NOT IN ({_open_list()})"


def _sqlite_statements(tables: list[tuple[Audited, tuple[str, ...]]], with_agreement: bool) -> list[str]:
    result = []
    for audited, columns in tables:
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)
        conditions = {
            "INSERT": _sqlite_frozen(audited, "NEW"),
            "UPDATE": f"({changed}) AND ({_sqlite_frozen(audited, 'OLD')} OR {_sqlite_frozen(audited, 'NEW')})",
        }
        for operation, condition in conditions.items():
            name = f"{PREFIX}_{audited.table}_{operation.lower()}"
            message = f"The text of the agreement is frozen: {operation} on {audited.table} refused"
            result += [
                f'DROP TRIGGER IF EXISTS "{name}"',
                f'CREATE TRIGGER "{name}" BEFORE {operation} ON "{audited.table}" WHEN {condition} '
                f"BEGIN SELECT RAISE(ABORT, {_quote(message)}); END",
            ]
    if with_agreement:
        open_list = _open_list()
        terms = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in _term_columns())
        refusals = {
            "hash": (
                "OLD.text_sha256 <> '' AND NEW.text_sha256 IS NOT OLD.text_sha256",
                "the SHA-256 of its frozen text cannot change",
            ),
            "terms": (
                f"OLD.status NOT IN ({open_list}) AND (NEW.status IN ({open_list}) OR {terms})",
                "its terms cannot change and its text cannot be opened again",
            ),
        }
        for key, (condition, why) in refusals.items():
            name = f"{PREFIX}_agreement_{key}"
            result += [
                f'DROP TRIGGER IF EXISTS "{name}"',
                f'CREATE TRIGGER "{name}" BEFORE UPDATE ON agreements_agreement WHEN {condition} '
                f"BEGIN SELECT RAISE(ABORT, {_quote('The agreement is frozen: ' + why)}); END",
            ]
    return result


# --- Installing ---------------------------------------------------------------------------------


def statements(vendor: str, existing: set[str] | None = None) -> list[str]:
    """Every statement that (re)creates the triggers; only for the tables in ``existing`` when given."""
    tables = [(a, c) for a, c in text_tables() if existing is None or a.table in existing]
    with_agreement = existing is None or "agreements_agreement" in existing
    if vendor == "postgresql":
        return _postgres_statements(tables, with_agreement)
    if vendor == "sqlite":
        return _sqlite_statements(tables, with_agreement)
    raise NotImplementedError(f"Frozen agreements have no triggers for the {vendor} database.")


def install(using: str = "default") -> None:
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if "agreements_agreement" not in existing:
        return
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, existing):
            cursor.execute(sql)


def install_after_migrate(sender, using="default", **kwargs) -> None:
    install(using)
