"""Fixtures of the seal tests: a seal certificate made once per session, PDF/A-3b documents to seal
(written as the agreement documents are, by pdfs.weasy), and a stored
final PDF."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.test import override_settings

from pdfs import seal
from pdfs.models import Rendition

SEAL_BOX = (320.0, 90.0, 560.0, 160.0)
SEAL_PAGE = 1


@pytest.fixture(scope="session")
def seal_files(tmp_path_factory) -> tuple[Path, Path]:
    """The portal's seal: a self-signed certificate and its key, made once."""
    folder = tmp_path_factory.mktemp("seal")
    cert, key = folder / "certificate.pem", folder / "key.pem"
    seal.make_certificate(cert, key, common_name="Yhdyspinta test seal", organisation="Yhdyspinta testiorganisaatio")
    return cert, key


@pytest.fixture(scope="session")
def stranger_files(tmp_path_factory) -> tuple[Path, Path]:
    """Somebody else's seal."""
    folder = tmp_path_factory.mktemp("stranger")
    cert, key = folder / "certificate.pem", folder / "key.pem"
    seal.make_certificate(cert, key, common_name="Mallory", organisation="Mallory Oy")
    return cert, key


def seal_overrides(files: tuple[Path, Path], **extra) -> dict:
    cert, key = files
    return {"SEAL_CERTIFICATE": cert, "SEAL_KEY": key, "SEAL_KEY_PASSPHRASE": "", "SEAL_TSA_URL": "", **extra}


@pytest.fixture
def seal_settings(settings, seal_files):
    """The test seal configured, no timestamp authority."""
    for name, value in seal_overrides(seal_files).items():
        setattr(settings, name, value)
    return settings


def pdfa(pages: int = 3) -> bytes:
    """A small PDF/A-3b of ``pages`` pages, written as the agreement documents are (``pdfs.weasy``)."""
    from django.conf import settings

    from pdfs import weasy

    body = "".join(
        f'<section class="page"><h1>Sivu {n}</h1><p>{"Sopimuksen teksti, äö åÅ. " * 120}</p></section>'
        for n in range(1, pages + 1)
    )
    html = (
        '<html lang="fi"><head><title>Testisopimus</title><style>.page { break-after: page }'
        f"</style></head><body>{body}</body></html>"
    )
    written = weasy.write_pdf(
        html,
        base_url=Path(settings.BASE_DIR).as_uri() + "/",
        created=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        attachment=("agreement.json", b"{}", "data"),
        font_dir=Path(settings.PDF_FONT_DIR),
        title="Testisopimus",
    )
    return written.pdf


@pytest.fixture(scope="session")
def document() -> bytes:
    return pdfa(3)


@pytest.fixture(scope="session")
def sealed(document, seal_files) -> seal.Sealed:
    """``document`` sealed with the test seal on its second page."""
    with override_settings(**seal_overrides(seal_files)):
        return seal.seal_pdf(
            document, page=SEAL_PAGE, box=SEAL_BOX, reason="Allekirjoitettu sopimus", location="Tampere"
        )


@pytest.fixture(scope="session")
def sealed_by_stranger(document, stranger_files) -> seal.Sealed:
    with override_settings(**seal_overrides(stranger_files)):
        return seal.seal_pdf(document, page=0, box=SEAL_BOX, reason="Väärennös", location="Muualla")


def changed_byte(pdf: bytes) -> bytes:
    """``pdf`` with one byte changed inside the signed range: in the first content stream."""
    at = pdf.index(b"stream\n") + 40
    data = bytearray(pdf)
    data[at] ^= 0x01
    return bytes(data)


@pytest.fixture
def stored_final(areas, sealed) -> Rendition:
    """A signed agreement's final PDF as the portal stores it."""
    from tests.agreements.factories import start_strategic

    agreement = start_strategic("08", title="Strateginen yhteistyösopimus Pirkanmaa")
    return Rendition.objects.create(
        agreement=agreement,
        purpose=Rendition.Purpose.FINAL,
        status=Rendition.Status.DONE,
        content=sealed.pdf,
        sha256=hashlib.sha256(sealed.pdf).hexdigest(),
        size=len(sealed.pdf),
        edition=agreement.edition,
        version=1,
        sealed_at=sealed.sealed_at,
        seal_subject=sealed.subject,
        finished_at=datetime.datetime.now(datetime.UTC),
    )


@pytest.fixture(scope="session")
def tsa_url(tmp_path_factory):
    """An RFC 3161 timestamp authority on localhost: OpenSSL's ``ts -reply`` behind a small HTTP server."""
    import http.server
    import subprocess
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = tmp_path_factory.mktemp("tsa")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "tsa.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "serial").write_text("01\n")
    config = folder / "tsa.cnf"
    config.write_text(
        f"[tsa]\ndefault_tsa = test\n[test]\nserial = {folder}/serial\nsigner_cert = {folder}/tsa.pem\n"
        f"signer_key = {folder}/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n"
        "digests = sha256, sha384, sha512\naccuracy = secs:1\ness_cert_id_alg = sha256\n"
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            query = self.rfile.read(int(self.headers["Content-Length"]))
            reply = subprocess.run(
                ["openssl", "ts", "-reply", "-config", str(config), "-queryfile", "/dev/stdin", "-out", "/dev/stdout"],
                input=query,
                capture_output=True,
                check=True,
            ).stdout
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
