"""What the PDF tests share: reading a PDF back with tools that are not ours (poppler, qpdf)."""

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@dataclass
class Pdf:
    """A PDF written to a file, read by poppler's and qpdf's command-line tools."""

    path: Path

    @classmethod
    def of(cls, content: bytes, folder: Path, name: str = "document.pdf") -> "Pdf":
        path = folder / name
        path.write_bytes(content)
        return cls(path)

    def pages_text(self) -> list[str]:
        """Each page's text (pdftotext), with every run of white space as one space."""
        text = _run("pdftotext", "-enc", "UTF-8", str(self.path), "-")
        return [re.sub(r"\s+", " ", page).strip() for page in text.split("\f")[:-1]]

    @property
    def text(self) -> str:
        return " ".join(self.pages_text())

    def text_in(self, page: int, box: tuple[float, float, float, float], page_height: float) -> str:
        """The text pdftotext finds inside ``box`` (PDF points, origin bottom left) on ``page`` (0-based)."""
        x1, y1, x2, y2 = box
        args = ["-f", str(page + 1), "-l", str(page + 1), "-x", str(int(x1)), "-y", str(int(page_height - y2))]
        args += ["-W", str(int(x2 - x1)), "-H", str(int(y2 - y1))]
        return _run("pdftotext", "-enc", "UTF-8", *args, str(self.path), "-").strip()

    def info(self) -> dict[str, str]:
        rows = (line.split(":", 1) for line in _run("pdfinfo", str(self.path)).splitlines() if ":" in line)
        return {key.strip(): value.strip() for key, value in rows}

    def metadata(self) -> str:
        return _run("pdfinfo", "-meta", str(self.path))

    def fonts(self) -> list[dict[str, str]]:
        """pdffonts' rows: name, type and whether embedded (emb)."""
        lines = _run("pdffonts", str(self.path)).splitlines()[2:]
        rows = []
        for line in lines:
            parts = line.split()
            # name, type (one or more words), encoding, emb, sub, uni, object, generation
            rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
        return rows

    def qpdf_check(self) -> subprocess.CompletedProcess:
        return subprocess.run(["qpdf", "--check", str(self.path)], capture_output=True, text=True)

    def catalog(self) -> dict:
        data = json.loads(_run("qpdf", "--json", "--json-key=qpdf", str(self.path)))
        objects = data["qpdf"][1]
        root = objects["trailer"]["value"]["/Root"]
        return objects[f"obj:{root}"]["value"]

    def attachments(self) -> list[str]:
        """pdfdetach's list of embedded files, by name."""
        lines = _run("pdfdetach", "-list", str(self.path)).splitlines()[1:]
        return [line.split(": ", 1)[1] for line in lines]

    def attachment(self, number: int = 1) -> bytes:
        out = self.path.with_suffix(f".{number}.bin")
        _run("pdfdetach", "-save", str(number), "-o", str(out), str(self.path))
        return out.read_bytes()


@pytest.fixture
def pdf_reader(tmp_path):
    """``pdf_reader(content)``: a ``Pdf`` of those bytes in the test's own folder."""
    count = iter(range(1000))
    return lambda content: Pdf.of(content, tmp_path, f"document-{next(count)}.pdf")
