from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Annex, Forum, Goal, Indicator
from agreements.services import annex_add, forum_save, goal_save, indicator_save, measure_save
from tests.agreements.factories import start_strategic

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def agreement(alice):
    return start_strategic()


def test_a_goal_has_measures_indicators_and_responsible_parties(agreement, alice):
    tampere, nokia = agreement.parties.get(official_name="Tampere"), agreement.parties.get(official_name="Nokia")

    goal = goal_save(
        agreement=agreement,
        by=alice,
        title="Lasten hyvinvointi",
        theme="children_and_youth",
        responsible_parties=[tampere, nokia],
    )
    measure_save(
        goal=goal, by=alice, description="Perhekeskus", lead_party=tampere, co_parties=[nokia], schedule="2026–2027"
    )
    indicator_save(
        goal=goal,
        by=alice,
        name="Kiusatuksi tulleet",
        unit="%",
        baseline_value=Decimal("7.5"),
        baseline_year=2023,
        target_value=Decimal("5"),
        target_year=2028,
        data_source="Sotkanet",
        sotkanet_id=5120,
        frequency=Indicator.Frequency.YEARLY,
    )

    goal.refresh_from_db()
    assert set(goal.responsible_parties.values_list("official_name", flat=True)) == {"Tampere", "Nokia"}
    assert goal.measures.get().lead_party == tampere
    assert goal.indicators.get().sotkanet_id == 5120


def test_parties_of_another_agreement_are_refused(agreement, alice, dave):
    helsinki = start_strategic("90")

    with pytest.raises(ValidationError, match="parties of this agreement"):
        goal_save(
            agreement=agreement, by=alice, title="x", theme="other", responsible_parties=[helsinki.parties.first()]
        )
    assert not Goal.objects.exists()


def test_an_indicator_target_cannot_come_before_its_baseline(agreement, alice):
    goal = goal_save(agreement=agreement, by=alice, title="x", theme="other")

    with pytest.raises(ValidationError):
        indicator_save(goal=goal, by=alice, name="x", baseline_year=2025, target_year=2020)


def test_a_forum_keeps_its_members_and_seats(agreement, alice):
    county, tampere, nokia = (
        agreement.parties.all()[0],
        agreement.parties.get(official_name="Tampere"),
        agreement.parties.get(official_name="Nokia"),
    )

    forum = forum_save(
        agreement=agreement,
        by=alice,
        name="Poliittinen ohjausryhmä",
        level=Forum.Level.POLITICAL,
        chair=county,
        meeting_frequency="4 kertaa vuodessa",
        seats={county: 3, tampere: 2, nokia: 0},
    )
    forum = forum_save(
        agreement=agreement,
        by=alice,
        forum=forum,
        name=forum.name,
        level=forum.level,
        chair=county,
        seats={county: 3, nokia: 1},
    )

    assert dict(forum.seats.values_list("party__official_name", "seats")) == {county.official_name: 3, "Nokia": 1}


def test_a_signatory_cannot_change_goals(agreement, sam):
    with pytest.raises(PermissionDenied):
        goal_save(agreement=agreement, by=sam, title="x", theme="other")


def upload(content: bytes, name: str = "liite.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_pdf_annex_is_stored_with_its_size(agreement, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    annex = annex_add(agreement=agreement, by=alice, title="Aluevaltuuston päätös", upload=upload(PDF))

    assert annex.size == len(PDF)
    assert annex.file.read() == PDF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a pdf %%EOF", "not a PDF document"),
        (b"<html><script>alert(1)</script></html>", "not a PDF document"),
        (b"%PDF-1.4 but truncated", "not a PDF document"),
    ],
)
def test_an_annex_that_is_not_a_pdf_is_refused_whatever_its_name(
    agreement, alice, settings, tmp_path, content, message
):
    settings.MEDIA_ROOT = tmp_path

    with pytest.raises(ValidationError, match=message):
        annex_add(agreement=agreement, by=alice, title="x", upload=upload(content, "huijaus.pdf"))
    assert not Annex.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_an_annex_over_the_size_limit_is_refused(agreement, alice, settings, tmp_path):
    settings.MEDIA_ROOT, settings.ANNEX_MAX_BYTES = tmp_path, 100

    with pytest.raises(ValidationError, match="at most"):
        annex_add(agreement=agreement, by=alice, title="x", upload=upload(PDF + b" " * 200))


