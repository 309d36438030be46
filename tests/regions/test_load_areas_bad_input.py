"""Bad area files: the command names file, line and problem, exits non-zero and writes nothing."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from regions.models import (
    CountyMembership,
    EmploymentArea,
    EmploymentAreaMembership,
    Municipality,
    Organisation,
    RegionalCouncilMembership,
)
from regions.selectors import composition_on
from regions.services import DEFAULT_AREA_PATH


@pytest.fixture
def files(tmp_path) -> Path:
    """A copy of the shipped area files to spoil."""
    folder = tmp_path / "areas"
    shutil.copytree(DEFAULT_AREA_PATH, folder, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return folder


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, starts: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(starts))


def snapshot() -> tuple:
    """Everything the loader may write, in a comparable form."""
    return (
        sorted(Organisation.objects.values_list("pk", "kind", "name_fi", "name_sv", "name_en", "business_id")),
        sorted(Municipality.objects.values_list("pk", "code", "language", "is_aland", "abolished_on")),
        sorted(EmploymentArea.objects.values_list("pk", "responsible_municipality", "responsible_confidence")),
        *(
            sorted(model.objects.values_list("pk", "municipality", "valid_from", "valid_to"))
            for model in (CountyMembership, EmploymentAreaMembership, RegionalCouncilMembership)
        ),
    )


def load_fails(capsys, *paths) -> str:
    with pytest.raises(CommandError, match="the database is unchanged"):
        call_command("load_areas", *[str(p) for p in paths])
    return capsys.readouterr().err


def spoil_malformed_quote(f):
    edit(f / "municipalities.csv", "837,Tampere,", '837,"Tampere,')
    return "municipalities.csv", line_of(f / "municipalities.csv", "837,"), "malformed CSV"


def spoil_extra_column(f):
    edit(f / "municipalities.csv", "837,Tampere,Tammerfors,fi,0", "837,Tampere,Tammerfors,fi,0,surprise")
    return (
        "municipalities.csv",
        line_of(f / "municipalities.csv", "837,"),
        "has 5 columns in the header but not here",
    )


def spoil_encoding(f):
    path = f / "municipalities.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    first_non_ascii = next(n for n, line in enumerate(path.read_bytes().splitlines(), 1) if max(line) > 127)
    return "municipalities.csv", first_non_ascii, "not UTF-8"


def spoil_missing_column(f):
    edit(f / "employment_areas.csv", ",organisation_model,", ",model,")
    return "employment_areas.csv", 1, "missing column(s): organisation_model"


def spoil_unknown_code(f):
    edit(f / "wellbeing_counties.csv", ";837;", ";999;")
    return (
        "wellbeing_counties.csv",
        line_of(f / "wellbeing_counties.csv", "08,"),
        "member 999 is not a municipality",
    )


def spoil_malformed_code(f):
    edit(f / "municipalities.csv", "837,Tampere", "8x7,Tampere")
    return (
        "municipalities.csv",
        line_of(f / "municipalities.csv", "8x7,"),
        "code: '8x7' is not a 3-digit code",
    )


def spoil_duplicate_code(f):
    path = f / "municipalities.csv"
    path.write_text(path.read_text(encoding="utf-8") + "837,Tampere,Tammerfors,fi,0\n", encoding="utf-8")
    return "municipalities.csv", 310, "duplicate code 837 (first on line"


def spoil_municipality_in_no_county(f):
    edit(f / "wellbeing_counties.csv", ";837;", ";")
    return (
        "municipalities.csv",
        line_of(f / "municipalities.csv", "837,"),
        "municipality 837 is in no wellbeing services county",
    )


def spoil_municipality_in_two_counties(f):
    edit(f / "wellbeing_counties.csv", "2025-01-01,019;", "2025-01-01,837;019;")  # also in Varsinais-Suomi
    return (
        "wellbeing_counties.csv",
        line_of(f / "wellbeing_counties.csv", "08,"),
        "municipality 837 is in two of them",
    )


def spoil_employment_area_member_missing(f):
    edit(f / "employment_areas.csv", ";837;", ";837;998;")
    return (
        "employment_areas.csv",
        line_of(f / "employment_areas.csv", "39,"),
        "member 998 is not a municipality",
    )


def spoil_responsible_not_member(f):
    edit(
        f / "employment_areas.csv",
        "39,Tampereen seutu,Tammerforsregionen,vastuukunta,837",
        "39,Tampereen seutu,Tammerforsregionen,vastuukunta,091",
    )
    return (
        "employment_areas.csv",
        line_of(f / "employment_areas.csv", "39,"),
        "responsible municipality 091 is not a member",
    )


def spoil_bad_date(f):
    edit(f / "regional_councils.csv", "2025-01-01", "1.1.2025")
    return "regional_councils.csv", 2, "valid_from: '1.1.2025' is not a date"


def spoil_missing_file(f):
    (f / "employment_areas.csv").unlink()
    return "employment_areas.csv", 0, "missing: the area data needs all four files together"


SPOILERS = [
    spoil_malformed_quote,
    spoil_extra_column,
    spoil_encoding,
    spoil_missing_column,
    spoil_unknown_code,
    spoil_malformed_code,
    spoil_duplicate_code,
    spoil_municipality_in_no_county,
    spoil_municipality_in_two_counties,
    spoil_employment_area_member_missing,
    spoil_responsible_not_member,
    spoil_bad_date,
    spoil_missing_file,
]


@pytest.mark.parametrize("spoil", SPOILERS, ids=[s.__name__.removeprefix("spoil_") for s in SPOILERS])
def test_bad_input_is_named_and_changes_nothing(areas, files, capsys, spoil):
    name, line, message = spoil(files)
    before = snapshot()

    errors = load_fails(capsys, files)

    location = f"{name}:{line}: " if line else f"{name}: "
    assert any(location in err and message in err for err in errors.splitlines()), errors
    assert snapshot() == before


def test_a_file_with_an_unknown_name_is_refused(areas, files, capsys):
    stray = files / "kunnat.csv"
    stray.write_text("code\n", encoding="utf-8")

    errors = load_fails(capsys, stray)

    assert "kunnat.csv: unknown file name" in errors


def test_every_problem_in_a_file_is_reported_at_once(areas, files, capsys):
    edit(files / "municipalities.csv", "837,Tampere,Tammerfors,fi,0", "837,Tampere,Tammerfors,klingon,0")
    edit(files / "municipalities.csv", "536,Nokia,Nokia,fi,0", "536,Nokia,Nokia,fi,maybe")

    errors = load_fails(capsys, files)

    assert "language: 'klingon' is not one of fi, sv, fi-sv, sv-fi" in errors
    assert "is_aland: 'maybe' is not 0 or 1" in errors


def test_a_failure_while_writing_rolls_back_what_was_already_written(areas, files, capsys):
    # The rename passes every check and is written first; the move that starts before the current
    # membership is only found while writing memberships. Neither may remain.
    edit(files / "municipalities.csv", "837,Tampere,Tammerfors", "837,Tampere (renamed),Tammerfors")
    edit(files / "employment_areas.csv", ";536;", ";")
    edit(files / "employment_areas.csv", "21,Läntinen Pirkanmaa", "21,Läntinen Pirkanmaa")
    text = (files / "employment_areas.csv").read_text(encoding="utf-8")
    line21 = next(line for line in text.splitlines() if line.startswith("21,"))
    edit(files / "employment_areas.csv", line21, line21.replace("2025-01-01,", "2024-06-01,536;"))
    before = snapshot()

    errors = load_fails(capsys, files)

    assert "municipality 536 moves here on 2024-06-01, but its current membership began on 2025-01-01" in errors
    assert snapshot() == before
    assert Municipality.objects.get(code="837").name_fi == "Tampere"


def test_a_move_next_year_is_a_new_membership_and_history_stays(areas, files):
    edit(files / "employment_areas.csv", ";536;", ";")
    text = (files / "employment_areas.csv").read_text(encoding="utf-8")
    line21 = next(line for line in text.splitlines() if line.startswith("21,"))
    edit(files / "employment_areas.csv", line21, line21.replace("2025-01-01,", "2026-01-01,536;"))

    output = call_command_output(files)

    nokia = Municipality.objects.get(code="536")
    assert "employment area memberships     1 created     1 updated   291 unchanged" in output
    area_on = {
        day: composition_on(day).employment_area_of[nokia.pk]
        for day in (datetime.date(2025, 6, 1), datetime.date(2026, 6, 1))
    }
    assert EmploymentArea.objects.get(pk=area_on[datetime.date(2025, 6, 1)]).code == "39"
    assert EmploymentArea.objects.get(pk=area_on[datetime.date(2026, 6, 1)]).code == "21"
    assert nokia.employment_area_memberships.count() == 2


def test_a_municipality_left_out_of_a_new_composition_is_abolished(areas, files):
    # Like Pertunmaa merging into Mäntyharju: Nokia's rows go, its area memberships end.
    for name in ("municipalities.csv",):
        edit(files / name, "536,Nokia,Nokia,fi,0\n", "")
    for name in ("wellbeing_counties.csv", "employment_areas.csv", "regional_councils.csv"):
        edit(files / name, ";536;", ";")
        edit(files / name, "2025-01-01", "2026-01-01", count=-1)

    call_command_output(files)

    nokia = Municipality.objects.get(code="536")
    assert nokia.abolished_on == datetime.date(2026, 1, 1)
    assert not nokia.county_memberships.current().exists()
    assert nokia.county_memberships.valid_on(datetime.date(2025, 12, 31)).get().county.code == "08"


def test_an_admins_correction_of_the_responsible_municipality_survives_a_reload(areas):
    from regions.services import employment_area_responsible_set

    area = EmploymentArea.objects.get(code="39")
    employment_area_responsible_set(area=area, municipality=Municipality.objects.get(code="211"))

    output = call_command_output(DEFAULT_AREA_PATH)

    area.refresh_from_db()
    assert area.responsible_municipality.code == "211"
    assert area.responsible_confidence == EmploymentArea.Confidence.CORRECTED
    assert "kept the responsible municipality an admin corrected for employment area(s) 39" in output


def call_command_output(*paths) -> str:
    import io

    out = io.StringIO()
    call_command("load_areas", *[str(p) for p in paths], stdout=out)
    return out.getvalue()
