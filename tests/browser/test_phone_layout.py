"""The portal on a phone, 390 px wide: every page of the demo, as each demo persona, fits the screen.

The walk starts from the front page and follows the links it finds, so pages added later are walked
too. Pages are told apart by their URL pattern (and a section's key): one county, one municipality, one
history page, but every section of the agreement and, for those who may edit, a conflict page.
"""

from collections import deque
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_violations, log_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
HEADER_MAX_HEIGHT = 100  # px at 390 px wide, menu closed: the rest of the first screen is the page's own
PERSONAS = [None, "tampere", "nokia", "pirkanmaa", "tampereen-seutu", "kela", "admin"]  # None: not logged in
DEMO_PASSWORD = "yhdyspinta-demo"
# A file, or POST only.
NOT_PAGES = {
    "annex_download",
    "logout",
    "set_language",
    "decisions_csv",
    "decision_minutes",
    "signed_page",
    "annex",
    "minutes",
    "language",
    "download",  # a PDF, not a page
    "signed",
}
# The pages issue 9 names; the walk must have reached each of them, so that it cannot pass by walking nothing.
EXPECTED = {
    "home",
    "login",
    "regions:county_list",
    "regions:county_detail",
    "regions:municipality_detail",
    "regions:employment_area_detail",
    "regions:organisation_members",
    "users:me",
    "users:two_factor",
    "agreements:list",
    "agreements:county",
    "agreements:start",
    "agreements:detail",
    "agreements:section",
    "agreements:section_history",
    "agreements:section_conflict",
    "agreements:parties",
    "agreements:audit",
    "audit:list",
    # Issue 10's: the party matrix, a party's decision, the signatures, the public register.
    "agreements:decisions",
    "agreements:decision",
    "agreements:signatures",
    "register:index",
    "register:agreement",
}

MEASURE = """() => {
  const h1 = document.querySelector("main h1");
  const header = document.querySelector("body > header");
  const box = h1 && h1.getBoundingClientRect();
  return {
    width: document.documentElement.scrollWidth,
    h1: h1 && {overflows: h1.scrollWidth > h1.clientWidth, left: box.left, right: box.right},
    header: header && header.getBoundingClientRect().height,
    links: Array.from(document.querySelectorAll("a[href]"), a => a.href),
  };
}"""


def page_kind(url: str, origin: str) -> tuple | None:
    """What tells one page from another for the walk, or None for what is not a page of ours to walk."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.namespace == "admin" or match.url_name in NOT_PAGES:
        return None
    query = tuple(sorted({name for name, _value in parse_qsl(parts.query, keep_blank_values=True)} - {"next"}))
    # Each section's page shows a different part of the agreement; its history and forms look alike.
    key = match.kwargs.get("key") if match.view_name == "agreements:section" else None
    return (match.view_name, key, query)


def make_a_conflict(page) -> str | None:
    """On a section page with the editor, a save from an out-of-date version: the page to merge it on."""
    editor = page.locator("form[data-autosave]")
    if not editor.count():
        return None
    version = int(editor.locator("input[name=base_version]").input_value())
    if version < 1:
        return None  # a save to an empty section would be a real save
    response = page.request.post(
        editor.get_attribute("action"),
        form={
            "csrfmiddlewaretoken": editor.locator("input[name=csrfmiddlewaretoken]").input_value(),
            "text": "<p>Puhelimella kirjoitettu</p>",
            "base_version": str(version - 1),
        },
        max_redirects=0,
    )
    assert response.status == 302, f"a stale save answered {response.status}"
    return response.headers["location"]


def walk(page, origin: str, persona: str | None) -> tuple[list[str], set[str]]:
    """Visits every kind of page reachable from the front page; returns the problems and the views seen."""
    problems, seen_views, seen, conflict_made = [], set(), set(), False
    queue = deque(origin + path for path in (["/", "/login/"] if persona is None else ["/"]))
    while queue:
        url = queue.popleft()
        kind = page_kind(url, origin)
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        # "load": with its style sheets, which a page without scripts (the print view) need not wait for.
        response = page.goto(url, wait_until="load")
        where = f"{persona or 'anonymous'} {urlsplit(page.url).path}"
        if response is None or response.status >= 400:
            problems.append(f"{where}: answers {response and response.status}")
            continue
        landed = page_kind(page.url, origin)
        if landed is None:
            problems.append(f"{where}: {url} led away from the portal's pages")
            continue
        seen.add(landed)
        seen_views.add(landed[0])
        found = page.evaluate(MEASURE)
        if found["width"] > PHONE["width"]:
            problems.append(f"{where}: {found['width']} px wide")
        if found["h1"] is None:
            problems.append(f"{where}: no h1")
        elif found["h1"]["overflows"] or found["h1"]["left"] < 0 or found["h1"]["right"] > PHONE["width"]:
            problems.append(f"{where}: the h1 is clipped")
        if found["header"] is None or found["header"] > HEADER_MAX_HEIGHT:
            problems.append(f"{where}: the header is {found['header']} px tall")
        if persona and not conflict_made and landed[0] == "agreements:section":
            conflict = make_a_conflict(page)
            if conflict:
                conflict_made = True
                queue.appendleft(origin + conflict)
        queue.extend(link for link in found["links"] if page_kind(link, origin) not in seen)
    return problems, seen_views


def test_every_page_of_the_demo_fits_a_phone_for_every_persona(new_page, transactional_db, demo, live_server):
    problems, seen_views = [], set()
    for persona in PERSONAS:
        page = new_page(viewport=PHONE)
        if persona:
            log_in(page, persona, DEMO_PASSWORD)
        found, views = walk(page, live_server.url, persona)
        problems += found
        seen_views |= views
        page.context.close()

    assert not problems, "\n".join(problems)
    assert EXPECTED - seen_views == set()


def test_on_a_phone_the_menu_button_opens_and_closes_the_header(new_page, transactional_db):
    page = new_page("en-GB", viewport=PHONE)
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    regions = page.get_by_role("navigation", name="Main").get_by_role("link", name="Regions")

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(regions).to_be_hidden()
    assert page.locator("body > header").bounding_box()["height"] <= HEADER_MAX_HEIGHT

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(regions).to_be_visible()
    expect(page.get_by_role("button", name="Suomi")).to_be_visible()
    assert accessibility_violations(page) == []

    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(regions).to_be_hidden()


def test_on_a_phone_without_javascript_the_navigation_stays_in_view(new_page, transactional_db):
    page = new_page("en-GB", viewport=PHONE, java_script_enabled=False)
    page.goto("/")

    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Regions")).to_be_visible()
    expect(page.get_by_role("button", name="Suomi")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_on_a_desktop_the_header_shows_everything_and_no_menu_button(new_page, transactional_db):
    page = new_page("en-GB", viewport=DESKTOP)
    page.goto("/")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Regions")).to_be_visible()
    expect(page.get_by_text("Collaboration agreements of counties and municipalities")).to_be_visible()
