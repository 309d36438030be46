"""The digital seal of the signed agreement (PAdES), and its validation. The only module that
imports pyHanko.

The seal is the organisation's certificate and key named in settings (``SEAL_CERTIFICATE``,
``SEAL_KEY``, ``SEAL_KEY_PASSPHRASE``); ``manage.py make_demo_certificate`` writes a self-signed pair
for development. A seal is PAdES baseline B-B, or B-T with a signature timestamp when
``SEAL_TSA_URL`` names a timestamp authority. It is added as an incremental update, so the bytes of
the PDF/A document before it are kept as they were, and its visible stamp uses the font family the
PDFs ship (DejaVu Sans), embedded, as PDF/A requires of every font.

A seal is valid only when its signer certificate is the configured seal certificate or is issued
by it: the portal vouches for its own seal, not for any certificate a reader's system trusts.
"""

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import datetime
import functools
import io
import logging
import os
import urllib.error
import urllib.request
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory, ShapeResult
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
# A seal that does not check out is an answer the verification page gives, not a fault: pyHanko would
# log a warning with a traceback for every foreign or broken seal anyone uploads.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)
FIELD_NAME = "Seal"
TSA_TIMEOUT = 10  # seconds
log = logging.getLogger(__name__)


class SealError(Exception):
    """Sealing cannot be done with what is configured; the message says why and what to do."""


class SealUnavailable(SealError):
    """A service the seal needs did not answer (the timestamp authority): worth trying again later."""


@dataclass(frozen=True)
class Sealed:
    pdf: bytes
    sealed_at: datetime.datetime
    subject: str  # the organisation named in the seal certificate


@dataclass(frozen=True)
class SealCheck:
    """What the seal of a PDF says. ``valid`` is the verdict: the signed bytes are unchanged
    (``intact``), the signature is cryptographically sound, and it was made with the configured
    seal certificate or one it issued (``ours``)."""

    sealed: bool
    intact: bool
    valid: bool
    covers_whole_file: bool
    signed_at: datetime.datetime | None
    subject: str
    problem: str | None
    ours: bool = False
    # False when the portal could not check the seal at all (its certificate is not readable here):
    # then nothing is said about the file.
    checked: bool = True


# --- certificate and key


