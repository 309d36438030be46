"""The log: each line printed once, by the root logger's one handler, at the level LOG_LEVEL sets.

Django's default configuration gave its "django" logger a console handler of its own while DEBUG
is on, so every django.* line (a 404, the autoreloader at start) was printed twice. A fresh
process with the real settings logs a line of each kind, and its output is counted.
"""

import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import logging, django
django.setup()
logging.getLogger("django.request").warning("Not Found: /probe-7c1a/")
logging.getLogger("django.utils.autoreload").info("Watching for probe-7c1a")
logging.getLogger("agreements").warning("our own probe-7c1a")
"""


def start(**env: str) -> str:
    """What a new process printing one line of each kind writes on start, with ``env`` set."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "yhdyspinta.settings", "DEBUG": "true", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout + result.stderr


def test_every_line_is_printed_once_while_debugging():
    output = start()

    assert output.count("Not Found: /probe-7c1a/") == 1
    assert output.count("Watching for probe-7c1a") == 1
    assert output.count("our own probe-7c1a") == 1


def test_every_line_is_printed_once_in_production():
    output = start(DEBUG="false", SECRET_KEY="test-only", ALLOWED_HOSTS="example.org")

    assert output.count("Not Found: /probe-7c1a/") == 1
    assert output.count("our own probe-7c1a") == 1


def test_djangos_lines_follow_log_level():
    output = start(LOG_LEVEL="WARNING")

    assert "Watching for probe-7c1a" not in output
    assert output.count("Not Found: /probe-7c1a/") == 1


def test_the_start_prints_no_banner_of_the_lockout_library():
    # django-axes announced itself in every process: twice for runserver (its reloader and its server).
    assert "AXES" not in start()
