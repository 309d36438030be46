"""The project's URLs plus views that fail, for tests/test_error_pages.py (as settings.ROOT_URLCONF)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection, transaction
from django.urls import include, path

# Text of a failure that must never reach the visitor: a secret, a file path, SQL.
SECRET = "the-secret-detail-7f3a"


def fails(request):
    raise RuntimeError(f"{SECRET} at /work/main/yhdyspinta/settings.py: SELECT password FROM users_user")


def fails_in_sql(request):
    # In a savepoint, so that PostgreSQL's failed statement does not break the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {SECRET.replace('-', '_')} FROM no_such_table_for_tests")


def refuses(request):
    raise PermissionDenied(SECRET)


def suspicious(request):
    raise SuspiciousOperation(SECRET)


urlpatterns = [
    path("test-errors/500/", fails),
    path("test-errors/500-sql/", fails_in_sql),
    path("test-errors/403/", refuses),
    path("test-errors/400/", suspicious),
    path("", include("yhdyspinta.urls")),
]
