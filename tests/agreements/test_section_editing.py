import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections

from agreements.models import Event, Section, SectionVersion
from agreements.services import SectionConflict, section_restore, section_save
from regions.models import Municipality
from tests.agreements.factories import start_strategic


@pytest.fixture
def section(alice):
    return start_strategic().sections.get(key="2")


def test_every_save_is_a_version_with_who_and_when(section, alice, bob):
    section_save(section=section, text="<p>Ensimmäinen</p>", base_version=0, by=alice)
    section_save(section=section, text="<p>Toinen</p>", base_version=1, by=bob)

    section.refresh_from_db()
    assert section.version == 2
    assert section.text == "<p>Toinen</p>"
    assert list(section.versions.values_list("number", "created_by__username", "based_on")) == [
        (2, "bob", 1),
        (1, "alice", 0),
    ]


def test_a_stale_save_is_refused_and_changes_nothing(section, alice, bob):
    section_save(section=section, text="<p>Alice</p>", base_version=0, by=alice)

    with pytest.raises(SectionConflict) as conflict:
        section_save(section=section, text="<p>Bob</p>", base_version=0, by=bob)

    assert conflict.value.section.version == 1
    section.refresh_from_db()
    assert section.text == "<p>Alice</p>"
    assert section.versions.count() == 1


def test_saving_the_same_text_again_makes_no_new_version(section, alice):
    section_save(section=section, text="<p>Sama</p>", base_version=0, by=alice)

    assert section_save(section=section, text="<p>Sama</p>", base_version=1, by=alice) is None
    assert section.versions.count() == 1


def test_an_old_version_is_restored_as_a_new_one(section, alice):
    section_save(section=section, text="<p>Yksi</p>", base_version=0, by=alice)
    section_save(section=section, text="<p>Kaksi</p>", base_version=1, by=alice)

    version = section_restore(section=section, number=1, base_version=2, by=alice)

    assert (version.number, version.restored_from, version.text) == (3, 1, "<p>Yksi</p>")
    assert section.versions.count() == 3


def test_a_burst_of_autosaves_is_one_timeline_entry(section, alice):
    for n in range(5):
        section_save(section=section, text=f"<p>{n}</p>", base_version=n, by=alice)

    assert Event.objects.filter(agreement=section.agreement, kind=Event.Kind.SECTION_SAVED).count() == 1


def test_someone_outside_the_parties_cannot_save(section, dave):
    with pytest.raises(PermissionDenied):
        section_save(section=section, text="<p>x</p>", base_version=0, by=dave)


def test_a_signatory_may_not_edit(section, sam):
    with pytest.raises(PermissionDenied):
        section_save(section=section, text="<p>x</p>", base_version=0, by=sam)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_two_connections_lose_no_update():
    from regions.services import areas_load
    from tests.conftest import make_user

    areas_load()
    alice = make_user("alice", Municipality.objects.get(code="837"))
    bob = make_user("bob", Municipality.objects.get(code="536"))
    section = start_strategic().sections.get(key="2")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(user, text):
        try:
            barrier.wait(timeout=10)
            section_save(section=section, text=text, base_version=0, by=user)
            outcomes[user.username] = "saved"
        except SectionConflict:
            outcomes[user.username] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(u, f"<p>{u.username}</p>")) for u in (alice, bob)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    section = Section.objects.get(pk=section.pk)
    assert (section.version, section.text) == (1, f"<p>{winner}</p>")
    assert SectionVersion.objects.filter(section=section).count() == 1
