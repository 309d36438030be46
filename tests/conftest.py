import itertools
import os
import subprocess
import sys
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from regions.models import EmploymentArea, Municipality, Organisation, WellbeingCounty
from regions.services import areas_load
from tests.services import IN_CI, require
from users.models import Role, User
from users.services import organisation_role_grant

SERVICE_MARKERS = ("postgres", "redis", "browser", "pdftools")


def worker_index() -> int:
    """0 for a serial run or pytest-xdist's first worker (gw0), 1 for gw1, and so on."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def own_cache_database() -> None:
    """Each xdist worker caches in a Redis database of its own, the ones below CACHE_URL's.

    Tests empty the cache (and migrate and restore do too), which must not empty another worker's
    entries in the middle of its test. The workers' databases are already their own (pytest-django
    names them test_<name>_gw<N>).
    """
    index = worker_index()
    if not settings.CACHE_URL or index == 0:
        return
    url = urlparse(settings.CACHE_URL)
    database = int(url.path.strip("/") or 0) - index
    if database < 0:
        raise pytest.UsageError(f"CACHE_URL={settings.CACHE_URL}: no Redis database left for worker {index}")
    caches = {"default": {**settings.CACHES["default"], "LOCATION": url._replace(path=f"/{database}").geturl()}}
    # override_settings sends setting_changed, on which Django rebuilds its cache connections.
    override_settings(CACHES=caches).enable()


def pytest_configure(config):
    config.pluginmanager.register(CeleryTestsTogether())
    own_cache_database()
    if IN_CI:
        from django.db import connection

        if connection.vendor != "postgresql":
            raise pytest.UsageError("CI=true: the suite runs on PostgreSQL; set DATABASE_URL=postgres://…")
    if settings.CACHE_URL:
        try:
            cache.clear()
        except Exception as error:
            raise pytest.UsageError(
                f"CACHE_URL={settings.CACHE_URL} does not answer ({error}); start it or unset it"
            ) from error


class CeleryTestsTogether:
    """Celery workers on the one broker answer any test's ping and take any test's task: every test
    with a real worker runs in the same xdist worker, one at a time (pytest --dist loadgroup)."""

    @pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
    def pytest_collection_modifyitems(self, items):
        for item in items:
            if item.get_closest_marker("redis"):
                item.add_marker(pytest.mark.xdist_group("celery"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Browser tests commit data (live server) and flush it afterwards: run them last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_runtest_setup(item):
    for marker in SERVICE_MARKERS:
        if item.get_closest_marker(marker):
            require(marker)


@pytest.fixture(autouse=True)
def english():
    """Messages from services and commands are asserted in English; pages follow each request's language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Rendered page parts are keyed by audit entry ids, which a rolled-back test hands out again."""
    cache.clear()


@pytest.fixture(autouse=True)
def tasks_run_in_the_test(request):
    """Tasks queued by a test (the mails of a notice) run in the test's process, as without Redis,
    even when REDIS_URL is set; only the tests with a real worker (``redis``) send them through it."""
    if request.node.get_closest_marker("redis"):
        yield
        return
    from yhdyspinta.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


_TEST_NUMBER = itertools.count()


@pytest.fixture(autouse=True)
def no_seal_unless_asked(settings, tmp_path_factory):
    """No seal certificate, whatever a developer's var/ holds: a final PDF fails at once, before it
    is rendered. The PDF tests that seal take ``seal_certificate`` (tests/pdfs)."""
    where = tmp_path_factory.getbasetemp() / "no-seal" / str(next(_TEST_NUMBER))  # demo may write one there
    settings.SEAL_CERTIFICATE = where / "certificate.pem"
    settings.SEAL_KEY = where / "key.pem"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas log in with real passwords; a fast hasher keeps a test from spending a second on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real area data, loaded once into the test database; each test's changes roll back."""
    with django_db_blocker.unblock():
        areas_load()


@pytest.fixture
def areas(db):
    """The shipped area data (loaded again after a transactional test flushed it)."""
    if not Municipality.objects.exists():
        areas_load()


def make_user(username: str, organisation: Organisation | None = None, role: Role = Role.OFFICIAL) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery staple")
    if organisation is not None:
        organisation_role_grant(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def alice(areas) -> User:
    """Alice is an official of Tampere (Pirkanmaa)."""
    return make_user("alice", Municipality.objects.get(code="837"))


@pytest.fixture
def bob(areas) -> User:
    """Bob is an official of Nokia, another municipality of Pirkanmaa."""
    return make_user("bob", Municipality.objects.get(code="536"))


@pytest.fixture
def carol(areas) -> User:
    """Carol coordinates Pirkanmaa wellbeing services county."""
    return make_user("carol", WellbeingCounty.objects.get(code="08"), Role.COORDINATOR)


@pytest.fixture
def dave(areas) -> User:
    """Dave is an official of Helsinki, in another county."""
    return make_user("dave", Municipality.objects.get(code="091"))


@pytest.fixture
def erin(areas) -> User:
    """Erin is an official of the Tampereen seutu employment authority."""
    return make_user("erin", EmploymentArea.objects.get(code="39"))


@pytest.fixture
def sam(areas) -> User:
    """Sam signs for Tampere but has no other role."""
    return make_user("sam", Municipality.objects.get(code="837"), Role.SIGNATORY)


@pytest.fixture
def olga(areas) -> User:
    """Olga is Tampere's organisation admin."""
    return make_user("olga", Municipality.objects.get(code="837"), Role.ADMIN)


@pytest.fixture
def admin_user(areas) -> User:
    """The portal admin: a Django superuser with no organisation."""
    return User.objects.create_superuser(username="root", password="correct horse battery staple")


@pytest.fixture
def demo(areas, settings):
    """The demo users and agreement as `manage.py demo` makes them; the command runs only with DEBUG on."""
    settings.DEBUG = True
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False


def worker_start(*options: str) -> subprocess.Popen:
    """A real Celery worker process on the configured Redis (``options``: its pool and the like)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yhdyspinta.settings"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "yhdyspinta",
            "worker",
            *(options or ("--pool", "solo")),
            "--loglevel",
            "WARNING",
            "--hostname",
            f"test-{os.getpid()}-{next(_TEST_NUMBER)}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def worker_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def worker():
    """A real Celery worker process on the configured Redis, stopped after the test."""
    process = worker_start()
    yield process
    worker_stop(process)


@pytest.fixture
def worker_on_test_database(transactional_db, areas, monkeypatch):
    """Worker processes started in the test read the test database, which its data is committed to."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    monkeypatch.setenv(
        "DATABASE_URL", f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def through_the_broker(settings):
    """Tasks sent by the test go through Redis to a worker, not run in the test's process."""
    from yhdyspinta.celery import app

    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def worker_running(app, process: subprocess.Popen, seconds: float = 30) -> None:
    """Waits until the worker started as ``process`` answers a ping."""
    import time

    deadline = time.monotonic() + seconds
    while not app.control.ping(timeout=0.5):
        assert process.poll() is None, process.stdout.read().decode()
        assert time.monotonic() < deadline, "the worker did not start"
