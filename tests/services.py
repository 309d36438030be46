"""Which real services this test run has, and what a test does when one is missing.

Without a service a test that needs it is skipped with the reason; under CI=true it fails instead,
so a CI run can never pass by skipping.
"""

import os
import shutil
import socket
from functools import cache
from urllib.parse import urlparse

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"
# The browser the tests launch, and the one whose presence decides whether they run.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@cache
def redis_reachable() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


# What reading a PDF back takes: poppler's tools and qpdf (not ours), and Pango for WeasyPrint to write it.
PDF_TOOLS = ("pdftotext", "pdffonts", "pdfinfo", "pdfdetach", "pdfsig", "qpdf")


@cache
def pdf_tools_missing() -> str | None:
    absent = [tool for tool in PDF_TOOLS if shutil.which(tool) is None]
    if absent:
        return f"needs {', '.join(absent)} (apt-get install poppler-utils qpdf)"
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        return f"needs Pango for WeasyPrint (apt-get install libpango-1.0-0 libpangoft2-1.0-0): {error}"
    return None


def missing_service(marker: str) -> str | None:
    """Why a test with ``marker`` cannot run here, or None when it can."""
    if marker == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    if marker == "redis" and not redis_reachable():
        return "needs Redis and a Celery worker: set REDIS_URL=redis://… to a running Redis"
    if marker == "pdftools":
        return pdf_tools_missing()
    if marker == "browser" and not os.access(CHROMIUM, os.X_OK):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def require(marker: str) -> None:
    reason = missing_service(marker)
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but this test {reason}", pytrace=False)
        pytest.skip(reason)
