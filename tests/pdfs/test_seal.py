"""The seal, read back with tools that are not ours: poppler's pdfsig and qpdf."""

import json
import os
import re
import stat
import subprocess

import pytest
from cryptography import x509
from django.core.management import call_command
from django.core.management.base import CommandError

from pdfs import seal
from tests.pdfs.seal_fixtures import *  # noqa: F403  the seal fixtures
from tests.pdfs.seal_fixtures import SEAL_BOX, SEAL_PAGE, changed_byte, seal_overrides

pytestmark = pytest.mark.pdftools  # poppler, qpdf and Pango


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, check=False, cwd=cwd)


def pdfsig(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    return run("pdfsig", str(path)).stdout.decode()


def test_pdfsig_finds_the_seal_valid_over_the_whole_document(sealed, tmp_path):
    out = pdfsig(sealed.pdf, tmp_path)
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "Signature Type: ETSI.CAdES.detached" in out  # PAdES
    assert "O=Yhdyspinta testiorganisaatio" in out


def test_pdfsig_finds_the_seal_invalid_after_one_byte_of_the_signed_range_changed(sealed, tmp_path):
    out = pdfsig(changed_byte(sealed.pdf), tmp_path)
    assert "Signature is Valid" not in out
    assert "Digest Mismatch" in out


def test_qpdf_finds_no_error_in_the_sealed_file(sealed, tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed.pdf)
    result = run("qpdf", "--check", str(path))
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert b"No syntax or stream encoding errors" in result.stdout


def test_sealing_keeps_the_document_bytes_and_its_pdfa_identification(document, sealed, tmp_path):
    assert sealed.pdf.startswith(document)  # an incremental update
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed.pdf)
    info = run("pdfinfo", "-meta", str(path)).stdout.decode()
    assert 'pdfaid:part="3"' in info and 'pdfaid:conformance="B"' in info
    assert re.search(r"PDF version:\s+1\.7", run("pdfinfo", str(path)).stdout.decode())  # PDF/A-3 is PDF 1.7


