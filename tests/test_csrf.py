"""Cross-site request forgery: a POST without the form's token is refused before any view runs.

Every URL pattern of the project (from the permission matrix) is posted to without a token, by a
persona the matrix lets through, and must get Django's CSRF refusal: no view is exempt. A
representative set of forms (logging in and out, the language switch, editing, uploading, the
admin's add form and a bulk action) is then sent through the page that carries it, token
included, and must work; without the token the same request changes nothing.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements.models import Annex, Comment, Goal, Section
from tests.pages import form_on, submit
from tests.test_permission_matrix import (
    ADMIN_LOGIN,
    EXPECTATIONS,
    LOGIN,
    OWN,
    ROUTES,
    World,
    world_in_transaction,
)
from users.models import User

REFUSED = b"CSRF"  # Django's refusal page, in the request's language, names it
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_in_transaction(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


def acting_persona(world: World, key: str, which: str | None) -> str | None:
    """Someone the matrix lets do the thing, so the refusal cannot be a permission's."""
    case = EXPECTATIONS[key]
    for persona in ("admin_user", "carol", "alice", None):
        if case.expect(world, persona, which) not in (LOGIN, ADMIN_LOGIN, "403", "404"):
            return persona
    return "admin_user"


@pytest.mark.django_db
@pytest.mark.parametrize("key", [r.key for r in ROUTES])
def test_a_post_without_a_token_is_refused_everywhere(world, key):
    case = EXPECTATIONS.get(key)
    if case is None:
        pytest.fail(f"URL pattern {key!r} has no entry in the permission matrix's EXPECTATIONS")
    which = OWN if OWN in case.objects else None
    persona = acting_persona(world, key, which)
    client = world.client(persona, enforce_csrf_checks=True)

    response = client.post(case.url(world, which), case.data(world, which))

    assert response.status_code == 403, f"{key} as {persona or 'anonymous'}: {response.status_code}"
    assert REFUSED in response.content


# --- With the token, through the page that carries the form ------------------------------------


@pytest.fixture
def browser():
    """A client that checks CSRF tokens as the server does for a browser."""
    return Client(enforce_csrf_checks=True)


def log_in(client: Client, world: World, persona: str) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]


def section_url(world: World, key: str) -> str:
    return reverse("agreements:section", args=[world.agreements[OWN].pk, key])


def without_token(client: Client, page: str, to: str | None = None, files: dict | None = None, **changes):
    form = form_on(client, page, to)
    data = {k: v for k, v in form.data(**changes).items() if k != "csrfmiddlewaretoken"}
    return client.post(form.action or page, {**data, **(files or {})})


def pdf() -> dict:
    return {"annex-file": SimpleUploadedFile("liite.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")}


@pytest.mark.django_db
def test_logging_in_works_with_the_token_only(world, browser):
    refused = without_token(browser, reverse("login"), username="alice", password=PASSWORD)
    response = submit(browser, reverse("login"), username="alice", password=PASSWORD)

    assert refused.status_code == 403
    assert response.status_code == 302
    assert int(browser.session["_auth_user_id"]) == world.users["alice"].pk


@pytest.mark.django_db
def test_logging_out_and_switching_the_language_work_with_the_token_only(world, browser):
    log_in(browser, world, "alice")
    home = reverse("home")

    assert without_token(browser, home, reverse("set_language"), language="sv").status_code == 403
    assert submit(browser, home, reverse("set_language"), language="sv").status_code == 302
    assert browser.cookies["django_language"].value == "sv"
    assert without_token(browser, home, reverse("logout")).status_code == 403
    assert "_auth_user_id" in browser.session
    assert submit(browser, home, reverse("logout")).status_code == 302
    assert "_auth_user_id" not in browser.session


@pytest.mark.django_db
def test_editing_a_section_and_commenting_work_with_the_token_only(world, browser):
    log_in(browser, world, "alice")
    page = section_url(world, "2")
    save = reverse("agreements:section_save", args=[world.agreements[OWN].pk, "2"])
    comment = reverse("agreements:comment_add", args=[world.agreements[OWN].pk, "2"])
    section = Section.objects.get(agreement=world.agreements[OWN], key="2")
    comments = Comment.objects.filter(section=section).count()

    assert without_token(browser, page, save, text="<p>Ilman</p>").status_code == 403
    assert without_token(browser, page, comment, text="Ilman").status_code == 403
    assert submit(browser, page, save, text="<p>Uusi</p>").status_code == 302
    assert submit(browser, page, comment, text="Kommentti").status_code == 302

    section.refresh_from_db()
    assert section.text == "<p>Uusi</p>"
    assert Comment.objects.filter(section=section).count() == comments + 1


@pytest.mark.django_db
def test_adding_a_goal_and_uploading_an_annex_work_with_the_token_only(world, browser):
    log_in(browser, world, "alice")
    agreement = world.agreements[OWN]
    goal_page = reverse("agreements:goal_add", args=[agreement.pk])
    annex_page = reverse("agreements:annex_add", args=[agreement.pk])
    goals, annexes = agreement.goals.count(), agreement.annexes.count()
    goal = {"goal-new-title": "Asuminen", "goal-new-theme": "housing"}

    assert without_token(browser, goal_page, **goal).status_code == 403
    assert without_token(browser, annex_page, files=pdf(), **{"annex-title": "Liite"}).status_code == 403
    assert submit(browser, goal_page, **goal).status_code == 302
    assert submit(browser, annex_page, files=pdf(), **{"annex-title": "Liite"}).status_code == 302

    assert Goal.objects.filter(agreement=agreement).count() == goals + 1
    assert Annex.objects.filter(agreement=agreement).count() == annexes + 1


@pytest.mark.django_db
def test_managing_parties_works_with_the_token_only(world, browser):
    log_in(browser, world, "carol")
    agreement = world.agreements[OWN]
    party = agreement.parties.exclude(organisation=agreement.county).first()
    update = reverse("agreements:party_update", args=[agreement.pk, party.pk])
    name = f"party-{party.pk}-official_name"

    assert without_token(browser, update, **{name: "Ilman"}).status_code == 403
    assert submit(browser, update, **{name: "Tampereen kaupunki"}).status_code == 302

    party.refresh_from_db()
    assert party.official_name == "Tampereen kaupunki"


@pytest.mark.django_db
def test_the_admins_add_form_and_bulk_action_work_with_the_token_only(world, browser):
    log_in(browser, world, "admin_user")
    add = reverse("admin:auth_group_add")
    changelist = reverse("admin:auth_group_changelist")
    doomed = Group.objects.get(name="Plain group")
    action = {"action": "delete_selected", "_selected_action": [str(doomed.pk)], "post": "yes"}

    assert without_token(browser, add, name="Ilman").status_code == 403
    assert without_token(browser, changelist, **action).status_code == 403
    assert Group.objects.filter(pk=doomed.pk).exists()
    assert submit(browser, add, name="Uusi ryhmä").status_code == 302
    assert submit(browser, changelist, **action).status_code == 302

    assert Group.objects.filter(name="Uusi ryhmä").exists()
    assert not Group.objects.filter(pk=doomed.pk).exists()


@pytest.mark.django_db
def test_the_admins_login_works_with_the_token_only(world, browser):
    login = reverse("admin:login")

    assert without_token(browser, login, username="root", password=PASSWORD).status_code == 403
    assert submit(browser, login, username="root", password=PASSWORD).status_code == 302
    assert int(browser.session["_auth_user_id"]) == User.objects.get(username="root").pk
