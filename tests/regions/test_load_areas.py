import datetime
import io

from django.core.management import call_command

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
from regions.selectors import composition_on


def load(*paths) -> str:
    out = io.StringIO()
    call_command("load_areas", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def empty_area_tables():
    for model in (CountyMembership, EmploymentAreaMembership, RegionalCouncilMembership):
        model.objects.all().delete()
    EmploymentArea.objects.all().delete()
    for model in (WellbeingCounty, RegionalCouncil, Municipality):
        model.objects.all().delete()
    Organisation.objects.all().delete()


def test_the_shipped_fixtures_load_with_finlands_2025_counts(areas):
    empty_area_tables()

    output = load()

    assert Municipality.objects.count() == 308
    assert Municipality.objects.filter(is_aland=False).count() == 292
    assert Municipality.objects.filter(is_aland=True).count() == 16
    assert WellbeingCounty.objects.count() == 22
    assert EmploymentArea.objects.count() == 45
    assert RegionalCouncil.objects.filter(is_aland=False).count() == 18
    assert RegionalCouncil.objects.filter(is_aland=True).count() == 1
    assert Organisation.objects.filter(kind=Organisation.Kind.KELA).count() == 1
    assert CountyMembership.objects.current().count() == 292
    assert EmploymentAreaMembership.objects.current().count() == 292
    assert RegionalCouncilMembership.objects.current().count() == 308
    assert "Loaded: 1287 created, 0 updated, 0 unchanged." in output
    assert "municipalities                308 created" in output


def test_a_second_load_creates_and_updates_nothing(areas):
    output = load()

    assert "Loaded: 0 created, 0 updated, 1287 unchanged." in output


def test_helsinki_is_the_22nd_organiser_of_its_own_services(areas):
    helsinki = WellbeingCounty.objects.get(code="90")

    assert helsinki.is_city
    assert helsinki.name_fi == "Helsingin kaupunki"
    assert list(helsinki.memberships.current().values_list("municipality__code", flat=True)) == ["091"]


def test_five_employment_areas_span_two_counties(areas):
    composition = composition_on(datetime.date(2025, 3, 1))
    counties = dict(WellbeingCounty.objects.values_list("pk", "name_fi"))
    spanning = {}
    for area in EmploymentArea.objects.all():
        names = sorted(counties[c] for c in composition.counties_of_employment_area(area.pk))
        if len(names) > 1:
            spanning[area.name_fi] = names

    assert spanning == {
        "Kainuu-Koillismaa": ["Kainuun hyvinvointialue", "Pohjois-Pohjanmaan hyvinvointialue"],
        "Suupohja": ["Etelä-Pohjanmaan hyvinvointialue", "Pohjanmaan hyvinvointialue"],
        "Keski-Savo": ["Etelä-Savon hyvinvointialue", "Pohjois-Savon hyvinvointialue"],
        "Eteläinen Keski-Suomi": ["Keski-Suomen hyvinvointialue", "Pirkanmaan hyvinvointialue"],
        "Kerava-Sipoo": ["Itä-Uudenmaan hyvinvointialue", "Vantaan ja Keravan hyvinvointialue"],
    }


def test_aland_municipalities_belong_only_to_their_regional_council_area(areas):
    aland = Municipality.objects.filter(is_aland=True)

    assert not CountyMembership.objects.filter(municipality__in=aland).exists()
    assert not EmploymentAreaMembership.objects.filter(municipality__in=aland).exists()
    assert set(
        RegionalCouncilMembership.objects.filter(municipality__in=aland).values_list(
            "regional_council__code", flat=True
        )
    ) == {"21"}
