"""A readable word-level difference between two versions of a section."""

import difflib
import re
from dataclasses import dataclass

from agreements.sanitize import plain_text


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "added" or "removed"
    text: str


def text_diff(old_html: str, new_html: str) -> list[list[Piece]]:
    """Lines of pieces: what stayed, what was added and what was removed, word by word."""
    old_words = re.findall(r"\S+|\n", plain_text(old_html))
    new_words = re.findall(r"\S+|\n", plain_text(new_html))
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", " ".join(old_words[i1:i2])))
        if op in ("delete", "replace"):
            pieces.append(Piece("removed", " ".join(old_words[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("added", " ".join(new_words[j1:j2])))
    lines: list[list[Piece]] = [[]]
    for piece in pieces:
        parts = piece.text.split("\n")
        for n, part in enumerate(parts):
            if n:
                lines.append([])
            if part.strip():
                lines[-1].append(Piece(piece.kind, part.strip()))
    return [line for line in lines if line]
