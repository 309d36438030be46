"""Every URL pattern of the project × persona × own or foreign object: the status each one gets.

The patterns are read from the URLconf (the Django admin's included), so a new page cannot go
unchecked: a pattern without an entry in ``EXPECTATIONS`` fails with its name. The agreements rows
come from the agreements matrix (``tests/agreements/test_agreement_views_permissions.py``); the
admin rows are derived by rule from the admin's registry and ``ADMIN_MODELS``.

"Own" is Pirkanmaa (Alice's Tampere is a party, Carol coordinates it); "foreign" is Helsinki, in
another county (Dave's). A user who may not see an object gets 404 (never 403, never a hint), one
who may see it but not do the thing gets 403, and a page that needs a login sends an anonymous
visitor to log in. The data is built once for the module; every request runs in a savepoint that
is rolled back, so a POST that changes something cannot change what the next request sees.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.models import Agreement
from pdfs.models import Rendition
from regions.models import EmploymentArea, EmploymentAreaMembership, Municipality, WellbeingCounty
from regions.services import areas_load
from tests.agreements import test_agreement_views_permissions as agreements_matrix
from tests.conftest import make_user
from tym.models import GroupMember, GroupNegotiation, GroupYearlyGoal, StaffingReview, SteeringGroup
from tym.permissions import steering_group_grant
from users.models import Role, User
from users.services import two_factor_device_create

PASSWORD = "correct horse battery staple"
PERSONAS: list[str | None] = [None, "alice", "dave", "carol", "sam", "admin_user"]
OWN, FOREIGN = "own", "foreign"
BOTH = (OWN, FOREIGN)
# Places by the side of "own" (Pirkanmaa, Tampere) and "foreign" (Helsinki).
COUNTY = {OWN: "08", FOREIGN: "90"}
MUNICIPALITY = {OWN: "837", FOREIGN: "091"}


# --- The URL patterns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the qualified name, or the route itself for an unnamed pattern
    route: str
    pattern: URLPattern


def project_routes() -> list[Route]:
    """Every URL pattern of the project, walked recursively through every include."""
    routes: list[Route] = []

    def walk(items, namespace: str, prefix: str) -> None:
        for item in items:
            if isinstance(item, URLResolver):
                inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
                walk(item.url_patterns, inner, prefix + str(item.pattern))
            else:
                route = prefix + str(item.pattern)
                routes.append(Route(f"{namespace}{item.name}" if item.name else route, route, item))

    walk(get_resolver().url_patterns, "", "")
    return routes


# --- The data -----------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    sessions: dict[str, str]  # persona → session key of a real login
    agreements: dict[str, Agreement]
    admin_objects: dict[str, Model] = field(default_factory=dict)  # "app_label.model_name" → an instance
    tym: dict[str, Agreement] = field(default_factory=dict)  # side → its group's TYM agreement

    def client(self, persona: str | None, **kwargs) -> Client:
        client = Client(**kwargs)
        if persona:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


class _Fixtures:
    """The personas, for the agreements matrix's ``build(request)``, which asks for them by fixture name."""

    def __init__(self, users: dict[str, User]):
        self.users = users

    def getfixturevalue(self, name: str) -> User:
        return self.users[name]