def make_certificate(
    cert_path: Path,
    key_path: Path,
    *,
    common_name: str,
    organisation: str,
    days: int = 3650,
    force: bool = False,
    passphrase: str = "",
) -> x509.Certificate:
    """Write a self-signed organisation seal certificate (RSA 3072, key usage digital signature
    and non-repudiation) and its key (PEM, mode 0600, encrypted when ``passphrase`` is given). Existing
    files are kept unless ``force``: raises ``FileExistsError`` naming them."""
    cert_path, key_path = Path(cert_path), Path(key_path)
    existing = [str(p) for p in (cert_path, key_path) if p.exists()]
    if existing and not force:
        raise FileExistsError(", ".join(existing))
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    for path in (cert_path, key_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | (0 if force else os.O_EXCL)
    fd = os.open(key_path, flags, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key_pem)
    os.chmod(key_path, 0o600)  # an existing file overwritten with force keeps its old mode otherwise
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert


def fingerprint(cert: x509.Certificate) -> str:
    """The SHA-256 fingerprint, as readers show it (colon-separated hex)."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def _not_configured() -> SealError:
    return SealError(
        _(
            "No seal certificate is configured: SEAL_CERTIFICATE (%(cert)s) and SEAL_KEY (%(key)s) must name "
            "a certificate and its key in PEM. For development, run manage.py make_demo_certificate."
        )
        % {"cert": settings.SEAL_CERTIFICATE, "key": settings.SEAL_KEY}
    )


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise _not_configured() from None
    except OSError as e:
        raise SealError(
            _("The seal %(what)s %(path)s cannot be read: %(error)s")
            % {"what": what, "path": path, "error": e.strerror}
        ) from e


def _load_certificate(path: Path | None = None) -> x509.Certificate:
    path = path or settings.SEAL_CERTIFICATE
    data = _read(path, _("certificate"))
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError:
        try:
            return x509.load_der_x509_certificate(data)
        except ValueError as e:
            raise SealError(
                _("The seal certificate %(path)s is not a certificate in PEM or DER.") % {"path": path}
            ) from e


def _load_key(path: Path, passphrase_text: str):
    data = _read(path, _("key"))
    passphrase = passphrase_text.encode() or None
    loader = serialization.load_pem_private_key if b"-----BEGIN" in data else serialization.load_der_private_key
    try:
        return loader(data, password=passphrase)
    except TypeError as e:  # a passphrase missing for an encrypted key, or given for a plain one
        if passphrase is None:
            raise SealError(_("The seal key %(path)s is encrypted: set SEAL_KEY_PASSPHRASE.") % {"path": path}) from e
        raise SealError(
            _("The seal key %(path)s is not encrypted, but SEAL_KEY_PASSPHRASE is set.") % {"path": path}
        ) from e
    except ValueError as e:
        if passphrase is not None and b"ENCRYPTED" in data:
            raise SealError(
                _("The seal key %(path)s cannot be opened with SEAL_KEY_PASSPHRASE: the passphrase is wrong.")
                % {"path": path}
            ) from e
        raise SealError(_("The seal key %(path)s is not a private key in PEM or DER.") % {"path": path}) from e


def _public_der(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _subject(cert: asn1_x509.Certificate) -> str:
    """Who sealed: the certificate's organisation, else its common name."""
    native = cert.subject.native
    return native.get("organization_name") or native.get("common_name") or cert.subject.human_friendly


# --- the stamp's font


@functools.cache
def _stamp_font() -> tuple[bytes, dict]:
    """DejaVu Sans cut down to the characters of Windows-1252 (all of Finnish and Swedish), with
    its metrics in PDF glyph units: cached, as subsetting takes longer than signing."""
    from fontTools import subset, ttLib

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # it reports every glyph, and tables it drops
    path = Path(settings.PDF_FONT_DIR) / "DejaVuSans.ttf"
    font = ttLib.TTFont(path)
    for tag in ("GSUB", "GPOS", "GDEF", "MATH", "kern", "FFTM"):  # no shaping here: one code, one glyph
        if tag in font:
            del font[tag]  # before subsetting, which would read them (most of its time)
    codes = [c for c in range(32, 256) if c not in (127, 129, 141, 143, 144, 157)]
    chars = {code: bytes([code]).decode("cp1252") for code in codes}
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False  # the stamp is printed and shown at any zoom: outlines suffice
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in chars.values()])
    subsetter.subset(font)
    cmap = font.getBestCmap()
    units = font["head"].unitsPerEm
    scale = 1000 / units
    widths = [round(font["hmtx"][cmap[ord(chars[c])]][0] * scale) if ord(chars[c]) in cmap else 0 for c in codes]
    head, os2, post = font["head"], font["OS/2"], font["post"]
    out = io.BytesIO()
    font.save(out)
    metrics = {
        "name": font["name"].getDebugName(6) or "DejaVuSans",
        "first": codes[0],
        "widths": dict(zip(codes, widths, strict=True)),
        "bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
        "ascent": round(os2.sTypoAscender * scale),
        "descent": round(os2.sTypoDescender * scale),
        "cap_height": round(getattr(os2, "sCapHeight", os2.sTypoAscender) * scale),
        "italic_angle": post.italicAngle,
    }
    return out.getvalue(), metrics


