"""The home page: a logged-in user's list of what awaits them; the portal's front page for anyone else.

Pirkanmaa's strategic agreement has Tampere (Alice, Sam), Nokia (Bob) and the county (Carol) among
its parties. Dave's Helsinki and Erin's employment authority are parties to none.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from agreements.services import comment_add, comment_resolve
from tests.agreements.factories import start_strategic
from tests.conftest import make_user
from yhdyspinta import home


def read(client, user=None, language="en") -> str:
    """The page's main text as a reader takes it in: tags dropped, whitespace collapsed."""
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("home"), headers={"accept-language": language})
    assert response.status_code == 200
    main = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.split(">", 1)[1]))


def has(text: str, sentence: str) -> bool:
    """The sentence is in the text, however the markup split its spaces."""
    return re.sub(r"\s+", "", sentence) in re.sub(r"\s+", "", text)


@pytest.fixture
def agreement(areas) -> Agreement:
    return start_strategic()


def section(agreement, key="2"):
    return agreement.sections.get(key=key)


# --- Landing ------------------------------------------------------------------------------------


def test_a_user_lands_on_the_home_page_after_logging_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "correct horse battery staple"})

    assert response.url == reverse(settings.LOGIN_REDIRECT_URL) == reverse("home")


def test_the_home_page_is_in_the_navigation_of_a_logged_in_user(client, alice):
    client.force_login(alice)

    html = client.get(reverse("regions:county_list"), headers={"accept-language": "en"}).content.decode()

    assert f'<a href="{reverse("home")}">Home</a>' in html
    assert f'href="{reverse("agreements:list")}"' in html


