"""The public register: anyone reads the agreements in force or ended, and nothing else.

An agreement in force (with a decision and a signature), one in decision and a draft, each with a
comment. An anonymous visitor who follows every link of the portal from the register's front page
never meets the draft, the agreement in decision, a comment, a username or an e-mail address.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Theme
from agreements.services import agreement_start
from regions.models import Municipality, WellbeingCounty
from tests.agreements.factories import start_strategic
from tests.register.builders import SECRET_COMMENT, decided_and_signed, furnished, public_world, with_status


@pytest.fixture
def world(areas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return public_world()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def crawl(client, start: str) -> dict[str, str]:
    """Every page of the portal's own host reachable by links from ``start``, as an anonymous
    visitor reads them: address → text (HTML pages only; a file is fetched, not read)."""
    seen, queue, pages = {start}, [start], {}
    while queue:
        url = queue.pop()
        response = client.get(url, headers={"accept-language": "fi"})
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"
        if response.status_code == 302 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        pages[url] = html
        for href in links_of(html):
            target = urlsplit(urljoin(url, href))
            if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
                continue  # another host (the minutes of a council)
            if target.path.startswith(("/static/", "/media/")):
                continue
            address = target.path + (f"?{target.query}" if target.query else "")
            if address not in seen:
                seen.add(address)
                queue.append(address)
    return pages


def test_an_anonymous_crawl_from_the_register_finds_only_what_is_public(client, world):
    in_force, in_decision, draft = world["in_force"], world["in_decision"], world["draft"]

    pages = crawl(client, reverse("register:index"))

    agreement_page = reverse("register:agreement", args=[in_force.pk])
    assert agreement_page in pages
    assert reverse("home") in pages, "the front page is reached from the register's navigation"
    text = pages[agreement_page]
    for public in (
        "Voimassa oleva yhteistyösopimus",
        "Julkinen sopimusteksti.",
        "Nuorten hyvinvointi",
        "Hyvinvointifoorumi",
        "Palvelukartta",
        "Anna Allekirjoittaja",
        "Kaupunginjohtaja",
        "1.10.2025",
        "§ 87",
        "https://www.tampere.fi/poytakirjat/2025-09-15",
    ):
        assert public in text, public
    secrets = [
        in_decision.title,
        draft.title,
        "Keskeneräinen",
        "Luonnoksen teksti",
        SECRET_COMMENT,
        "TRE:1234/2025",
        "Hallintosääntö § 45",
    ]
    for user in world["users"]:
        secrets.append(user.username)
        if user.email:
            secrets.append(user.email)
    found = [(url, secret) for url, html in pages.items() for secret in secrets if secret in html]
    assert found == []


def test_an_agreement_that_is_not_public_is_not_found(client, world):
    for agreement in (world["in_decision"], world["draft"]):
        assert client.get(reverse("register:agreement", args=[agreement.pk])).status_code == 404
        annex_url = reverse("register:annex", args=[agreement.pk, 1])
        assert client.get(annex_url).status_code == 404
    assert client.get(reverse("register:agreement", args=[999999])).status_code == 404


def test_an_annex_of_a_public_agreement_is_downloaded_but_not_through_another_agreement(client, world):
    annex = world["in_force"].annexes.get()

    response = client.get(reverse("register:annex", args=[world["in_force"].pk, annex.pk]))
    through_draft = client.get(reverse("register:annex", args=[world["draft"].pk, annex.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert through_draft.status_code == 404


def test_the_register_is_filtered_by_county_municipality_and_theme(client, world):
    in_force = world["in_force"]
    other = start_strategic(code="02", title="Keski-Uudenmaan sopimus")
    Agreement.objects.filter(pk=other.pk).update(themes=["housing"])
    other = with_status(other, Agreement.Status.EXPIRED)
    url = reverse("register:index")

    def titles(**query):
        html = client.get(url, query, headers={"accept-language": "fi"}).content.decode()
        return {a.title for a in (in_force, other) if a.title in html}

    assert titles() == {in_force.title, other.title}
    assert titles(county="08") == {in_force.title}
    assert titles(municipality="837") == {in_force.title}
    assert titles(municipality="106") == {other.title}  # Hyvinkää
    assert titles(theme="housing") == {other.title}
    assert titles(theme="older_people") == set()
    assert titles(county="99") == {in_force.title, other.title}, "an unknown county filters nothing"


def test_an_anonymous_visitor_may_be_served_from_a_shared_cache_a_user_never(client, world, alice):
    url = reverse("register:agreement", args=[world["in_force"].pk])

    anonymous = client.get(url)
    client.force_login(alice)
    logged_in = client.get(url)

    assert "public" in anonymous["Cache-Control"]
    assert "max-age=300" in anonymous["Cache-Control"]
    assert "Cookie" in anonymous["Vary"]
    assert not anonymous.cookies, "no CSRF or session cookie in a page a shared cache keeps"
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()
    assert "no-store" in logged_in["Cache-Control"]
    assert "public" not in logged_in["Cache-Control"]


def test_the_language_switch_of_the_public_pages_sets_the_language(client, world):
    page = reverse("register:agreement", args=[world["in_force"].pk])

    response = client.get(reverse("register:language"), {"language": "sv", "next": page})
    swedish = client.get(page).content.decode()
    elsewhere = client.get(reverse("register:language"), {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == page
    assert response.cookies["django_language"].value == "sv"
    assert '<html lang="sv">' in swedish
    assert elsewhere["Location"] == reverse("register:index")


def test_an_agreement_page_asks_as_many_queries_for_two_parties_as_for_twenty_four(client, world):
    county_coordinator = world["users"][0]
    small = agreement_start(
        by=county_coordinator,
        county=WellbeingCounty.objects.get(code="08"),
        title="Perhekeskus",
        kind=Agreement.Kind.INTERFACE,
        municipalities=Municipality.objects.filter(code="837"),
        main_theme=Theme.CHILDREN_AND_YOUTH,
    )
    furnished(small, county_coordinator)
    decided_and_signed(small)
    with_status(small, Agreement.Status.IN_FORCE)
    big = world["in_force"]
    for n, party in enumerate(big.parties.all()[1:8]):
        decided_and_signed(big, party=party, signer_name=f"Allekirjoittaja {n}")

    def queries(agreement) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("register:agreement", args=[agreement.pk])).status_code == 200
        return len(context)

    assert small.parties.count() == 2 < 20 < big.parties.count()
    assert queries(small) == queries(big)


def test_the_register_front_page_asks_as_many_queries_for_one_agreement_as_for_three(client, world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("register:index")).status_code == 200
        return len(context)

    one = queries()
    for code in ("02", "03"):
        with_status(start_strategic(code=code), Agreement.Status.IN_FORCE)

    assert queries() == one