def _log_in(username: str) -> str:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build_world() -> World:
    users = {
        "alice": make_user("alice", Municipality.objects.get(code="837")),
        "dave": make_user("dave", Municipality.objects.get(code="091")),
        "carol": make_user("carol", WellbeingCounty.objects.get(code="08"), Role.COORDINATOR),
        "sam": make_user("sam", Municipality.objects.get(code="837"), Role.SIGNATORY),
        "admin_user": User.objects.create_superuser(username="root", password=PASSWORD),
    }
    agreements = agreements_matrix.build(_Fixtures(users))
    # A failed and a real login through the login form: the lockout tables get rows (for a name that
    # never logs in, or the success would clear them) and each persona a real session.
    with override_settings(AXES_ENABLE_ACCESS_FAILURE_LOG=True):  # off in production; old rows still open
        Client().post(reverse("login"), {"username": "mallory", "password": "not the password"})
    sessions = {persona: _log_in(user.username) for persona, user in users.items()}
    # A device being set up, of someone who is no persona (a confirmed one would stop its owner at
    # the code page).
    two_factor_device_create(user=make_user("device-owner"))
    Group.objects.create(name="Plain group")
    tym_groups_build()
    for agreement in agreements.values():  # a PDF made of each, for the PDF pages
        agreement.rendition = Rendition.objects.create(
            agreement=agreement, status=Rendition.Status.DONE, content=b"%PDF-1.7\n%%EOF\n", pages=1, size=15
        )
    world = World(users=users, sessions=sessions, agreements=agreements, tym=tym_agreements_build())
    for model in admin.site._registry:
        instance = model._default_manager.order_by("-pk").first()
        if instance is not None:
            world.admin_objects[model._meta.label_lower] = instance
    return world


def tym_groups_build() -> None:
    """A TYM steering group in each side's county, Tampereen seutu's and Helsinki's, with its role
    groups' permissions; a negotiation, a member, a goal and a staffing review for the admin's rows."""
    for which, area_code in ((OWN, "39"), (FOREIGN, "08")):
        area = EmploymentArea.objects.get(code=area_code)
        county = WellbeingCounty.objects.get(code=COUNTY[which])
        group = SteeringGroup.objects.create(
            county=county,
            name=f"TYM {area.name_fi}",
            lead_authority=area,
            term_start=datetime.date(2025, 1, 1),
            term_end=datetime.date(2030, 1, 1),
        )
        group.employment_areas.add(area)
        steering_group_grant(group=group)
    GroupNegotiation.objects.create(
        county=county, held_on=datetime.date(2024, 11, 1), participants="a", outcome="a", group_count=1
    )
    GroupMember.objects.create(
        group=group,
        organisation=county,
        person_name="Maija",
        title="johtaja",
        deputy_name="Matti",
        deputy_title="päällikkö",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
    )
    GroupYearlyGoal.objects.create(group=group, year=2025, goal="Tavoite", position=1)
    StaffingReview.objects.create(
        group=group, year=2025, reviewed_on=datetime.date(2025, 12, 1), sufficient=True, findings="Riittää"
    )


def tym_agreements_build() -> dict[str, Agreement]:
    """Each side's group's TYM agreement, started by an official of its employment authority (no
    persona: the personas are municipal people and Pirkanmaa's coordinator, who reads but does not
    edit it), with a service location, a staff row and a joint cost to address."""
    from decimal import Decimal

    from tym import terms

    built = {}
    for which in BOTH:
        group = SteeringGroup.objects.get(county__code=COUNTY[which])
        drafter = make_user(f"tym-drafter-{which}", group.lead_authority)
        agreement = terms.tym_agreement_start(group=group, by=drafter, title=f"TYM-sopimus {group.name}")
        agreement.location = terms.service_location_save(agreement=agreement, by=drafter, name="Palvelupiste")
        authority = agreement.parties.get(organisation=group.lead_authority)
        agreement.staff_row = terms.staff_row_save(
            agreement=agreement, by=drafter, party=authority, title="Ohjaaja", amount=Decimal("1.5")
        )
        agreement.cost = terms.cost_item_save(agreement=agreement, by=drafter, name="Tilat", annual_amount=Decimal(1))
        built[which] = agreement
    return built


def tym_group_pk(which: str) -> int:
    return SteeringGroup.objects.get(county__code=COUNTY[which]).pk


