"""Is this the genuine signed agreement? The verdict, the public page and the commands."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from pdfs.models import Rendition
from pdfs.seal import stamp_time
from pdfs.verification import verify
from tests.pdfs.seal_fixtures import *  # noqa: F403  the seal fixtures
from tests.pdfs.seal_fixtures import changed_byte

pytestmark = pytest.mark.pdftools  # poppler, qpdf and Pango


@pytest.fixture
def client():
    """An anonymous visitor whose browser asks for English."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_a_stored_final_pdf_is_genuine(stored_final, seal_settings):
    verdict = verify(bytes(stored_final.content))
    assert verdict.genuine
    assert verdict.rendition == stored_final
    assert verdict.agreement == stored_final.agreement
    assert verdict.edition == 1
    assert verdict.sealed_at == stored_final.sealed_at
    day, time = stamp_time(stored_final.sealed_at).split(" ")
    assert verdict.message == (
        f"This is the genuine signed agreement “Strateginen yhteistyösopimus Pirkanmaa”, edition 1, "
        f"sealed on {day} at {time} (Helsinki time)."
    )


def test_one_changed_byte_breaks_the_seal(stored_final, seal_settings):
    verdict = verify(changed_byte(bytes(stored_final.content)))
    assert not verdict.genuine
    assert verdict.rendition is None
    assert "The seal is broken: the file was changed after it was sealed." in verdict.message


def test_a_pdf_the_portal_did_not_make_is_not_genuine(stored_final, seal_settings, document):
    verdict = verify(document)
    assert not verdict.genuine
    assert "It is not a PDF made by the portal" in verdict.message


def test_a_pdf_sealed_by_someone_else_is_not_genuine(stored_final, seal_settings, sealed_by_stranger):
    verdict = verify(sealed_by_stranger.pdf)
    assert not verdict.genuine
    assert "sealed by someone else (Mallory Oy)" in verdict.message


def test_a_rendition_not_yet_done_does_not_count(areas, sealed, seal_settings):
    from tests.agreements.factories import start_strategic

    Rendition.objects.create(
        agreement=start_strategic("08"),
        purpose=Rendition.Purpose.FINAL,
        status=Rendition.Status.RENDERING,
        content=sealed.pdf,
        sha256=hashlib.sha256(sealed.pdf).hexdigest(),
    )
    verdict = verify(sealed.pdf)
    assert not verdict.genuine
    assert "stored no signed agreement with exactly this content" in verdict.message


def test_the_verdict_speaks_the_readers_language(stored_final, seal_settings):
    from django.utils import translation

    with translation.override("fi"):
        message = verify(bytes(stored_final.content)).message
    assert "Strateginen yhteistyösopimus Pirkanmaa" in message  # the catalogue translates the rest later


def upload(content: bytes, name: str = "sopimus.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_anyone_may_check_a_file_on_the_verification_page(client, stored_final, seal_settings):
    page = client.get(reverse("pdfs:verify"))
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    count = Rendition.objects.count()
    answer = client.post(reverse("pdfs:verify"), {"file": upload(bytes(stored_final.content))})
    assert answer.status_code == 200
    assert "This is the genuine signed agreement" in answer.content.decode()
    assert stored_final.sha256 in answer.content.decode()
    assert Rendition.objects.count() == count  # nothing stored


def test_the_page_says_so_when_the_file_was_changed(client, stored_final, seal_settings):
    answer = client.post(reverse("pdfs:verify"), {"file": upload(changed_byte(bytes(stored_final.content)))})
    assert answer.status_code == 200
    assert "Not genuine" in answer.content.decode()
    assert "changed after it was sealed" in answer.content.decode()


def test_a_file_that_is_not_a_pdf_gets_an_error_next_to_the_field(client, areas, seal_settings):
    count = Rendition.objects.count()
    answer = client.post(reverse("pdfs:verify"), {"file": upload(b"hello, world", "kirje.txt")})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "field--error" in html
    assert "The file is not a PDF document." in html
    assert "Not genuine" not in html
    assert Rendition.objects.count() == count


def test_a_file_over_the_size_limit_is_refused(client, areas, seal_settings, document):
    seal_settings.ANNEX_MAX_BYTES = len(document) - 1
    answer = client.post(reverse("pdfs:verify"), {"file": upload(document)})
    assert answer.status_code == 400
    assert "at most" in answer.content.decode()


def test_the_register_links_to_the_verification_page(client, areas):
    page = client.get(reverse("register:index"))
    assert reverse("pdfs:verify") in page.content.decode()


def test_verify_pdf_says_genuine_and_exits_0(stored_final, seal_settings, tmp_path, capsys):
    path = tmp_path / "sopimus.pdf"
    path.write_bytes(bytes(stored_final.content))
    call_command("verify_pdf", str(path))
    assert "This is the genuine signed agreement" in capsys.readouterr().out


def test_verify_pdf_exits_1_for_a_changed_file(stored_final, seal_settings, tmp_path, capsys):
    path = tmp_path / "sopimus.pdf"
    path.write_bytes(changed_byte(bytes(stored_final.content)))
    with pytest.raises(SystemExit) as exit:
        call_command("verify_pdf", str(path))
    assert exit.value.code == 1
    assert "changed after it was sealed" in capsys.readouterr().out


def test_verify_pdf_exits_2_when_the_file_cannot_be_read(db, seal_settings, tmp_path):
    with pytest.raises(CommandError, match="Cannot read") as error:
        call_command("verify_pdf", str(tmp_path / "missing.pdf"))
    assert error.value.returncode == 2


def test_signed_pdf_writes_the_stored_sealed_pdf(stored_final, tmp_path):
    out = tmp_path / "out.pdf"
    call_command("signed_pdf", str(stored_final.agreement_id), "--out", str(out))
    assert hashlib.sha256(out.read_bytes()).hexdigest() == stored_final.sha256


def test_signed_pdf_refuses_a_missing_agreement_and_one_without_a_sealed_pdf(stored_final, tmp_path):
    from tests.agreements.factories import start_strategic

    with pytest.raises(CommandError, match="no agreement 999999"):
        call_command("signed_pdf", "999999", "--out", str(tmp_path / "a.pdf"))
    unsigned = start_strategic("08", title="Ei vielä allekirjoitettu")
    with pytest.raises(CommandError, match="has no sealed PDF yet"):
        call_command("signed_pdf", str(unsigned.pk), "--out", str(tmp_path / "b.pdf"))
    assert not (tmp_path / "b.pdf").exists()