def test_no_shared_cache_keeps_a_users_home_page(client, alice):
    client.force_login(alice)

    response = client.get(reverse("home"))

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_no_shared_cache_keeps_any_page_a_logged_in_user_reads_but_the_public_front_page_may_be(client, alice):
    anonymous = client.get(reverse("home"))
    client.force_login(alice)

    for name in ("users:me", "regions:county_list"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"], name
    assert "no-store" not in anonymous.get("Cache-Control", "")


# --- Anonymous visitors -------------------------------------------------------------------------


def test_an_anonymous_visitor_is_told_in_finnish_what_the_portal_is(client, areas):
    text = read(client, language="fi")

    assert has(text, "Yhteistyösopimukset yhdessä paikassa")
    assert has(text, "Yhdyspinnassa Suomen hyvinvointialueet, kunnat, työllisyysalueet ja Kela tekevät")


def test_an_anonymous_visitor_is_led_to_the_regions_and_to_log_in(client, areas):
    html = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()

    assert f'href="{reverse("regions:county_list")}"' in html
    assert f'href="{reverse("login")}"' in html
    assert "What awaits you" not in html


# --- What each persona sees ---------------------------------------------------------------------


def test_alice_sees_tampere_s_agreement_with_its_status_and_last_change_in_helsinki_time(client, alice, agreement):
    summer_morning_utc = datetime.datetime(2026, 6, 1, 9, 30, tzinfo=datetime.UTC)
    Agreement.objects.filter(pk=agreement.pk).update(updated_at=summer_morning_utc)

    text = read(client, alice)

    assert has(text, "Your organisations' agreements")
    assert has(text, "Agreements to which Tampere is a party, the most recently changed first")
    assert has(text, agreement.title)
    assert has(text, "Draft")
    assert has(text, "1.6.2026 12.30 Agreement started")


def test_alice_is_told_the_county_answered_her_discussion_and_it_awaits_her_answer(client, alice, carol, agreement):
    thread = comment_add(section=section(agreement), by=alice, text="Mainitaanko HYTE-kerroin?")
    comment_add(section=section(agreement), by=carol, parent=thread, text="Lisätään kohtaan 7.")

    text = read(client, alice)

    assert has(text, "Open discussions that concern you")
    assert has(text, "Awaits your answer Mainitaanko HYTE-kerroin? You started this discussion.")
    assert has(text, "Latest message on")
    assert has(text, ": Pirkanmaan hyvinvointialue (carol).")


def test_alice_waits_for_the_others_when_she_had_the_last_word(client, alice, bob, agreement):
    thread = comment_add(section=section(agreement), by=bob, text="Riittääkö kuusi kuukautta?")
    comment_add(section=section(agreement), by=alice, parent=thread, text="Meille riittää.")
    comment_add(section=section(agreement), by=alice, text="Oma kysymys")

    text = read(client, alice)

    assert "Riittääkö kuusi kuukautta?" not in text  # Tampere answered; it is Nokia's turn
    assert has(text, "Waiting for the others' answer Oma kysymys You started this discussion.")
    assert has(text, "no one has answered yet.")


def test_alice_sees_a_discussion_no_one_has_answered_and_who_started_it(client, alice, bob, agreement):
    comment_add(section=section(agreement), by=bob, text="Onko irtisanomisaika riittävä?")

    text = read(client, alice)

    assert has(text, "No answer yet Onko irtisanomisaika riittävä? Started by: Nokia (bob).")


def test_alice_is_not_shown_resolved_discussions_or_those_others_keep_between_them(
    client, alice, bob, carol, agreement
):
    resolved = comment_add(section=section(agreement), by=alice, text="Ratkaistu kysymys")
    comment_resolve(comment=resolved, by=carol)
    between = comment_add(section=section(agreement), by=bob, text="Nokian ja maakunnan asia")
    comment_add(section=section(agreement), by=carol, parent=between, text="Vastaus Nokialle")

    text = read(client, alice)

    assert "Ratkaistu kysymys" not in text
    assert "Nokian ja maakunnan asia" not in text
    assert has(text, "No open discussion concerns you.")


def test_the_link_of_a_discussion_opens_it_on_its_section(client, alice, agreement):
    thread = comment_add(section=section(agreement, "3.2"), by=alice, text="Mittari puuttuu")
    client.force_login(alice)

    html = client.get(reverse("home")).content.decode()

    url = reverse("agreements:section", args=[agreement.pk, "3.2"])
    assert f'href="{url}#comment-{thread.pk}"' in html
    assert f'id="comment-{thread.pk}"' in client.get(url).content.decode()


def test_sam_sees_a_discussion_alice_started_as_tampere_s(client, sam, alice, agreement):
    comment_add(section=section(agreement), by=alice, text="Tampereen kysymys")

    text = read(client, sam)

    assert has(text, "Agreements to which Tampere is a party")
    assert has(text, "Tampereen kysymys alice started this discussion on behalf of your organisation Tampere.")


def test_carol_is_offered_to_start_an_agreement_and_sees_the_countys_agreement(client, carol, agreement):
    text = read(client, carol)

    assert has(text, "Start an agreement for Pirkanmaa wellbeing services county")
    assert has(text, "Agreements to which Pirkanmaa wellbeing services county is a party")
    assert has(text, agreement.title)


def test_carol_without_agreements_is_told_to_start_one(client, carol):
    text = read(client, carol)

    assert has(text, "Start an agreement for Pirkanmaa wellbeing services county")
    assert has(text, "None of your organisations is a party to an agreement yet. Start one above")


def test_dave_is_told_helsinki_is_not_yet_a_party_to_any_agreement(client, dave, agreement):
    text = read(client, dave)

    assert agreement.title not in text
    assert has(text, "None of your organisations (Helsinki) is a party to an agreement yet.")
    assert has(text, "No open discussion concerns you.")


def test_erin_is_told_her_employment_authority_is_not_yet_a_party(client, erin, agreement):
    text = read(client, erin)

    assert agreement.title not in text
    assert has(text, "None of your organisations (Tampereen seutu) is a party to an agreement yet.")


def test_the_admin_sees_every_agreement_without_being_called_a_party(client, admin_user, alice, agreement):
    other = start_strategic("90")
    comment_add(section=section(agreement), by=alice, text="Osapuolten asia")

    text = read(client, admin_user)

    assert has(text, "All agreements in the portal")
    assert has(text, "As a portal admin you see every agreement. You are not a party to them")
    assert has(text, agreement.title) and has(text, other.title)
    assert "your organisations" not in text.lower()
    assert "Osapuolten asia" not in text
    assert has(text, "You have taken part in no open discussion.")


def test_the_admin_is_led_to_the_administration_tasks(client, admin_user):
    client.force_login(admin_user)

    html = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()

    assert f'href="{reverse("admin:users_organisationrole_changelist")}"' in html
    assert f'href="{reverse("audit:list")}"' in html
    assert f'href="{reverse("admin:index")}"' in html


def test_an_official_is_not_shown_the_administration_tasks(client, alice):
    assert "Administration" not in read(client, alice).split("Open discussions")[1]


def test_someone_without_a_role_is_told_to_ask_for_one(client, areas):
    text = read(client, make_user("newcomer"))

    assert has(text, "You have no role in any organisation yet, so no agreements are shown.")
    assert has(text, "Discussions of your organisation's agreements appear here once you have a role")


# --- Structure and cost -------------------------------------------------------------------------


def test_every_capability_adds_its_list_in_one_place(client, alice, agreement):
    shown = home.HomeSection(
        key="test-awaiting", order=15, template="agreements/home/_who.html", selector=lambda *, user: None
    )
    home.register(shown)
    try:
        keys = [s.key for s in home.home_sections(user=alice)]
    finally:
        del home._SECTIONS["test-awaiting"]

    assert [s.key for s in home.registered()][:2] == ["agreements", "discussions"]
    # A section whose selector answers None is not shown (the test's; the dates are for coordinators only).
    assert keys == ["agreements", "discussions", "notifications"]


def grow(agreement, people) -> None:
    for n, (asker, answerer) in enumerate(people):
        thread = comment_add(section=section(agreement), by=asker, text=f"Kysymys {n}")
        comment_add(section=section(agreement, "3.2"), by=asker, text=f"Toinen {n}")
        comment_add(section=section(agreement), by=answerer, parent=thread, text=f"Vastaus {n}")


@pytest.mark.parametrize("persona", ["alice", "carol", "admin_user"])
def test_the_home_page_runs_the_same_queries_for_one_or_many_agreements_and_discussions(
    client, request, alice, bob, carol, persona, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    first = start_strategic()
    grow(first, [(alice, carol), (carol, alice)])
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    start_strategic("02")
    grow(start_strategic(title="Toinen Pirkanmaan sopimus"), [(alice, carol), (bob, alice), (carol, bob)])

    with django_assert_num_queries(len(few.captured_queries)):
        text = read(client)
    assert "Toinen Pirkanmaan sopimus" in text


def test_the_admins_agreement_list_is_every_agreement_not_their_organisations(client, admin_user, alice, agreement):
    client.force_login(admin_user)
    admins = client.get(reverse("agreements:list"), headers={"accept-language": "en"}).content.decode()
    client.force_login(alice)
    alices = client.get(reverse("agreements:list"), headers={"accept-language": "en"}).content.decode()

    assert "<h1>All agreements</h1>" in admins
    assert "Every agreement, the most recently changed first" in admins
    assert "your organisations" not in admins.lower()
    assert "<h1>My agreements</h1>" in alices
    assert "Agreements your organisations are parties to" in alices
