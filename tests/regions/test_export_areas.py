import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

REFERENCE = settings.BASE_DIR.parent / "shared" / "reference" / "municipalities.csv"
FIXTURES = settings.BASE_DIR / "fixtures" / "areas"
HEADER = "municipality_code,municipality_name_fi,county_code,employment_area_code,regional_council_code"


def export(*args) -> list[list[str]]:
    out = io.StringIO()
    call_command("export_areas", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def expected_from_fixtures() -> list[list[str]]:
    """The composition read straight from the fixture files' member lists."""

    def area_of(name: str) -> dict[str, str]:
        with (FIXTURES / name).open(encoding="utf-8") as f:
            return {m: row["code"] for row in csv.DictReader(f) for m in row["member_codes"].split(";")}

    county, area, council = (
        area_of(n) for n in ("wellbeing_counties.csv", "employment_areas.csv", "regional_councils.csv")
    )
    with (FIXTURES / "municipalities.csv").open(encoding="utf-8") as f:
        return sorted(
            [m["code"], m["name_fi"], county.get(m["code"], ""), area.get(m["code"], ""), council[m["code"]]]
            for m in csv.DictReader(f)
        )


def test_export_has_the_documented_header_and_all_308_municipalities(areas):
    rows = export()

    assert ",".join(rows[0]) == HEADER
    assert len(rows) == 1 + 308


def test_export_matches_the_composition_in_the_fixture_files(areas):
    assert export()[1:] == expected_from_fixtures()


@pytest.mark.skipif(
    not REFERENCE.exists(), reason=f"the project's reference data is not beside the clone ({REFERENCE})"
)
def test_export_matches_the_reference_data(areas):
    with Path(REFERENCE).open(encoding="utf-8") as f:
        reference = sorted(
            [r["code"], r["name_fi"], r["hva_code"], r["employment_area_code"], r["maakunta_code"]]
            for r in csv.DictReader(f)
        )

    assert export()[1:] == reference


def test_export_of_a_day_before_the_data_has_no_memberships(areas):
    rows = export("--on", "2024-12-31")

    assert all(row[2:] == ["", "", ""] for row in rows[1:])


def test_export_refuses_a_malformed_day(areas):
    with pytest.raises(CommandError, match="--on: '31.12.2024' is not a date"):
        export("--on", "31.12.2024")