@contextmanager
def world_in_transaction(django_db_blocker, media_root) -> Iterator[World]:
    """The world, built once and rolled back afterwards; tests run in savepoints inside it."""
    overrides = override_settings(
        MEDIA_ROOT=media_root,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        REDIS_URL="",  # /health/ answers at once instead of waiting for a worker
    )
    with django_db_blocker.unblock():
        if not Municipality.objects.exists():  # a transactional test on this worker flushed them
            areas_load()
        overrides.enable()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            overrides.disable()
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            overrides.disable()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    with world_in_transaction(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


# --- What each pattern answers ------------------------------------------------------------------

# An expectation is a status ("200", "403", "404", "405"), "login" or "admin-login" (302 to that
# login page with a next parameter), "302 <path>" (302 to exactly that path) or "302 *" (302
# anywhere but a login page).
LOGIN, ADMIN_LOGIN, REDIRECT = "login", "admin-login", "302 *"

Expect = Callable[[World, str | None, str | None], str]  # (world, persona, which) → expectation


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable[[World, str | None], str]  # (world, which) → the address
    expect: Expect
    data: Callable[[World, str | None], dict[str, Any]] = lambda world, which: {}
    objects: tuple[str | None, ...] = (None,)  # ("own", "foreign") when the URL takes an object


def everyone(status: str) -> Expect:
    return lambda world, persona, which: status


def signed_in(status: str) -> Expect:
    """A page behind login_required: anonymous visitors go to log in."""
    return lambda world, persona, which: LOGIN if persona is None else status


def at(name: str, *args) -> Callable[[World, str | None], str]:
    return lambda world, which: reverse(name, args=args)


def members_expect(world, persona, which):
    # An organisation's own people and the portal admin; everyone else, anonymous included, 404.
    members = {OWN: {"alice", "sam", "admin_user"}, FOREIGN: {"dave", "admin_user"}}
    return "200" if persona in members[which] else "404"


def employment_area_code(which: str) -> str:
    membership = EmploymentAreaMembership.objects.filter(
        municipality__code=MUNICIPALITY[which], valid_to__isnull=True
    ).select_related("employment_area")
    return membership.first().employment_area.code


def audit_expect(world, persona, which):
    # The agreement's managers (its county's coordinators, the portal admin) read its audit log;
    # others who see the agreement get 403, those who do not, 404.
    if persona is None:
        return LOGIN
    level = agreements_matrix.LEVEL[which][persona]
    if level == agreements_matrix.NONE:
        return "404"
    return "200" if level >= agreements_matrix.MANAGE else "403"


def tym_terms_expect(ok: str) -> Expect:
    """A TYM agreement's terms: edited by its drafters and the portal admin; Carol, Pirkanmaa's
    coordinator, reads her county's (403) and does not see the other county's (404), nor does anyone
    who is no party's."""

    def expect(world, persona, which):
        if persona is None:
            return LOGIN
        if persona == "admin_user":
            return ok
        return "403" if (persona, which) == ("carol", OWN) else "404"

    return expect


def tym_terms_case(name: str, row: Callable[[Agreement], Model] | None = None, method: str = "get") -> Case:
    def url(world, which):
        agreement = world.tym[which]
        return reverse(name, args=[agreement.pk, *([row(agreement).pk] if row else [])])

    return Case(method, url, tym_terms_expect(REDIRECT if method == "post" else "200"), objects=BOTH)


def tym_writer_expect(world, persona, which):
    if persona is None:
        return LOGIN
    return "200" if (persona, which) == ("carol", OWN) else "403"


def reader_expect(ok: str) -> Expect:
    """Whoever may read the agreement gets ``ok``; anyone else 404, an anonymous visitor the login."""

    def expect(world, persona, which):
        if persona is None:
            return LOGIN
        return ok if agreements_matrix.LEVEL[which][persona] >= agreements_matrix.VIEW else "404"

    return expect


def rendition_url(name: str) -> Callable[[World, str | None], str]:
    return lambda w, which: reverse(name, args=[w.agreements[which].pk, w.agreements[which].rendition.pk])


SITE = {
    "home": Case("get", at("home"), everyone("200")),
    "health": Case("get", at("health"), everyone("200")),
    "login": Case(
        "get", at("login"), lambda w, p, _: "200" if p is None else f"302 {reverse(settings.LOGIN_REDIRECT_URL)}"
    ),
    # Without a device there is no second step: straight on to where the login was going.
    "two_factor_verify": Case("get", at("two_factor_verify"), signed_in(f"302 {reverse('home')}")),
    "logout": Case("post", at("logout"), everyone(f"302 {reverse('home')}")),
    "favicon": Case("get", at("favicon"), everyone(f"302 {static('img/favicon.svg')}")),
    "set_language": Case(
        "post",
        at("set_language"),
        everyone(f"302 {reverse('regions:county_list')}"),
        data=lambda w, _: {"language": "sv", "next": reverse("regions:county_list")},
    ),
    "regions:county_list": Case("get", at("regions:county_list"), everyone("200")),
    "regions:county_detail": Case(
        "get", lambda w, which: reverse("regions:county_detail", args=[COUNTY[which]]), everyone("200"), objects=BOTH
    ),
    "regions:employment_area_detail": Case(
        "get",
        lambda w, which: reverse("regions:employment_area_detail", args=[employment_area_code(which)]),
        everyone("200"),
        objects=BOTH,
    ),
    "regions:municipality_detail": Case(
        "get",
        lambda w, which: reverse("regions:municipality_detail", args=[MUNICIPALITY[which]]),
        everyone("200"),
        objects=BOTH,
    ),
    "regions:organisation_members": Case(
        "get",
        lambda w, which: reverse(
            "regions:organisation_members", args=[Municipality.objects.get(code=MUNICIPALITY[which]).pk]
        ),
        members_expect,
        objects=BOTH,
    ),
    "users:me": Case("get", at("users:me"), signed_in("200")),
    "users:two_factor": Case("get", at("users:two_factor"), signed_in("200")),
    "users:notifications": Case("get", at("users:notifications"), signed_in("200")),
    "users:two_factor_create": Case(
        "post", at("users:two_factor_create"), signed_in(f"302 {reverse('users:two_factor')}")
    ),
    # A code with no device to check it against: the page again, with the error.
    "users:two_factor_remove": Case(
        "post", at("users:two_factor_remove"), signed_in("200"), data=lambda w, _: {"code": "123456"}
    ),
    "audit:list": Case(
        "get", at("audit:list"), lambda w, p, _: LOGIN if p is None else "200" if p == "admin_user" else "404"
    ),
    "agreements:audit": Case(
        "get", lambda w, which: reverse("agreements:audit", args=[w.agreements[which].pk]), audit_expect, objects=BOTH
    ),
    # The public register: open to everyone; the world's agreements are drafts, which it never shows.
    "register:index": Case("get", at("register:index"), everyone("200")),
    "register:language": Case(
        "get",
        lambda w, which: reverse("register:language") + "?language=sv&next=/regions/",
        everyone("302 /regions/"),
    ),
    "register:agreement": Case(
        "get",
        lambda w, which: reverse("register:agreement", args=[w.agreements[which].pk]),
        everyone("404"),
        objects=BOTH,
    ),
    "register:annex": Case(
        "get",
        lambda w, which: reverse("register:annex", args=[w.agreements[which].pk, 1]),
        everyone("404"),
        objects=BOTH,
    ),
    "register:minutes": Case(
        "get",
        lambda w, which: reverse("register:minutes", args=[w.agreements[which].pk, 1]),
        everyone("404"),
        objects=BOTH,
    ),
    # --- PDFs (issue 12): made and read by whoever reads the agreement; the sealed one is public ---
    "pdfs:create": Case(
        "post",
        lambda w, which: reverse("pdfs:create", args=[w.agreements[which].pk]),
        reader_expect(REDIRECT),
        objects=BOTH,
    ),
    "pdfs:status": Case("get", rendition_url("pdfs:status"), reader_expect("200"), objects=BOTH),
    # A PDF that is done is not made again: the answer sends the reader back to it.
    "pdfs:retry": Case("post", rendition_url("pdfs:retry"), reader_expect(REDIRECT), objects=BOTH),
    "pdfs:download": Case("get", rendition_url("pdfs:download"), reader_expect("200"), objects=BOTH),
    # The world's agreements are drafts, with no sealed PDF: not found, for everyone.
    "pdfs:signed": Case(
        "get", lambda w, which: reverse("pdfs:signed", args=[w.agreements[which].pk]), everyone("404"), objects=BOTH
    ),
    "pdfs:print": Case(
        "get", lambda w, which: reverse("pdfs:print", args=[w.agreements[which].pk]), reader_expect("200"), objects=BOTH
    ),
    "pdfs:public_print": Case(
        "get",
        lambda w, which: reverse("pdfs:public_print", args=[w.agreements[which].pk]),
        everyone("404"),
        objects=BOTH,
    ),
    # Anyone checks a file; nothing is stored.
    "pdfs:verify": Case("get", at("pdfs:verify"), everyone("200")),
    # --- end of PDFs ---
    # TYM steering groups (issue 11): public bodies, read by anyone logged in; set up and named by
    # the county's coordinators (Carol, Pirkanmaa's) and the officials of its employment authorities.
    "tym:county": Case(
        "get", lambda w, which: reverse("tym:county", args=[COUNTY[which]]), signed_in("200"), objects=BOTH
    ),
    "tym:group": Case(
        "get", lambda w, which: reverse("tym:group", args=[tym_group_pk(which)]), signed_in("200"), objects=BOTH
    ),
    "tym:group_create": Case(
        "get", lambda w, which: reverse("tym:group_create", args=[COUNTY[which]]), tym_writer_expect, objects=BOTH
    ),
    "tym:negotiation_add": Case(
        "get", lambda w, which: reverse("tym:negotiation_add", args=[COUNTY[which]]), tym_writer_expect, objects=BOTH
    ),
    "tym:member_add": Case(
        "get", lambda w, which: reverse("tym:member_add", args=[tym_group_pk(which)]), tym_writer_expect, objects=BOTH
    ),
    # Starting a group's TYM agreement: an employment authority's people only, and no persona is one
    # (tests/tym/test_start.py has the authority's official).
    "tym:agreement_start": Case(
        "get",
        lambda w, which: reverse("tym:agreement_start", args=[tym_group_pk(which)]),
        signed_in("403"),
        objects=BOTH,
    ),
    # A TYM agreement's terms (tym.agreement_views): each form's page, and the removals.
    "tym:location_add": tym_terms_case("tym:location_add"),
    "tym:location_edit": tym_terms_case("tym:location_edit", lambda a: a.location),
    "tym:location_delete": tym_terms_case("tym:location_delete", lambda a: a.location, "post"),
    "tym:service_edit": tym_terms_case("tym:service_edit"),
    "tym:staff_basis_edit": tym_terms_case("tym:staff_basis_edit"),
    "tym:staff_add": tym_terms_case("tym:staff_add"),
    "tym:staff_edit": tym_terms_case("tym:staff_edit", lambda a: a.staff_row),
    "tym:staff_delete": tym_terms_case("tym:staff_delete", lambda a: a.staff_row, "post"),
    "tym:review_edit": tym_terms_case("tym:review_edit"),
    "tym:cost_add": tym_terms_case("tym:cost_add"),
    "tym:cost_edit": tym_terms_case("tym:cost_edit", lambda a: a.cost),
    "tym:cost_delete": tym_terms_case("tym:cost_delete", lambda a: a.cost, "post"),
    "tym:cost_key_edit": tym_terms_case("tym:cost_key_edit"),
    "tym:kela_edit": tym_terms_case("tym:kela_edit"),
    # A group's yearly goals and staffing reviews: its county's coordinators and its employment
    # authorities' officials (through their permissions on the group).
    "tym:goal_add": Case(
        "get", lambda w, which: reverse("tym:goal_add", args=[tym_group_pk(which)]), tym_writer_expect, objects=BOTH
    ),
    "tym:staffing_review_add": Case(
        "get",
        lambda w, which: reverse("tym:staffing_review_add", args=[tym_group_pk(which)]),
        tym_writer_expect,
        objects=BOTH,
    ),
}


def agreements_case(name: str) -> Case:
    """A row of the agreements matrix, for the personas of this one."""
    method, _required, _login, args, data = agreements_matrix.CASES[name]

    def expect(world, persona, which):
        status = agreements_matrix.expected(name, which, persona)
        if status == 302:
            return LOGIN if persona is None else REDIRECT
        return str(status)

    return Case(
        method,
        lambda world, which: reverse(name, args=args(world.agreements[which])),
        expect,
        data=lambda world, which: data(world.agreements[which]) if callable(data) else data,
        objects=BOTH,
    )


# --- The Django admin ---------------------------------------------------------------------------

# What the portal admin may do with each registered model besides listing and viewing it: "add",
# "delete". A model missing here fails its admin rows. Why each is what it is:
ADMIN_MODELS: dict[str, set[str]] = {
    "auth.group": {"add", "delete"},
    # django-axes: attempts and logs are written by logins; an admin may delete one (to unlock).
    "axes.accessattempt": {"delete"},
    "axes.accesslog": {"delete"},
    "axes.accessfailurelog": {"delete"},
    # A lost authenticator is removed here; a device is added by its user on their own page.
    "otp_totp.totpdevice": {"add", "delete"},
    "users.user": {"add", "delete"},
    # Roles are granted and revoked (kept in step with the groups), never edited in place.
    "users.organisationrole": {"add", "delete"},
    "regions.organisation": {"add", "delete"},
    # Area data comes from load_areas: names and business IDs are corrected, nothing added or removed.
    "regions.municipality": set(),
    "regions.wellbeingcounty": set(),
    "regions.regionalcouncil": set(),
    "regions.employmentarea": set(),
    "regions.countymembership": set(),
    "regions.employmentareamembership": set(),
    "regions.regionalcouncilmembership": set(),
    # Agreements change only through the services: the admin only shows them.
    "agreements.agreement": set(),
    "agreements.section": set(),
    "agreements.sectionversion": set(),
    "agreements.comment": set(),
    "agreements.goal": set(),
    "agreements.forum": set(),
    "agreements.annex": set(),
    "agreements.event": set(),
    # PDFs are made by their jobs, and a sealed one by nobody else: the admin only shows them.
    "pdfs.rendition": set(),
    # TYM steering groups change only through the services, which keep the permissions on each
    # group in step: the admin only shows them.
    "tym.steeringgroup": set(),
    "tym.groupnegotiation": set(),
    "tym.groupmember": set(),
    "tym.groupyearlygoal": set(),
    "tym.staffingreview": set(),
    # The audit log is append-only, for superusers too.
    "audit.auditentry": set(),
}


def staff_only(status: str | Callable[[World], str]) -> Expect:
    """An admin page: the portal admin gets ``status``; everyone else is sent to the admin's login."""

    def expect(world, persona, which):
        if persona != "admin_user":
            return ADMIN_LOGIN
        return status(world) if callable(status) else status

    return expect


def admin_object(world: World, label: str) -> Model:
    instance = world.admin_objects.get(label)
    if instance is None:
        pytest.fail(f"the world has no {label} to open in the admin: create one in build_world()")
    return instance


def admin_model_cases(model: type[Model]) -> dict[str, Case]:
    opts = model._meta
    label, prefix = opts.label_lower, f"admin:{opts.app_label}_{opts.model_name}"
    if label not in ADMIN_MODELS:
        return {}
    may = ADMIN_MODELS[label]

    def object_url(name: str) -> Callable[[World, str | None], str]:
        return lambda world, which: reverse(name, args=[admin_object(world, label).pk])

    def change_path(world: World) -> str:
        return "302 " + reverse(f"{prefix}_change", args=[admin_object(world, label).pk])

    return {
        f"{prefix}_changelist": Case("get", at(f"{prefix}_changelist"), staff_only("200")),
        f"{prefix}_add": Case("get", at(f"{prefix}_add"), staff_only("200" if "add" in may else "403")),
        f"{prefix}_history": Case("get", object_url(f"{prefix}_history"), staff_only("200")),
        f"{prefix}_delete": Case(
            "get", object_url(f"{prefix}_delete"), staff_only("200" if "delete" in may else "403")
        ),
        # Read-only models show their change page as a view page.
        f"{prefix}_change": Case("get", object_url(f"{prefix}_change"), staff_only("200")),
        # The bare object address redirects to its change page.
        f"admin/{opts.app_label}/{opts.model_name}/<path:object_id>/": Case(
            "get",
            lambda world, which: reverse(f"{prefix}_changelist") + f"{admin_object(world, label).pk}/",
            staff_only(change_path),
        ),
    }


ADMIN_SITE = {
    "admin:index": Case("get", at("admin:index"), staff_only("200")),
    # The admin's login page shows a logged-in non-staff user that they are not authorised.
    "admin:login": Case(
        "get", at("admin:login"), lambda w, p, _: f"302 {reverse('admin:index')}" if p == "admin_user" else "200"
    ),
    # Logging out of the admin is logging out of the portal (LOGOUT_REDIRECT_URL); a visitor who is
    # not staff is sent to the admin's index, which sends them to its login.
    "admin:logout": Case(
        "post",
        at("admin:logout"),
        lambda w, p, _: f"302 {reverse('home')}" if p == "admin_user" else f"302 {reverse('admin:index')}",
    ),
    "admin:password_change": Case("get", at("admin:password_change"), staff_only("200")),
    "admin:password_change_done": Case("get", at("admin:password_change_done"), staff_only("200")),
    "admin:autocomplete": Case(
        "get",
        lambda w, which: (
            reverse("admin:autocomplete") + "?app_label=users&model_name=organisationrole&field_name=user&term=al"
        ),
        staff_only("200"),
    ),
    "admin:jsi18n": Case("get", at("admin:jsi18n"), staff_only("200")),
    # "View on site" for an agreement, which has no page address of its own in the admin.
    "admin:view_on_site": Case(
        "get",
        lambda w, which: reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(Agreement).pk, w.agreements[OWN].pk]
        ),
        staff_only("404"),
    ),
    "admin:app_list": Case("get", lambda w, which: reverse("admin:app_list", args=["agreements"]), staff_only("200")),
    "admin/(?P<url>.*)$": Case("get", lambda w, which: "/admin/no-such-page/", staff_only("404")),
    # OTP_ADMIN_HIDE_SENSITIVE_DATA: nobody sees another user's secret or QR code, admins included.
    "admin:otp_totp_totpdevice_config": Case(
        "get",
        lambda w, which: reverse("admin:otp_totp_totpdevice_config", args=[admin_object(w, "otp_totp.totpdevice").pk]),
        staff_only("403"),
    ),
    "admin:otp_totp_totpdevice_qrcode": Case(
        "get",
        lambda w, which: reverse("admin:otp_totp_totpdevice_qrcode", args=[admin_object(w, "otp_totp.totpdevice").pk]),
        staff_only("403"),
    ),
    "admin:auth_user_password_change": Case(
        "get",
        lambda w, which: reverse("admin:auth_user_password_change", args=[w.users["alice"].pk]),
        staff_only("200"),
    ),
}


