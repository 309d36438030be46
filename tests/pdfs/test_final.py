"""The signed agreement: rendered and sealed when its last signature is recorded, kept unchanged by
the database, offered in the register, and recognised by the verification page and pdfsig."""

import json
import re
import subprocess

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from agreements.services import signing
from pdfs import seal, services
from pdfs.models import Rendition
from regions.models import Municipality
from tests.agreements.signing import interface_agreement, pdf, to_signing
from tests.conftest import make_user
from tests.pdfs.conftest import Pdf
from tests.pdfs.seal_fixtures import *  # noqa: F403  the seal fixtures
from tests.pdfs.seal_fixtures import changed_byte

pytestmark = [pytest.mark.postgres, pytest.mark.pdftools]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_all(agreement: Agreement, carol, django_capture_on_commit_callbacks) -> Agreement:
    """Each party's signatory named and their signature on paper recorded by Carol, the last one
    committing the move to signed (and, its start date past, in force)."""
    for party in agreement.parties.order_by("position"):
        signatory = signing.signatory_add(
            party=party, by=carol, name=f"Allekirjoittaja {party.position}", title="johtaja", authority="hallintosääntö"
        )
        with django_capture_on_commit_callbacks(execute=True):
            signing.signature_record_outside(
                signatory=signatory, by=carol, signed_on=timezone.localdate(), place="Tampere", upload=pdf()
            )
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def signed(carol, seal_settings, django_capture_on_commit_callbacks) -> Agreement:
    return sign_all(to_signing(interface_agreement(carol), carol), carol, django_capture_on_commit_callbacks)


