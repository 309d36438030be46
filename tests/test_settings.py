"""Production settings fail loudly on a missing secret or a malformed value."""

import os
import subprocess
import sys

from django.conf import settings


def start_django(**environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "yhdyspinta.settings"},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start_django(DEBUG="false", ALLOWED_HOSTS="example.fi")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start_django(DEBUG="false", SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_a_malformed_value_names_the_variable():
    result = start_django(DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_production_starts_with_its_secrets():
    result = start_django(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.fi")

    assert result.returncode == 0, result.stderr


def database_connection_settings(**environment) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.pop("DATABASE_CONN_MAX_AGE", None)
    env.update(environment)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "yhdyspinta.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_keeps_database_connections_for_a_minute_and_checks_them_before_reuse():
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.fi"}

    assert database_connection_settings(**production) == "60 True"
    assert database_connection_settings(**production, DATABASE_CONN_MAX_AGE="0") == "0 True"
    # The development server runs a thread per request, which would leave each kept connection behind.
    assert database_connection_settings(DEBUG="true") == "0 True"