class _StampFont(FontEngine):
    """A simple TrueType font in WinAnsiEncoding, embedded (pyHanko's own embedding of OpenType
    fonts needs HarfBuzz, which the project does not install)."""

    def __init__(self, writer):
        self._data, self._metrics = _stamp_font()
        super().__init__(writer, self._metrics["name"], embedded_subset=True)

    @property
    def uses_complex_positioning(self):
        return False

    def shape(self, txt: str) -> ShapeResult:
        encoded = txt.encode("cp1252", errors="replace")
        widths = self._metrics["widths"]
        ops = io.BytesIO()
        generic.ByteStringObject(encoded).write_to_stream(ops)
        ops.write(b" Tj")
        advance = sum(widths.get(b, 0) for b in encoded) / 1000
        return ShapeResult(graphics_ops=ops.getvalue(), x_advance=advance, y_advance=0)

    def as_resource(self):
        m = self._metrics
        name = generic.NameObject(f"/{self.subset_prefix}+{m['name']}")
        stream = generic.StreamObject(
            {generic.NameObject("/Length1"): generic.NumberObject(len(self._data))}, stream_data=self._data
        )
        stream.compress()
        descriptor = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/FontDescriptor"),
                generic.NameObject("/FontName"): name,
                generic.NameObject("/Flags"): generic.NumberObject(32),  # non-symbolic
                generic.NameObject("/FontBBox"): generic.ArrayObject(map(generic.NumberObject, m["bbox"])),
                generic.NameObject("/ItalicAngle"): generic.FloatObject(m["italic_angle"]),
                generic.NameObject("/Ascent"): generic.NumberObject(m["ascent"]),
                generic.NameObject("/Descent"): generic.NumberObject(m["descent"]),
                generic.NameObject("/CapHeight"): generic.NumberObject(m["cap_height"]),
                generic.NameObject("/StemV"): generic.NumberObject(80),
                generic.NameObject("/FontFile2"): self.writer.add_object(stream),
            }
        )
        codes = sorted(m["widths"])
        return generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/TrueType"),
                generic.NameObject("/BaseFont"): name,
                generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding"),
                generic.NameObject("/FirstChar"): generic.NumberObject(codes[0]),
                generic.NameObject("/LastChar"): generic.NumberObject(codes[-1]),
                generic.NameObject("/Widths"): generic.ArrayObject(
                    generic.NumberObject(m["widths"].get(c, 0)) for c in range(codes[0], codes[-1] + 1)
                ),
                generic.NameObject("/FontDescriptor"): self.writer.add_object(descriptor),
            }
        )


class _StampFontFactory(FontEngineFactory):
    def create_font_engine(self, writer, obj_stream=None):
        return _StampFont(writer)


# --- sealing


class _Timestamper(TimeStamper):
    """An RFC 3161 client on the standard library (pyHanko's needs ``requests`` or ``aiohttp``)."""

    def __init__(self, url: str):
        self.url = url
        super().__init__()

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        def post() -> bytes:
            request = urllib.request.Request(self.url, data=req.dump(), headers=set_tsp_headers({}), method="POST")
            try:
                with urllib.request.urlopen(request, timeout=TSA_TIMEOUT) as response:  # noqa: S310 (a configured URL)
                    if response.headers.get("Content-Type") != "application/timestamp-reply":
                        raise TimestampRequestError("The timestamp authority's answer is not a timestamp reply.")
                    return response.read()
            except (OSError, urllib.error.URLError) as e:
                raise TimestampRequestError(str(e)) from e

        return tsp.TimeStampResp.load(await asyncio.to_thread(post))


