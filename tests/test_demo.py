import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from users.models import OrganisationRole, User
from users.services import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def development(settings):
    settings.DEBUG = True


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_creates_the_demo_users_and_prints_their_logins(areas):
    output = run_demo()

    for username in ("tampere", "nokia", "pirkanmaa", "tampereen-seutu", "kela", "admin"):
        assert username in output
        request = RequestFactory().post("/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None
    assert DEMO_PASSWORD in output
    roles = {
        (r.user.username, r.organisation.name_fi, r.role)
        for r in OrganisationRole.objects.select_related("user", "organisation")
    }
    assert roles == {
        ("tampere", "Tampere", "official"),
        ("nokia", "Nokia", "official"),
        ("pirkanmaa", "Pirkanmaan hyvinvointialue", "coordinator"),
        ("tampereen-seutu", "Tampereen seutu", "official"),
        ("kela", "Kansaneläkelaitos (Kela)", "official"),
    }
    assert User.objects.get(username="admin").is_superuser


def test_demo_twice_changes_nothing(areas):
    run_demo()
    before = (
        User.objects.count(),
        OrganisationRole.objects.count(),
        list(User.objects.values_list("username", "groups")),
    )

    output = run_demo()

    assert "Loaded: 0 created, 0 updated" in output
    after = (
        User.objects.count(),
        OrganisationRole.objects.count(),
        list(User.objects.values_list("username", "groups")),
    )
    assert after == before


def test_demo_refuses_to_run_in_production(areas, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        run_demo()
    assert not User.objects.filter(username="admin").exists()


def test_demo_has_pirkanmaas_agreement_with_goals_comments_and_a_resolved_conflict(areas):
    from agreements.models import Agreement, Comment, SectionVersion

    run_demo()
    run_demo()

    agreement = Agreement.objects.get()
    assert agreement.parties.filter(organisation__kind="municipality").count() == 23
    assert agreement.goals.count() == 6
    assert all(g.measures.exists() and g.indicators.exists() for g in agreement.goals.all())
    threads = Comment.objects.filter(section__agreement=agreement, parent__isnull=True)
    assert threads.filter(resolved_at__isnull=True).exists() and threads.filter(resolved_at__isnull=False).exists()
    assert SectionVersion.objects.filter(section__agreement=agreement, resolved_conflict=True).count() == 1
    assert agreement.forums.count() == 3