def expectations() -> dict[str, Case]:
    table = dict(SITE)
    table.update({name: agreements_case(name) for name in agreements_matrix.CASES if name not in table})
    for model in admin.site._registry:
        table.update(admin_model_cases(model))
    table.update(ADMIN_SITE)
    return table


EXPECTATIONS = expectations()
ROUTES = project_routes()


# --- Asking ---------------------------------------------------------------------------------------


def outcome(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(reverse("login") + "?next="):
            return LOGIN
        if location.startswith(reverse("admin:login") + "?next="):
            return ADMIN_LOGIN
        return f"{response.status_code} {urlsplit(location).path}"
    return str(response.status_code)


def matches(expected: str, actual: str) -> bool:
    if expected == REDIRECT:
        return actual.startswith("302 ")
    return expected == actual


def ask(world: World, case: Case, persona: str | None, which: str | None, **client_kwargs):
    """One request, in a savepoint rolled back afterwards."""
    with transaction.atomic():
        client = world.client(persona, **client_kwargs)
        url = case.url(world, which)
        response = getattr(client, case.method)(url, case.data(world, which))
        transaction.set_rollback(True)
    return url, response


# --- The tests ------------------------------------------------------------------------------------


def test_the_walk_finds_every_part_of_the_project():
    keys = {r.key for r in ROUTES}

    assert len(keys) == len(ROUTES), "two URL patterns share a name; key them apart"
    for expected in ("home", "health", "login", "logout", "set_language", "admin:index", "agreements:detail"):
        assert expected in keys
    assert {k.split(":")[0] for k in keys if ":" in k} >= {"regions", "users", "agreements", "admin"}


def test_every_url_pattern_has_an_expectation():
    missing = [r.key for r in ROUTES if r.key not in EXPECTATIONS]
    stale = sorted(set(EXPECTATIONS) - {r.key for r in ROUTES})

    assert not missing, f"URL patterns without an entry in EXPECTATIONS: {missing}"
    assert not stale, f"entries in EXPECTATIONS for URL patterns that no longer exist: {stale}"


def _params():
    for route in ROUTES:
        case = EXPECTATIONS.get(route.key)
        for which in case.objects if case else (None,):
            yield pytest.param(route.key, which, id=f"{route.key}-{which}" if which else route.key)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "which"), list(_params()))
