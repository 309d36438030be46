"""Writes to the area data. The loader writes all or nothing."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction

from regions.area_files import AreaData, AreaDataError, Problem, Row, read_area_files
from regions.models import (
    CountyMembership,
    EmploymentArea,
    EmploymentAreaMembership,
    Municipality,
    Organisation,
    RegionalCouncil,
    RegionalCouncilMembership,
    WellbeingCounty,
)

DEFAULT_AREA_PATH = settings.BASE_DIR / "fixtures" / "areas"

KELA_NAMES = {
    "name_fi": "Kansaneläkelaitos (Kela)",
    "name_sv": "Folkpensionsanstalten (FPA)",
    "name_en": "The Social Insurance Institution of Finland (Kela)",
}


@dataclass
class LoadReport:
    """Counts of created, updated and unchanged rows per kind, in the order they were loaded."""

    counts: dict[str, Counter] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter(created=0, updated=0, unchanged=0))[outcome] += n

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())


def _upsert(model: type[models.Model], rows: dict[str, dict], kind: str, report: LoadReport) -> dict[str, models.Model]:
    existing = {obj.code: obj for obj in model.objects.all()}
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            obj = model(code=code, **values)
            obj.save()
            existing[code] = obj
            report.count(kind, "created")
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
            report.count(kind, "updated")
        else:
            report.count(kind, "unchanged")
    return existing


def _sync_memberships(
    model: type[models.Model],
    area_field: str,
    areas: dict[str, Row],
    area_objects: dict[str, models.Model],
    municipalities: dict[str, Municipality],
    end_day: datetime.date,
    kind: str,
    report: LoadReport,
    problems: list[Problem],
) -> None:
    """Makes the open memberships match the files: a move closes the old row and opens a new one."""
    open_rows = {m.municipality_id: m for m in model.objects.current()}
    to_create = []
    for area_code, row in areas.items():
        area = area_objects[area_code]
        valid_from = row.values["valid_from"]
        for code in row.member_codes:
            municipality = municipalities[code]
            current = open_rows.pop(municipality.pk, None)
            if current is not None and getattr(current, f"{area_field}_id") == area.pk:
                report.count(kind, "unchanged")
                continue
            if current is not None:
                if valid_from <= current.valid_from:
                    problems.append(
                        Problem(
                            row.file,
                            row.line,
                            f"municipality {code} moves here on {valid_from}, but its current membership "
                            f"began on {current.valid_from}; the new composition needs a later valid_from",
                        )
                    )
                    continue
                current.valid_to = valid_from
                current.save(update_fields=["valid_to"])
                report.count(kind, "updated")
            to_create.append(model(municipality=municipality, valid_from=valid_from, **{area_field: area}))
    for leftover in open_rows.values():
        if end_day <= leftover.valid_from:
            problems.append(
                Problem(kind, 0, f"a membership that began on {leftover.valid_from} cannot end on {end_day}")
            )
            continue
        leftover.valid_to = end_day
        leftover.save(update_fields=["valid_to"])
        report.count(kind, "updated")
    model.objects.bulk_create(to_create)
    report.count(kind, "created", len(to_create))


def _kela_ensure(report: LoadReport) -> None:
    kela = Organisation.objects.filter(kind=Organisation.Kind.KELA).first()
    if kela is None:
        Organisation.objects.create(kind=Organisation.Kind.KELA, **KELA_NAMES)
        report.count("national organisations", "created")
    else:
        # Kela's names are ours to keep; an admin may have added its business ID.
        report.count("national organisations", "unchanged")


def _employment_area_values(row: Row, municipalities: dict[str, Municipality]) -> dict:
    values = {k: v for k, v in row.values.items() if k not in ("code", "valid_from", "responsible_municipality_code")}
    code = row.values["responsible_municipality_code"]
    values["responsible_municipality"] = municipalities[code] if code else None
    return values


def _apply(data: AreaData, report: LoadReport) -> None:
    problems: list[Problem] = []
    day = data.composition_date

    def plain(rows: dict[str, Row]) -> dict[str, dict]:
        return {
            code: {k: v for k, v in r.values.items() if k not in ("code", "valid_from")} for code, r in rows.items()
        }

    municipality_values = plain(data.municipalities)
    for values in municipality_values.values():
        values["abolished_on"] = None
    municipalities = _upsert(Municipality, municipality_values, "municipalities", report)
    for municipality in municipalities.values():
        if municipality.code not in data.municipalities and municipality.abolished_on is None:
            municipality.abolished_on = day
            municipality.save(update_fields=["abolished_on"])
            report.count("municipalities", "updated")

    counties = _upsert(WellbeingCounty, plain(data.counties), "wellbeing services counties", report)
    councils = _upsert(RegionalCouncil, plain(data.regional_councils), "regional councils", report)

    corrected = set(
        EmploymentArea.objects.filter(responsible_confidence=EmploymentArea.Confidence.CORRECTED).values_list(
            "code", flat=True
        )
    )
    area_values = {}
    for code, row in data.employment_areas.items():
        values = _employment_area_values(row, municipalities)
        if code in corrected:
            del values["responsible_municipality"], values["responsible_confidence"]
        area_values[code] = values
    if corrected:
        report.notes.append(
            "kept the responsible municipality an admin corrected for employment area(s) "
            + ", ".join(sorted(corrected))
        )
    areas = _upsert(EmploymentArea, area_values, "employment areas", report)
    _kela_ensure(report)

    for model, field_name, rows, objects, kind in (
        (CountyMembership, "county", data.counties, counties, "county memberships"),
        (
            EmploymentAreaMembership,
            "employment_area",
            data.employment_areas,
            areas,
            "employment area memberships",
        ),
        (
            RegionalCouncilMembership,
            "regional_council",
            data.regional_councils,
            councils,
            "council memberships",
        ),
    ):
        _sync_memberships(model, field_name, rows, objects, municipalities, day, kind, report, problems)
    if problems:
        raise AreaDataError(problems)


def areas_load(*, paths: Iterable[Path] = (DEFAULT_AREA_PATH,)) -> LoadReport:
    """Loads a complete composition of the area data: validated first, then written all or nothing.

    Raises AreaDataError naming file, line and problem; the database is then unchanged.
    """
    data = read_area_files(paths)
    report = LoadReport()
    with transaction.atomic():
        _apply(data, report)
    return report


@transaction.atomic
def employment_area_responsible_set(*, area: EmploymentArea, municipality: Municipality | None) -> EmploymentArea:
    """Records an admin's correction of the responsible municipality; later loads keep it."""
    area = EmploymentArea.objects.select_for_update().get(pk=area.pk)
    area.responsible_municipality = municipality
    area.responsible_confidence = EmploymentArea.Confidence.CORRECTED
    area.save(update_fields=["responsible_municipality", "responsible_confidence"])
    return area
