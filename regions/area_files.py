"""Reading and validating the area data files before anything is written.

Four CSV files, told apart by name, make one complete composition: ``municipalities.csv``,
``wellbeing_counties.csv``, ``employment_areas.csv`` and ``regional_councils.csv``. Areas list
their members in ``member_codes`` (codes separated by semicolons). Every problem found is
collected with its file and line, so an admin can fix a file in one pass.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class AreaDataError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, object]
    member_codes: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.values["code"]  # type: ignore[return-value]


@dataclass
class AreaData:
    municipalities: dict[str, Row]
    counties: dict[str, Row]
    employment_areas: dict[str, Row]
    regional_councils: dict[str, Row]

    @property
    def composition_date(self) -> datetime.date:
        """The day the composition takes effect: the latest ``valid_from`` in the files."""
        rows = [*self.counties.values(), *self.employment_areas.values(), *self.regional_councils.values()]
        return max(r.values["valid_from"] for r in rows)  # type: ignore[type-var,return-value]


# Parsers take the cell text and return the value or raise ValueError with a readable reason.
def _code(digits: int) -> Callable[[str], str]:
    pattern = re.compile(rf"^\d{{{digits}}}$")

    def parse(text: str) -> str:
        if not pattern.match(text):
            raise ValueError(f"{text!r} is not a {digits}-digit code")
        return text

    return parse


def _text(text: str) -> str:
    if not text.strip():
        raise ValueError("is empty")
    return text.strip()


def _optional_text(text: str) -> str:
    return text.strip()


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError(f"{text!r} is not 0 or 1")
    return text == "1"


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the form 2025-01-01") from None


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in choices:
            raise ValueError(f"{text!r} is not one of {', '.join(choices)}")
        return text

    return parse


def _optional(parse: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: parse(text) if text else ""


_AREA_COLUMNS = {"valid_from": _date}
SPECS: dict[str, dict[str, Callable[[str], object]]] = {
    "municipalities.csv": {
        "code": _code(3),
        "name_fi": _text,
        "name_sv": _text,
        "language": _one_of("fi", "sv", "fi-sv", "sv-fi"),
        "is_aland": _flag,
    },
    "wellbeing_counties.csv": {
        "code": _code(2),
        "name_fi": _text,
        "name_sv": _text,
        "name_en": _optional_text,
        "is_city": _flag,
        **_AREA_COLUMNS,
    },
    "employment_areas.csv": {
        "code": _code(2),
        "name_fi": _text,
        "name_sv": _optional_text,
        "organisation_model": _one_of("vastuukunta", "single_municipality", "kuntayhtyma"),
        "responsible_municipality_code": _optional(_code(3)),
        "responsible_confidence": _one_of("verified", "medium", "low", "inferred"),
        **_AREA_COLUMNS,
    },
    "regional_councils.csv": {
        "code": _code(2),
        "name_fi": _text,
        "name_sv": _optional_text,
        "name_en": _optional_text,
        "area_name_fi": _text,
        "area_name_sv": _optional_text,
        "area_name_en": _optional_text,
        "is_aland": _flag,
        **_AREA_COLUMNS,
    },
}
AREA_FILES = ("wellbeing_counties.csv", "employment_areas.csv", "regional_councils.csv")
_MEMBER_CODE = re.compile(r"^\d{3}$")


def _collect_paths(paths: Iterable[Path], problems: list[Problem]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            candidates = [path / name for name in SPECS if (path / name).is_file()]
            if not candidates:
                problems.append(Problem(str(path), 0, f"holds none of {', '.join(SPECS)}"))
        elif path.is_file():
            if path.name not in SPECS:
                problems.append(Problem(str(path), 0, f"unknown file name; expected one of {', '.join(SPECS)}"))
                continue
            candidates = [path]
        else:
            problems.append(Problem(str(path), 0, "no such file or directory"))
            continue
        for candidate in candidates:
            if candidate.name in found:
                problems.append(Problem(str(candidate), 0, f"given twice (also {found[candidate.name]})"))
            found[candidate.name] = candidate
    for name in SPECS:
        if name not in found and not problems:
            problems.append(Problem(name, 0, "missing: the area data needs all four files together"))
    return found


def _decode(path: Path, problems: list[Problem]) -> str | None:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(str(path), line, f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8"))
        return None


def _read_file(path: Path, problems: list[Problem]) -> dict[str, Row]:
    text = _decode(path, problems)
    if text is None:
        return {}
    spec = SPECS[path.name]
    columns = [*spec, *(["member_codes"] if path.name in AREA_FILES else [])]
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            problems.append(Problem(str(path), 1, f"missing column(s): {', '.join(missing)}"))
            return {}
        rows: dict[str, Row] = {}
        while True:
            # A quoted field may span lines: a broken record is reported where it starts.
            start = reader.line_num + 1
            record = next(reader, None)
            if record is None:
                break
            line = reader.line_num
            if None in record or any(record[c] is None for c in columns):
                problems.append(Problem(str(path), line, f"has {len(header)} columns in the header but not here"))
                continue
            values: dict[str, object] = {}
            for column, parse in spec.items():
                try:
                    values[column] = parse(record[column])
                except ValueError as error:
                    problems.append(Problem(str(path), line, f"{column}: {error}"))
            row = Row(str(path), line, values)
            if "member_codes" in columns:
                row.member_codes = [c.strip() for c in record["member_codes"].split(";") if c.strip()]
                for code in row.member_codes:
                    if not _MEMBER_CODE.match(code):
                        problems.append(Problem(str(path), line, f"member_codes: {code!r} is not a 3-digit code"))
                if len(set(row.member_codes)) != len(row.member_codes):
                    problems.append(Problem(str(path), line, "member_codes: a municipality is listed twice"))
            code = values.get("code")
            if code is None:
                continue
            if code in rows:
                problems.append(Problem(str(path), line, f"duplicate code {code} (first on line {rows[code].line})"))
                continue
            rows[code] = row
        return rows
    except csv.Error as error:
        problems.append(Problem(str(path), start, f"malformed CSV: {error} (in the record starting here)"))
        return {}


_AREA_NOUN = {
    "wellbeing_counties.csv": "wellbeing services county",
    "employment_areas.csv": "employment area",
    "regional_councils.csv": "regional council area",
}


def _check_memberships(data: AreaData, problems: list[Problem]) -> None:
    """Every mainland municipality in exactly one county, employment area and council area."""
    kinds = {
        "wellbeing_counties.csv": (data.counties, False),
        "employment_areas.csv": (data.employment_areas, False),
        "regional_councils.csv": (data.regional_councils, True),
    }
    for name, (areas, aland_too) in kinds.items():
        noun = _AREA_NOUN[name]
        area_of: dict[str, Row] = {}
        for area in areas.values():
            for code in area.member_codes:
                municipality = data.municipalities.get(code)
                if municipality is None:
                    problems.append(
                        Problem(area.file, area.line, f"member {code} is not a municipality in municipalities.csv")
                    )
                    continue
                if code in area_of:
                    first = area_of[code]
                    problems.append(
                        Problem(
                            area.file,
                            area.line,
                            f"municipality {code} is in two of them: {noun} {first.code} (line {first.line}) "
                            f"and {area.code}",
                        )
                    )
                    continue
                if municipality.values.get("is_aland") and not aland_too:
                    problems.append(Problem(area.file, area.line, f"member {code} is in Åland, which has no {noun}"))
                area_of[code] = area
        for code, municipality in data.municipalities.items():
            if code not in area_of and (aland_too or not municipality.values.get("is_aland")):
                problems.append(Problem(municipality.file, municipality.line, f"municipality {code} is in no {noun}"))
    for area in data.employment_areas.values():
        responsible = area.values.get("responsible_municipality_code")
        if responsible and responsible not in area.member_codes:
            problems.append(
                Problem(
                    area.file,
                    area.line,
                    f"responsible municipality {responsible} is not a member of the area",
                )
            )
        elif not responsible and area.values.get("organisation_model") != "kuntayhtyma":
            problems.append(Problem(area.file, area.line, "responsible_municipality_code: is empty"))


def read_area_files(paths: Iterable[Path]) -> AreaData:
    """Reads and checks the four area files; raises AreaDataError listing every problem found."""
    problems: list[Problem] = []
    found = _collect_paths(list(paths), problems)
    if problems:
        raise AreaDataError(problems)
    tables = {name: _read_file(path, problems) for name, path in found.items()}
    data = AreaData(
        municipalities=tables["municipalities.csv"],
        counties=tables["wellbeing_counties.csv"],
        employment_areas=tables["employment_areas.csv"],
        regional_councils=tables["regional_councils.csv"],
    )
    if not problems:
        _check_memberships(data, problems)
    if problems:
        raise AreaDataError(problems)
    return data
