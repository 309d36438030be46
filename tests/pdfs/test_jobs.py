"""Create PDF: a queued job, rendered by the task after the commit, shown until it is done, then
downloaded; failures say why and are tried again. Without a broker the task runs eagerly."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from agreements.services import section_save
from pdfs import document, services
from pdfs.models import Rendition
from tests.agreements.signing import interface_agreement

pytestmark = [pytest.mark.postgres, pytest.mark.pdftools]


@pytest.fixture
def agreement(carol):
    return interface_agreement(carol)


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def create(client, agreement, django_capture_on_commit_callbacks, *, htmx: bool = False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("pdfs:create", args=[agreement.pk]), **headers)


def test_alice_creates_a_pdf_and_downloads_it(agreement, alice, django_capture_on_commit_callbacks):
    client = client_of(alice)

    response = create(client, agreement, django_capture_on_commit_callbacks)

    rendition = Rendition.objects.get(agreement=agreement)
    assert response.status_code == 302 and response["Location"] == reverse(
        "pdfs:status", args=[agreement.pk, rendition.pk]
    )
    assert rendition.status == Rendition.Status.DONE, rendition.failure
    content = bytes(rendition.content)
    version = document.agreement_version(agreement)
    assert (rendition.edition, rendition.version, rendition.change_stamp) == (1, version.number, version.stamp)
    assert rendition.sha256 == hashlib.sha256(content).hexdigest() and rendition.size == len(content)
    assert rendition.pages >= 2 and rendition.attempts == 1 and rendition.renderer.startswith("WeasyPrint")
    page = client.get(response["Location"]).content.decode()
    assert "Download the PDF" in page and f"{rendition.pages} pages" in page and "hx-trigger" not in page
    download = client.get(reverse("pdfs:download", args=[agreement.pk, rendition.pk]))
    assert download.content == content and download["Content-Type"] == "application/pdf"
    assert f'filename="agreement-{agreement.pk}-edition-1-v{version.number}.pdf"' in download["Content-Disposition"]


def test_a_second_press_for_the_same_version_gives_the_same_pdf_and_a_change_a_new_one(
    agreement, alice, django_capture_on_commit_callbacks
):
    client = client_of(alice)
    create(client, agreement, django_capture_on_commit_callbacks)
    create(client, agreement, django_capture_on_commit_callbacks)
    assert Rendition.objects.filter(agreement=agreement).count() == 1

    section_save(section=agreement.sections.get(key="2"), text="<p>Uusi teksti</p>", base_version=0, by=alice)
    create(client, agreement, django_capture_on_commit_callbacks)

    first, second = Rendition.objects.filter(agreement=agreement).order_by("pk")
    assert second.status == Rendition.Status.DONE and second.version > first.version
    assert second.sha256 != first.sha256


def test_the_page_polls_a_job_until_it_is_done(agreement, alice):
    client = client_of(alice)
    # Queued and not yet run: the commit's task is never run here.
    response = client.post(reverse("pdfs:create", args=[agreement.pk]), HTTP_HX_REQUEST="true")
    rendition = Rendition.objects.get(agreement=agreement)
    status = reverse("pdfs:status", args=[agreement.pk, rendition.pk])
    fragment = response.content.decode()
    assert rendition.status == Rendition.Status.QUEUED
    assert f'hx-get="{status}"' in fragment and 'hx-trigger="every 500ms"' in fragment and "Waiting" in fragment

    services.rendition_render(rendition.pk)

    done = client.get(status, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and reverse("pdfs:download", args=[agreement.pk, rendition.pk]) in done
    assert "<html" not in done  # a fragment for htmx, not a page


def test_a_job_delivered_again_renders_once(agreement, alice):
    rendition = services.rendition_request(agreement=agreement, by=alice)
    services.rendition_render(rendition.pk)
    stored = Rendition.objects.get(pk=rendition.pk)

    assert services.rendition_render(rendition.pk) is None
    again = Rendition.objects.get(pk=rendition.pk)
    assert (again.attempts, again.sha256, again.finished_at) == (1, stored.sha256, stored.finished_at)


def test_a_missing_font_fails_the_job_with_the_reason_and_it_is_tried_again(
    agreement, alice, settings, tmp_path, django_capture_on_commit_callbacks
):
    fonts = settings.PDF_FONT_DIR
    settings.PDF_FONT_DIR = tmp_path
    client = client_of(alice)
    create(client, agreement, django_capture_on_commit_callbacks)
    rendition = Rendition.objects.get(agreement=agreement)
    assert rendition.status == Rendition.Status.FAILED and "DejaVuSans" in rendition.failure
    page = client.get(reverse("pdfs:status", args=[agreement.pk, rendition.pk])).content.decode()
    assert "could not be made" in page and "Try again" in page

    settings.PDF_FONT_DIR = fonts
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pdfs:retry", args=[agreement.pk, rendition.pk]))

    rendition.refresh_from_db()
    assert (rendition.status, rendition.failure, rendition.attempts) == (Rendition.Status.DONE, "", 2)


def test_a_broken_template_fails_the_job_with_a_readable_reason(
    agreement, alice, settings, tmp_path, django_capture_on_commit_callbacks
):
    (tmp_path / "pdfs").mkdir()
    (tmp_path / "pdfs" / "document.html").write_text("{% if %}broken", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    create(client_of(alice), agreement, django_capture_on_commit_callbacks)

    rendition = Rendition.objects.get(agreement=agreement)
    assert rendition.status == Rendition.Status.FAILED
    assert "pdfs/document.html" in rendition.failure


def test_the_render_command_writes_the_bytes_the_job_stores(agreement, alice, tmp_path):
    from django.core.management import call_command

    rendition = services.rendition_request(agreement=agreement, by=alice)
    services.rendition_render(rendition.pk)
    out = tmp_path / "sopimus.pdf"

    call_command("render_agreement", str(agreement.pk), "--out", str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert hashlib.sha256(out.read_bytes()).hexdigest() == Rendition.objects.get(pk=rendition.pk).sha256


def test_the_render_command_names_a_missing_agreement(areas, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="there is no agreement 999999"):
        call_command("render_agreement", "999999", "--out", str(tmp_path / "x.pdf"))


def test_a_job_whose_message_was_lost_is_tried_again(agreement, alice, settings, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    rendition = services.rendition_request(agreement=agreement, by=alice)  # its message never runs here
    old = timezone.now() - datetime.timedelta(seconds=settings.PDF_RENDER_TIME_LIMIT * 2 + 1)
    Rendition.objects.filter(pk=rendition.pk).update(queued_at=old)
    client = client_of(alice)
    page = client.get(reverse("pdfs:status", args=[agreement.pk, rendition.pk])).content.decode()
    assert "no worker took the job up" in page and 'hx-trigger="every 500ms"' not in page and "Try again" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pdfs:retry", args=[agreement.pk, rendition.pk]))

    assert Rendition.objects.get(pk=rendition.pk).status == Rendition.Status.DONE


def test_a_job_whose_worker_died_three_times_fails_instead_of_running_again(agreement, alice):
    rendition = services.rendition_request(agreement=agreement, by=alice)
    # Three deliveries begun and never finished: each worker died in the middle.
    Rendition.objects.filter(pk=rendition.pk).update(status=Rendition.Status.RENDERING, interrupted=2, attempts=3)

    assert services.rendition_render(rendition.pk) is None

    rendition.refresh_from_db()
    assert rendition.status == Rendition.Status.FAILED and "stopped 3 times" in rendition.failure
