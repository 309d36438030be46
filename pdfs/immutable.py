"""The database keeps a stored final PDF as it was sealed.

Once a final rendition is done (its sealed bytes, SHA-256 and seal stored), a BEFORE trigger on
``pdfs_rendition`` refuses any UPDATE of its row and any DELETE of it, whatever path it comes by (a
view, the admin, a task, a queryset ``update()``, raw SQL); the refusal is an ``IntegrityError``.
Renditions for reading and unfinished final ones stay writable: the job writes its progress.

As with frozen agreements (``agreements.frozen``), **SQLite** refuses the UPDATE but not the
DELETE, so that Django's ``flush`` can empty the table there; PostgreSQL refuses both (its ``flush``
is a TRUNCATE, which row triggers do not see). ``install()`` runs after each ``migrate``.
"""

from django.db import connections

TABLE = "pdfs_rendition"
NAME = "pdfs_final_immutable"
SEALED = "OLD.purpose = 'final' AND OLD.status = 'done'"
MESSAGE = "The sealed PDF of a signed agreement cannot be changed or deleted"

POSTGRES = f"""
CREATE OR REPLACE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {SEALED} THEN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
DROP TRIGGER IF EXISTS {NAME} ON {TABLE};
CREATE TRIGGER {NAME} BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {NAME}();
"""

SQLITE = (
    f'DROP TRIGGER IF EXISTS "{NAME}"',
    f'CREATE TRIGGER "{NAME}" BEFORE UPDATE ON {TABLE} WHEN {SEALED} '
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END",
)


def install(using: str = "default") -> None:
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES)
        elif connection.vendor == "sqlite":
            for sql in SQLITE:
                cursor.execute(sql)
        else:  # pragma: no cover
            raise NotImplementedError(f"Sealed PDFs have no trigger for the {connection.vendor} database.")


def install_after_migrate(sender, using="default", **kwargs) -> None:
    install(using)