def test_the_stamp_font_is_embedded(sealed, tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed.pdf)
    fonts = run("pdffonts", str(path)).stdout.decode().splitlines()[2:]
    assert any("DejaVuSans" in line for line in fonts)
    assert all(re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s", line)[1] == "yes" for line in fonts), fonts  # emb


def _objects(pdf: bytes, tmp_path) -> dict:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(pdf)
    return json.loads(run("qpdf", "--json=2", str(path)).stdout)


def test_the_visible_seal_is_on_the_requested_page_in_the_requested_box(sealed, tmp_path):
    data = _objects(sealed.pdf, tmp_path)
    objects = data["qpdf"][1]
    page = data["pages"][SEAL_PAGE]["object"]
    widgets = [
        (key.removeprefix("obj:"), obj["value"])
        for key, obj in objects.items()
        if isinstance(obj.get("value"), dict) and obj["value"].get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    ref, widget = widgets[0]
    assert widget["/P"] == page
    assert ref in objects[f"obj:{page}"]["value"]["/Annots"]
    assert widget["/Rect"] == list(SEAL_BOX)
    assert widget["/F"] & 4  # printed, as PDF/A requires
    assert "/N" in widget["/AP"]


def test_the_stamp_names_the_organisation_and_the_time(sealed, tmp_path):
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed.pdf)
    text = run("pdftotext", "-f", str(SEAL_PAGE + 1), "-l", str(SEAL_PAGE + 1), str(path), "-").stdout.decode()
    assert "Yhdyspinta testiorganisaatio" in text
    assert seal.stamp_time(sealed.sealed_at) in text
    assert sealed.subject == "Yhdyspinta testiorganisaatio"


def test_validate_agrees_with_pdfsig(sealed, seal_settings):
    check = seal.validate(sealed.pdf)
    assert check.sealed and check.intact and check.valid and check.covers_whole_file
    assert check.problem is None
    assert check.subject == "Yhdyspinta testiorganisaatio"
    assert abs((check.signed_at - sealed.sealed_at).total_seconds()) < 1

    broken = seal.validate(changed_byte(sealed.pdf))
    assert broken.sealed and not broken.intact and not broken.valid
    assert "changed after it was sealed" in broken.problem


def test_validate_refuses_a_seal_made_with_another_certificate(sealed_by_stranger, seal_settings):
    check = seal.validate(sealed_by_stranger.pdf)
    assert check.sealed and check.intact and not check.valid
    assert "Mallory Oy" in check.problem


def test_validate_says_which_revision_the_seal_covers_when_something_was_appended(sealed, seal_settings):
    document = sealed.pdf
    # A second incremental update after the seal: a new Info dictionary (qpdf would rewrite the file).
    size = int(document.rsplit(b"/Size ", 1)[1].split()[0])
    startxref = int(document.rsplit(b"startxref", 1)[1].split()[0])
    root = document.rsplit(b"/Root ", 1)[1].split(b"R", 1)[0] + b"R"
    offset = len(document)
    extra = f"{size} 0 obj\n<< /Title (Muutettu) >>\nendobj\n".encode()
    xref_at = offset + len(extra)
    xref = f"xref\n{size} 1\n{offset:010d} 00000 n \ntrailer\n<< /Size {size + 1} /Root ".encode()
    xref += root + f" /Info {size} 0 R /Prev {startxref} >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    check = seal.validate(document + extra + xref)
    assert check.intact and check.valid and not check.covers_whole_file
    assert "revision" in check.problem


def test_validate_on_files_without_a_seal(document, seal_settings):
    assert not seal.validate(document).sealed
    assert "no digital seal" in seal.validate(document).problem
    assert seal.validate(b"not a pdf at all").problem == "The file is not a readable PDF."


def test_sealing_without_a_configured_certificate_names_the_settings_and_the_command(document, settings, tmp_path):
    settings.SEAL_CERTIFICATE, settings.SEAL_KEY = tmp_path / "none.pem", tmp_path / "none-key.pem"
    with pytest.raises(seal.SealError) as error:
        seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l")
    assert "SEAL_CERTIFICATE" in str(error.value) and "make_demo_certificate" in str(error.value)


def test_sealing_with_a_key_of_another_certificate_is_refused(document, settings, seal_files, stranger_files):
    settings.SEAL_CERTIFICATE, settings.SEAL_KEY = seal_files[0], stranger_files[1]
    with pytest.raises(seal.SealError, match="does not belong to the certificate"):
        seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l")


def test_an_encrypted_key_needs_its_passphrase(document, settings, tmp_path):
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    seal.make_certificate(cert, key, common_name="c", organisation="o", passphrase="oikea")
    for name, value in seal_overrides((cert, key), SEAL_KEY_PASSPHRASE="väärä").items():
        setattr(settings, name, value)
    with pytest.raises(seal.SealError, match="passphrase is wrong"):
        seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l")
    settings.SEAL_KEY_PASSPHRASE = ""
    with pytest.raises(seal.SealError, match="set SEAL_KEY_PASSPHRASE"):
        seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l")
    settings.SEAL_KEY_PASSPHRASE = "oikea"
    assert seal.validate(seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l").pdf).valid


def test_an_unreadable_key_is_named(document, settings, seal_files, tmp_path):
    broken = tmp_path / "key.pem"
    broken.write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")
    settings.SEAL_CERTIFICATE, settings.SEAL_KEY, settings.SEAL_KEY_PASSPHRASE = seal_files[0], broken, ""
    with pytest.raises(seal.SealError, match="is not a private key"):
        seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l")


def test_a_timestamp_authority_that_does_not_answer_is_named(document, seal_settings):
    seal_settings.SEAL_TSA_URL = "http://127.0.0.1:9/tsa"  # the discard port: nothing listens
    with pytest.raises(seal.SealError, match="timestamp authority"):
        seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l")


def test_make_certificate_writes_a_seal_certificate_and_a_private_key(tmp_path):
    cert_path, key_path = tmp_path / "seal" / "certificate.pem", tmp_path / "seal" / "key.pem"
    seal.make_certificate(cert_path, key_path, common_name="Demo", organisation="Demo Oy", days=30)
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert cert.subject == cert.issuer
    with pytest.raises(FileExistsError):
        seal.make_certificate(cert_path, key_path, common_name="Demo", organisation="Demo Oy")
    before = cert_path.read_bytes()
    seal.make_certificate(cert_path, key_path, common_name="Demo", organisation="Demo Oy", force=True)
    assert cert_path.read_bytes() != before


def test_make_demo_certificate_writes_the_configured_pair_once(settings, tmp_path, capsys):
    settings.SEAL_CERTIFICATE, settings.SEAL_KEY = tmp_path / "c.pem", tmp_path / "k.pem"
    settings.SEAL_KEY_PASSPHRASE = ""
    call_command("make_demo_certificate", "--organisation", "Pirkanmaan hyvinvointialue")
    out = capsys.readouterr().out
    assert str(settings.SEAL_CERTIFICATE) in out and str(settings.SEAL_KEY) in out
    assert "SHA-256 fingerprint: " in out
    cert = x509.load_pem_x509_certificate(settings.SEAL_CERTIFICATE.read_bytes())
    assert seal.fingerprint(cert) in out
    with pytest.raises(CommandError, match="--force"):
        call_command("make_demo_certificate")
    call_command("make_demo_certificate", "--force", "--common-name", "Toinen")
    assert seal.fingerprint(x509.load_pem_x509_certificate(settings.SEAL_CERTIFICATE.read_bytes())) not in out


def test_with_a_timestamp_authority_the_seal_carries_its_timestamp(document, seal_settings, tsa_url, tmp_path):
    seal_settings.SEAL_TSA_URL = tsa_url
    result = seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l")
    out = pdfsig(result.pdf, tmp_path)
    assert "Signature is Valid" in out
    check = seal.validate(result.pdf)
    assert check.valid
    assert abs((check.signed_at - result.sealed_at).total_seconds()) < 5  # the authority's time
    # The timestamp token is an unsigned attribute of the signer (id-aa-signatureTimeStampToken).
    path = tmp_path / "ts.pdf"
    path.write_bytes(result.pdf)
    dump = run("pdfsig", "-dump", str(path), cwd=tmp_path)
    assert dump.returncode == 0
    signature = (tmp_path / "ts.pdf.sig0").read_bytes()
    assert bytes.fromhex("060b2a864886f70d010910020e") in signature  # the attribute's OID, DER


def test_sealing_and_checking_work_where_an_event_loop_runs(document, seal_settings):
    """As under an ASGI server, or in a test that drives a browser: pyHanko's own loop cannot start."""
    import asyncio
    import concurrent.futures

    async def inside_a_loop():
        sealed = seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="r", location="l")
        return seal.validate(sealed.pdf)

    # In a thread of its own: the test's own thread may run a loop already (the browser tests').
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result().valid
