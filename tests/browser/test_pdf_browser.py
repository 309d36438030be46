"""An official presses Create PDF on the agreement's page, watches the job's progress and downloads
the PDF when it is ready, without the page being loaded again. A real Celery worker on Redis
renders it, as in production, so the progress is on the page until the worker is done."""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pdfs.models import Rendition
from tests.agreements.signing import interface_agreement
from tests.browser.conftest import accessibility_violations, log_in
from tests.conftest import worker_running, worker_start, worker_stop

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.pdftools]

# Chromium reports a refused script, style or connection here as well as on the console.
CSP_WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_an_official_creates_a_pdf_watches_it_being_made_and_downloads_it(
    new_page,
    worker_on_test_database,
    through_the_broker,
    alice,
    carol,
):
    agreement = interface_agreement(carol)
    process = worker_start("--pool", "solo")
    try:
        worker_running(through_the_broker, process)
        page = new_page("en-GB")
        page.add_init_script(CSP_WATCH)
        log_in(page, "alice")
        page.goto(f"/agreements/{agreement.pk}/")
        page.evaluate("window.notReloaded = true")
        panel = page.get_by_role("region", name="PDF")

        panel.get_by_role("button", name="Create PDF").click()

        status = panel.get_by_role("status")
        expect(status.get_by_role("progressbar", name="Making the PDF")).to_be_visible()
        download_link = status.get_by_role("link", name="Download the PDF")
        expect(download_link).to_be_visible(timeout=30_000)  # polled twice a second until the worker is done
        expect(status.get_by_role("progressbar")).to_have_count(0)
        rendition = Rendition.objects.defer("content").get(agreement=agreement)
        expect(status).to_contain_text(re.compile(rf"\({rendition.pages} pages, "))
        expect(status.locator("code.hash")).to_have_text(rendition.sha256)
        assert page.evaluate("window.notReloaded") is True

        with page.expect_download() as download:
            download_link.click()
        content = Path(download.value.path()).read_bytes()
    finally:
        worker_stop(process)

    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == rendition.sha256
    assert rendition.status == Rendition.Status.DONE and rendition.worker.rsplit(":", 1)[1] == str(process.pid)
    assert download.value.suggested_filename == rendition.filename
    assert page.evaluate("window.cspViolations") == []
    assert accessibility_violations(page) == []