def test_the_upload_form_shows_the_error_next_to_the_field(client, agreement, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)

    response = client.post(
        reverse("agreements:annex_add", args=[agreement.pk]),
        {"annex-title": "Liite", "annex-file": upload(b"GIF89a")},
        headers={"accept-language": "en"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The file is not a PDF document" in html
    assert "<h1>Add an annex</h1>" in html and 'value="Liite"' in html


def test_an_annex_downloads_for_parties_only(client, agreement, alice, dave, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    annex = annex_add(agreement=agreement, by=alice, title="Liite", upload=upload(PDF))
    url = reverse("agreements:annex_download", args=[agreement.pk, annex.pk])

    client.force_login(alice)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(dave)
    assert client.get(url).status_code == 404


def test_the_goal_table_is_edited_through_the_page(client, agreement, alice):
    client.force_login(alice)

    response = client.post(
        reverse("agreements:goal_add", args=[agreement.pk]),
        {"goal-new-title": "Työllisyys", "goal-new-theme": "employment"},
    )
    goal = Goal.objects.get()
    client.post(
        reverse("agreements:indicator_add", args=[agreement.pk, goal.pk]),
        {
            f"indicator-new-{goal.pk}-name": "Työttömyysaste",
            f"indicator-new-{goal.pk}-unit": "%",
            f"indicator-new-{goal.pk}-baseline_value": "9.1",
            f"indicator-new-{goal.pk}-baseline_year": "2024",
            f"indicator-new-{goal.pk}-frequency": "yearly",
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("agreements:section", args=[agreement.pk, "3.2"])).content.decode()
    assert "Työttömyysaste (%)" in page and "9,1 (2024)" in page


def test_an_invalid_goal_shows_the_error_and_keeps_the_input(client, agreement, alice):
    client.force_login(alice)

    response = client.post(
        reverse("agreements:goal_add", args=[agreement.pk]),
        {"goal-new-title": "Puolikas tavoite", "goal-new-theme": ""},
        headers={"accept-language": "en"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html
    assert 'value="Puolikas tavoite"' in html


def test_the_goal_page_runs_the_same_queries_for_1_or_6_goals(client, agreement, alice, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    parties = list(agreement.parties.all()[:3])

    def add_goal(n):
        goal = goal_save(
            agreement=agreement, by=alice, title=f"Tavoite {n}", theme="other", responsible_parties=parties
        )
        measure_save(goal=goal, by=alice, description="m", lead_party=parties[0], co_parties=parties[1:])
        indicator_save(goal=goal, by=alice, name="i")
        forum_save(agreement=agreement, by=alice, name=f"F{n}", level="expert", seats=dict.fromkeys(parties, 1))

    add_goal(0)
    client.force_login(alice)
    url = reverse("agreements:section", args=[agreement.pk, "3.2"])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(1, 6):
        add_goal(n)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
    forums = reverse("agreements:section", args=[agreement.pk, "4.1"])
    with CaptureQueriesContext(connection) as six_forums:
        client.get(forums)
    assert len(six_forums.captured_queries) <= len(one.captured_queries) + 2


def test_an_edit_form_opens_alone_for_htmx_and_as_a_page_without_it(client, agreement, alice):
    goal = goal_save(agreement=agreement, by=alice, title="Tavoite", theme="other")
    client.force_login(alice)
    url = reverse("agreements:goal_save", args=[agreement.pk, goal.pk])

    fragment = client.get(url, headers={"hx-request": "true", "accept-language": "en"}).content.decode()
    page = client.get(url, headers={"accept-language": "en"}).content.decode()

    assert fragment.startswith("<form") and 'value="Tavoite"' in fragment
    assert "<h1>Edit the goal</h1>" in page and 'value="Tavoite"' in page


def test_a_service_refuses_an_item_of_another_agreement(agreement, alice, dave):
    helsinki = start_strategic("90")
    foreign_goal = goal_save(agreement=helsinki, by=dave, title="Helsingin tavoite", theme="other")

    with pytest.raises(ValidationError, match="removed meanwhile"):
        goal_save(agreement=agreement, goal=foreign_goal, by=alice, title="Kaapattu", theme="other")
    foreign_goal.refresh_from_db()
    assert foreign_goal.title == "Helsingin tavoite"


def test_editing_a_goal_someone_just_removed_does_not_bring_it_back(agreement, alice, bob):
    from agreements.services import structured_delete

    goal = goal_save(agreement=agreement, by=alice, title="Tavoite", theme="other")
    stale = Goal.objects.get(pk=goal.pk)
    structured_delete(item=goal, by=bob)

    with pytest.raises(ValidationError, match="removed meanwhile"):
        goal_save(agreement=agreement, goal=stale, by=alice, title="Takaisin", theme="other")
    with pytest.raises(ValidationError, match="removed meanwhile"):
        measure_save(goal=stale, by=alice, description="x")
    assert not Goal.objects.exists()


def test_an_annex_is_served_sandboxed(client, agreement, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    annex = annex_add(agreement=agreement, by=alice, title="Liite", upload=upload(PDF))
    client.force_login(alice)

    response = client.get(reverse("agreements:annex_download", args=[agreement.pk, annex.pk]))

    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_goal_edited_with_its_measure_and_indicator_is_one_timeline_entry(client, agreement, alice, bob):
    from agreements.models import Event

    goal = goal_save(agreement=agreement, by=alice, title="Asuminen", theme="housing")
    measure_save(goal=goal, by=alice, description="Asumisneuvonta")
    indicator_save(goal=goal, by=alice, name="Asunnottomat", unit="hlöä")
    goal_save(agreement=agreement, by=alice, goal=goal, title="Asuminen", theme="housing", description="Tarkennus")
    forum_save(agreement=agreement, by=alice, name="Ohjausryhmä", level="executive")
    forum_save(agreement=agreement, by=alice, name="Ohjausryhmä", level="executive", forum=Forum.objects.get())
    goal_save(agreement=agreement, by=bob, goal=goal, title="Asuminen", theme="housing")  # another person
    goal_save(agreement=agreement, by=alice, title="Liikunta", theme="housing")  # another goal

    timeline = list(agreement.events.order_by("at", "pk").values_list("kind", "actor__username", "subject"))
    assert timeline[1:] == [
        (Event.Kind.GOALS_CHANGED, "alice", "Asuminen"),
        (Event.Kind.FORUMS_CHANGED, "alice", "Ohjausryhmä"),
        (Event.Kind.GOALS_CHANGED, "bob", "Asuminen"),
        (Event.Kind.GOALS_CHANGED, "alice", "Liikunta"),
    ]
    client.force_login(alice)
    page = client.get(reverse("agreements:detail", args=[agreement.pk]), headers={"accept-language": "en"})
    assert page.content.decode().count("Asuminen") == 2


def post_indicator(client, agreement, goal, language: str, **values):
    prefix = f"indicator-new-{goal.pk}"
    data = {f"{prefix}-name": "Kiusatuksi tulleet", f"{prefix}-frequency": "yearly"}
    data.update({f"{prefix}-{name}": value for name, value in values.items()})
    return client.post(
        reverse("agreements:indicator_add", args=[agreement.pk, goal.pk]), data, headers={"accept-language": language}
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_an_indicator_value_typed_with_a_decimal_comma_is_stored_as_it_was_meant(client, agreement, alice, language):
    goal = goal_save(agreement=agreement, by=alice, title="Tavoite", theme="other")
    client.force_login(alice)

    response = post_indicator(client, agreement, goal, language, baseline_value="12,5", target_value="1 234,5")

    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.baseline_value, indicator.target_value) == (Decimal("12.5"), Decimal("1234.5"))


@pytest.mark.parametrize(("language", "shown"), [("fi", "12,5"), ("sv", "12,5"), ("en", "12.5")])
def test_indicator_values_are_shown_in_the_readers_format_in_the_table_and_the_form(
    client, agreement, alice, language, shown
):
    goal = goal_save(agreement=agreement, by=alice, title="Tavoite", theme="other")
    indicator = indicator_save(goal=goal, by=alice, name="Kiusatuksi tulleet", baseline_value=Decimal("12.5"))
    client.force_login(alice)
    headers = {"accept-language": language}

    table = client.get(reverse("agreements:section", args=[agreement.pk, "3.2"]), headers=headers).content.decode()
    form = client.get(
        reverse("agreements:indicator_save", args=[agreement.pk, goal.pk, indicator.pk]), headers=headers
    ).content.decode()

    assert f">{shown}</td>" in table
    assert f'value="{shown}"' in form and 'inputmode="decimal"' in form and 'type="number"' not in form


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,234", "“1,234” could be read as a whole number or as a decimal number."),
        ("1.234,5", "Enter a number, such as 12.5."),
        ("12,5 %", "Enter a number, such as 12.5."),
    ],
)
def test_an_unclear_indicator_value_is_refused_next_to_the_field_and_kept(client, agreement, alice, typed, message):
    goal = goal_save(agreement=agreement, by=alice, title="Tavoite", theme="other")
    client.force_login(alice)

    response = post_indicator(client, agreement, goal, "en", baseline_value=typed)

    html = response.content.decode()
    field_id = f"id_indicator-new-{goal.pk}-baseline_value"
    assert response.status_code == 400
    assert f'<ul class="errorlist" id="{field_id}_error"><li>{message}' in html
    assert f'value="{typed}"' in html and 'aria-invalid="true"' in html
    assert not Indicator.objects.exists()


def test_a_year_or_a_seat_count_with_a_decimal_is_refused_not_multiplied(client, agreement, alice):
    goal = goal_save(agreement=agreement, by=alice, title="Tavoite", theme="other")
    client.force_login(alice)

    response = post_indicator(client, agreement, goal, "en", baseline_year="2,024")

    assert response.status_code == 400
    assert "Enter a whole number, without a comma or full stop." in response.content.decode()
    assert not Indicator.objects.exists()