class _PdfSigner(signers.PdfSigner):
    """pyHanko's signer with the signing time chosen by the caller, so the time in the signature,
    the time on the stamp and the time we store are one."""

    def __init__(self, *args, signing_time: datetime.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


class _Signer(signers.SimpleSigner):
    """pyHanko's signer, signing RSA PKCS#1 v1.5 with the key object loaded once: pyHanko's own
    re-reads the key for each signature, and checking an RSA key costs 0.1 s a time.

    (An EC key would be faster still, but pyHanko then marks the file PDF 2.0 (ISO 32002), which a
    PDF/A-3 document, based on PDF 1.7, must not be.)"""

    def __init__(self, *args, private_key: rsa.RSAPrivateKey, **kwargs):
        super().__init__(*args, **kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        return self._private_key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


@functools.lru_cache(maxsize=4)
def _cached_signer(cert_path: Path, key_path: Path, passphrase: str, stamp: tuple) -> _Signer:
    """``stamp`` (the files' times, sizes and inodes) only keys the cache."""
    certificate = _load_certificate(cert_path)
    key = _load_key(key_path, passphrase)
    if _public_der(certificate.public_key()) != _public_der(key.public_key()):
        raise SealError(
            _("The seal key %(key)s does not belong to the certificate %(cert)s.")
            % {"key": key_path, "cert": cert_path}
        )
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SealError(_("The seal key %(key)s is not an RSA key.") % {"key": key_path})
    return _Signer(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(certificate),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=SimpleCertificateStore(),
        private_key=key,
    )


def _signer() -> _Signer:
    """The configured signer, loaded again when its files change."""
    cert_path, key_path = Path(settings.SEAL_CERTIFICATE), Path(settings.SEAL_KEY)
    try:
        stamp = tuple((s.st_mtime_ns, s.st_size, s.st_ino) for s in (cert_path.stat(), key_path.stat()))
    except FileNotFoundError:
        raise _not_configured() from None
    except OSError:
        stamp = ()  # _load_certificate and _load_key say what is wrong
    return _cached_signer(cert_path, key_path, settings.SEAL_KEY_PASSPHRASE, stamp)


def _outside_event_loop(function, *args, **kwargs):
    """``function(*args, **kwargs)``: pyHanko's synchronous calls start an asyncio loop of their own,
    which fails where one already runs (an ASGI server, a test driving a browser); there, in a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def stamp_time(moment: datetime.datetime) -> str:
    """A time as the stamp and the verdict write it: d.m.yyyy HH.MM, Helsinki time."""
    local = moment.astimezone(HELSINKI)
    return f"{local.day}.{local.month}.{local.year} {local:%H.%M}"


def _same_producer(writer: IncrementalPdfFileWriter) -> None:
    """PDF/A wants the information dictionary to say what the XMP metadata says. pyHanko appends
    its name to the dictionary's /Producer but writes only its name into the XMP's pdf:Producer,
    so give the dictionary that name too."""
    try:
        info_ref = writer.trailer.raw_get("/Info")
    except KeyError:
        return
    info = info_ref.get_object()
    if "/Producer" in info:
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)


def seal_pdf(
    pdf: bytes,
    *,
    page: int,
    box: tuple[float, float, float, float],
    reason: str,
    location: str,
    contact: str = "",
) -> Sealed:
    """Seal ``pdf`` with the configured certificate: a PAdES signature with its signing time (and a
    signature timestamp when SEAL_TSA_URL is set) in an incremental update, shown as a stamp in
    ``box`` (PDF points, origin bottom left) on ``page`` (0-based). The stamp's words are in the
    active language (pin the agreement's); characters outside Windows-1252 show as "?". Raises
    ``SealError``."""
    signer = _signer()
    subject = _subject(signer.signing_cert)
    sealed_at = datetime.datetime.now(HELSINKI).replace(microsecond=0)
    timestamper = _Timestamper(settings.SEAL_TSA_URL) if settings.SEAL_TSA_URL else None
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        contact_info=contact or None,
        name=subject,
    )
    style = TextStampStyle(
        stamp_text="%(title)s\n%(subject)s\n%(when)s",
        text_box_style=TextBoxStyle(font=_StampFontFactory(), font_size=9),
        background=None,
        border_width=1,
    )
    field_spec = fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=page, box=tuple(round(v) for v in box))
    pdf_signer = _PdfSigner(
        meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=field_spec, signing_time=sealed_at
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        _same_producer(writer)
        output = _outside_event_loop(
            pdf_signer.sign_pdf,
            writer,
            appearance_text_params={
                "title": _("Digitally sealed"),
                "subject": subject,
                "when": stamp_time(sealed_at),
            },
        )
    except TimestampRequestError as e:
        raise SealUnavailable(
            _("The timestamp authority %(url)s did not answer: %(error)s") % {"url": settings.SEAL_TSA_URL, "error": e}
        ) from e
    except (PdfError, SigningError) as e:
        raise SealError(_("The PDF cannot be sealed: %(error)s") % {"error": e}) from e
    return Sealed(pdf=output.getvalue(), sealed_at=sealed_at, subject=subject)


def ready() -> None:
    """Raises ``SealError`` when the configured certificate and key cannot seal (checked before a
    final PDF is rendered, so a missing seal fails the job at once)."""
    _signer()


def warm_up() -> None:
    """Load the stamp's font and the configured key now, so that the first seal a process makes
    is as quick as the others (a worker calls this when it starts; about 0.3 s)."""
    _stamp_font()
    with contextlib.suppress(SealError):  # sealing will say so when it is asked for
        _signer()


# --- validation


def _unsealed(problem: str, *, sealed: bool = False) -> SealCheck:
    return SealCheck(
        sealed=sealed, intact=False, valid=False, covers_whole_file=False, signed_at=None, subject="", problem=problem
    )


def _made_with(cert: asn1_x509.Certificate, trust_root: asn1_x509.Certificate) -> bool:
    return cert.dump() == trust_root.dump() or cert.issuer == trust_root.subject


def _trust_roots() -> list[asn1_x509.Certificate]:
    """The configured seal certificate and the earlier ones (SEAL_EARLIER_CERTIFICATES): a PDF
    sealed before the certificate was renewed is still the portal's."""
    roots = [translate_pyca_cryptography_cert_to_asn1(_load_certificate())]
    for path in settings.SEAL_EARLIER_CERTIFICATES:
        roots.append(translate_pyca_cryptography_cert_to_asn1(_load_certificate(Path(path))))
    return roots


def validate(pdf: bytes, *, at: datetime.datetime | None = None) -> SealCheck:
    """Check the newest signature of ``pdf`` against the portal's seal certificates, as of ``at``
    (the time it was sealed, when known: a certificate that has expired since still made it; else
    now). Never raises for a bad file: the check's ``problem`` says what is wrong."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:  # noqa: BLE001  a file that is not a PDF fails in many ways inside the parser
        return _unsealed(_("The file is not a readable PDF."))
    if not signatures:
        return _unsealed(_("The file has no digital seal."))
    embedded = signatures[-1]
    try:
        roots = _trust_roots()
    except SealError as e:
        log.error("seals cannot be checked: %s", e)
        return dataclasses.replace(
            _unsealed(_("The portal cannot check seals now; try again later."), sealed=True), checked=False
        )
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=at)
    try:
        status = _outside_event_loop(
            validate_pdf_signature, embedded, signer_validation_context=context, skip_diff=True
        )
    except Exception:  # noqa: BLE001  a damaged signature container fails in many ways
        return _unsealed(_("The seal cannot be read: the file is damaged."), sealed=True)
    subject = _subject(status.signing_cert)
    signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None and status.timestamp_validity.valid:
        signed_at = status.timestamp_validity.timestamp
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    ours = status.trusted
    problem = None
    if not status.intact:
        problem = _("The seal is broken: the file was changed after it was sealed.")
    elif not status.valid:
        problem = _("The seal's signature is not valid.")
    elif not ours and any(_made_with(status.signing_cert, root) for root in roots):
        # Ours, but the check failed: an expired or not yet valid certificate, say.
        problem = _("The portal's seal certificate did not pass the check (%(reason)s).") % {
            "reason": status.trust_problem_indic or _("no valid path to it")
        }
    elif not ours:
        problem = _("The file was sealed by someone else (%(subject)s), not with this portal's seal.") % {
            "subject": subject
        }
    elif not whole:
        problem = _(
            "The seal covers revision %(revision)s of %(total)s of the file: something was added after sealing."
        ) % {"revision": embedded.signed_revision + 1, "total": reader.xrefs.total_revisions}
    return SealCheck(
        sealed=True,
        intact=status.intact,
        valid=status.intact and status.valid and ours,
        covers_whole_file=whole,
        signed_at=signed_at,
        subject=subject,
        problem=problem,
        ours=ours,
    )


__all__ = [
    "SealCheck",
    "SealError",
    "Sealed",
    "fingerprint",
    "make_certificate",
    "seal_pdf",
    "stamp_time",
    "validate",
    "warm_up",
]