def test_the_last_signature_seals_the_final_pdf(signed, tmp_path):
    final = Rendition.objects.get(agreement=signed, purpose=Rendition.Purpose.FINAL)
    assert final.status == Rendition.Status.DONE, final.failure
    content = bytes(final.content)
    file = Pdf.of(content, tmp_path)

    out = subprocess.run(["pdfsig", str(file.path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out
    assert final.sealed_at is not None and final.seal_subject == "Yhdyspinta testiorganisaatio"
    # Signed: no watermark, and the signatories' names on their pages.
    assert "LUONNOS" not in file.text and "Allekirjoittaja 1" in file.text
    assert re.search(r"pdfaid:part(=\"|>)3", file.metadata())  # sealing kept the PDF/A-3 identification
    # The attached data is the public bundle of that state.
    out = subprocess.run(["pdfdetach", "-list", str(file.path)], capture_output=True, text=True).stdout
    assert "agreement.json" in out
    attached = json.loads(file.attachment(1))
    from io import StringIO

    printed = StringIO()
    call_command("export_agreement", str(signed.pk), "--public", stdout=printed)
    assert attached == json.loads(printed.getvalue()) and attached["public"] is True


def test_the_sealed_pdf_cannot_be_changed_or_deleted(signed):
    final = Rendition.objects.get(agreement=signed, purpose=Rendition.Purpose.FINAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rendition.objects.filter(pk=final.pk).update(content=b"%PDF-1.7 forged")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rendition.objects.filter(pk=final.pk).delete()
    # Nor can a second final PDF be made for the agreement.
    with pytest.raises(IntegrityError), transaction.atomic():
        Rendition.objects.create(agreement=signed, purpose=Rendition.Purpose.FINAL)
    assert services.final_request(signed).pk == final.pk


def test_the_register_offers_the_sealed_pdf_and_the_verification_page_recognises_it(signed):
    final = Rendition.objects.get(agreement=signed, purpose=Rendition.Purpose.FINAL)
    content = bytes(final.content)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")

    page = anonymous.get(reverse("register:agreement", args=[signed.pk])).content.decode()
    assert reverse("pdfs:signed", args=[signed.pk]) in page and final.sha256 in page
    download = anonymous.get(reverse("pdfs:signed", args=[signed.pk]))
    assert download.status_code == 200 and download.content == content

    from django.core.files.uploadedfile import SimpleUploadedFile

    genuine = anonymous.post(reverse("pdfs:verify"), {"file": SimpleUploadedFile("s.pdf", content)})
    assert "This is the genuine signed agreement" in genuine.content.decode()
    # In force, so in the register: the verdict links to its page there.
    assert reverse("register:agreement", args=[signed.pk]) in genuine.content.decode()
    forged = anonymous.post(reverse("pdfs:verify"), {"file": SimpleUploadedFile("s.pdf", changed_byte(content))})
    assert "This is not the genuine signed agreement" in forged.content.decode()
    assert Rendition.objects.count() == 1


def test_without_a_seal_the_final_pdf_fails_at_once_and_the_coordinator_tries_again(
    carol, settings, seal_files, django_capture_on_commit_callbacks
):
    agreement = sign_all(to_signing(interface_agreement(carol), carol), carol, django_capture_on_commit_callbacks)
    final = Rendition.objects.get(agreement=agreement, purpose=Rendition.Purpose.FINAL)
    assert final.status == Rendition.Status.FAILED and "make_demo_certificate" in final.failure
    assert final.attempts == 1 and final.content is None  # nothing was rendered
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(carol)
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "make_demo_certificate" in page and "Try again" in page

    settings.SEAL_CERTIFICATE, settings.SEAL_KEY = seal_files
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pdfs:retry", args=[agreement.pk, final.pk]))

    final.refresh_from_db()
    assert final.status == Rendition.Status.DONE and seal.validate(bytes(final.content)).valid


def test_only_the_organisers_try_the_final_pdf_again(carol, django_capture_on_commit_callbacks):
    agreement = sign_all(to_signing(interface_agreement(carol), carol), carol, django_capture_on_commit_callbacks)
    final = Rendition.objects.get(agreement=agreement, purpose=Rendition.Purpose.FINAL)
    client = Client()
    # Tampere's official reads the agreement but does not run it.
    client.force_login(make_user("alice", Municipality.objects.get(code="837")))
    assert client.get(reverse("pdfs:status", args=[agreement.pk, final.pk])).status_code == 200

    assert client.post(reverse("pdfs:retry", args=[agreement.pk, final.pk])).status_code == 403
    assert Rendition.objects.get(pk=final.pk).status == Rendition.Status.FAILED


def test_the_organiser_who_tried_the_final_pdf_again_can_still_be_deleted(
    carol, settings, seal_files, django_capture_on_commit_callbacks
):
    agreement = sign_all(to_signing(interface_agreement(carol), carol), carol, django_capture_on_commit_callbacks)
    final = Rendition.objects.get(agreement=agreement, purpose=Rendition.Purpose.FINAL)
    settings.SEAL_CERTIFICATE, settings.SEAL_KEY = seal_files
    with django_capture_on_commit_callbacks(execute=True):
        services.rendition_retry(rendition=final, by=carol)

    carol.delete()  # the sealed PDF names nobody who asked for it: nothing in it is written

    final.refresh_from_db()
    assert final.status == Rendition.Status.DONE and final.requested_by is None


def test_a_timestamp_authority_that_does_not_answer_fails_the_final_pdf_naming_it(
    carol, seal_settings, django_capture_on_commit_callbacks
):
    seal_settings.SEAL_TSA_URL = "http://127.0.0.1:9/"  # nothing listens there
    agreement = sign_all(to_signing(interface_agreement(carol), carol), carol, django_capture_on_commit_callbacks)

    final = Rendition.objects.get(agreement=agreement, purpose=Rendition.Purpose.FINAL)
    # Without a broker nothing would try it later: it fails at once (a worker puts it back in the
    # queue and tries again with a growing pause), and no worker died.
    assert final.status == Rendition.Status.FAILED and "http://127.0.0.1:9/" in final.failure
    assert (final.attempts, final.interrupted) == (1, 0)


def test_a_renewed_seal_certificate_keeps_the_earlier_pdfs_genuine(signed, settings, seal_files, stranger_files):
    from pdfs import verification

    content = bytes(Rendition.objects.get(agreement=signed, purpose=Rendition.Purpose.FINAL).content)
    settings.SEAL_CERTIFICATE, settings.SEAL_KEY = stranger_files  # the new certificate
    assert not verification.verify(content).genuine

    settings.SEAL_EARLIER_CERTIFICATES = [str(seal_files[0])]

    assert verification.verify(content).genuine


def test_where_the_seal_certificate_is_not_readable_nothing_is_said_about_the_file(signed, settings, tmp_path):
    content = bytes(Rendition.objects.get(agreement=signed, purpose=Rendition.Purpose.FINAL).content)
    settings.SEAL_CERTIFICATE = tmp_path / "missing.pem"
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("pdfs:verify"), {"file": SimpleUploadedFile("s.pdf", content)}
    )

    text = page.content.decode()
    assert "Not checked" in text and "cannot check seals now" in text and "not the genuine" not in text


def test_a_genuine_agreement_not_yet_in_force_is_named_without_a_link_to_the_register(
    carol, seal_settings, django_capture_on_commit_callbacks
):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    start = timezone.localdate() + datetime.timedelta(days=30)  # signed before its start date
    agreement = sign_all(
        to_signing(interface_agreement(carol, valid_from=start), carol), carol, django_capture_on_commit_callbacks
    )
    assert agreement.status == Agreement.Status.SIGNED
    content = bytes(Rendition.objects.get(agreement=agreement, purpose=Rendition.Purpose.FINAL).content)

    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("pdfs:verify"), {"file": SimpleUploadedFile("s.pdf", content)}
    )

    text = page.content.decode()
    assert "This is the genuine signed agreement" in text and agreement.title in text
    assert reverse("register:agreement", args=[agreement.pk]) not in text