def test_permission_matrix(world, key, which):
    case = EXPECTATIONS.get(key)
    if case is None:
        pytest.fail(f"URL pattern {key!r} has no entry in EXPECTATIONS: add what each persona gets")

    wrong = []
    for persona in PERSONAS:
        url, response = ask(world, case, persona, which)
        expected, actual = case.expect(world, persona, which), outcome(response)
        if not matches(expected, actual):
            wrong.append(f"{persona or 'anonymous'}: {case.method.upper()} {url} expected {expected}, got {actual}")

    assert not wrong, f"{key} ({which or 'no object'}):\n" + "\n".join(wrong)


PRIVATE = [r.key for r in ROUTES if r.key.startswith(("agreements:", "audit:"))]


def _private_params():
    for key in PRIVATE:
        for which in EXPECTATIONS[key].objects:
            yield pytest.param(key, which, id=f"{key}-{which}" if which else key)


def test_every_agreement_and_audit_page_is_checked_for_its_cache_header():
    assert {"agreements:detail", "agreements:section", "agreements:annex_download", "audit:list"} <= set(PRIVATE)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "which"), list(_private_params()))
def test_no_shared_cache_keeps_what_an_agreement_holds(world, key, which):
    """Every answer of the agreements' and audit log's pages, to the portal admin (who sees them all)
    and to a visitor who does not, says ``Cache-Control: private, no-store``."""
    case = EXPECTATIONS[key]

    for persona in ("admin_user", "dave", None):
        url, response = ask(world, case, persona, which)
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= directives, f"{persona}: {case.method.upper()} {url}: {directives}"
        assert "public" not in directives
