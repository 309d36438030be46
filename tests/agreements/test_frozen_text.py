"""A frozen text stays as it was frozen, whatever path a change comes by: views, services, the admin,
queryset updates and deletes, raw SQL. Comments, the status and the workflow's dates still change.

Carol coordinates Pirkanmaa and froze the text; Alice (Tampere) is a party's official.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Annex, Forum, ForumSeat, Goal, Indicator, Measure, Party, Section
from agreements.services import (
    comment_add,
    forum_save,
    goal_save,
    indicator_save,
    measure_save,
    party_update,
    section_save,
)
from agreements.services.workflow import transition
from tests.agreements.workflow_factories import frozen, interface_agreement


@pytest.fixture
def agreement(carol):
    agreement = interface_agreement(carol)
    goal = goal_save(agreement=agreement, by=carol, title="Tavoite", theme="housing")
    measure_save(goal=goal, by=carol, description="Toimenpide", co_parties=list(agreement.parties.all()[:1]))
    indicator_save(goal=goal, by=carol, name="Mittari")
    forum_save(agreement=agreement, by=carol, name="Foorumi", level="expert", seats={agreement.parties.first(): 2})
    frozen(agreement, carol)
    agreement.refresh_from_db()
    return agreement


def refused(write) -> None:
    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        write()


def test_the_services_refuse_to_change_a_frozen_text(agreement, carol):
    section = agreement.sections.get(key="2")

    with pytest.raises(PermissionDenied):
        section_save(section=section, text="<p>Muutos</p>", base_version=section.version, by=carol)
    with pytest.raises(PermissionDenied):
        goal_save(agreement=agreement, by=carol, title="Uusi", theme="other")
    with pytest.raises(PermissionDenied):
        party_update(party=agreement.parties.first(), official_name="Uusi nimi", business_id="", by=carol)


def test_the_views_refuse_to_change_a_frozen_text(agreement, carol, client):
    client.force_login(carol)
    section = agreement.sections.get(key="2")

    response = client.post(
        reverse("agreements:section_save", args=[agreement.pk, "2"]),
        {"text": "<p>Muutos</p>", "base_version": section.version},
    )

    assert response.status_code == 403
    section.refresh_from_db()
    assert section.text == "<p>Tarkoitus</p>"


def test_comments_stay_open_on_a_frozen_text(agreement, alice):
    comment = comment_add(section=agreement.sections.get(key="2"), text="Hyvä näin", by=alice)

    assert comment.pk is not None


QUERYSET_WRITES = dict(
    zip(
        [
            "section text",
            "section title",
            "goal",
            "measure",
            "indicator",
            "forum",
            "seat",
            "party",
            "new section",
            "new goal",
            "responsible party",
            "co-party",
            "annex",
            "agreement title",
            "validity",
            "hash",
            "reopened",
        ],
        [
            lambda a: Section.objects.filter(agreement=a).update(text="<p>Toisin</p>"),
            lambda a: Section.objects.filter(agreement=a).update(title="Toisin"),
            lambda a: Goal.objects.filter(agreement=a).update(title="Toisin"),
            lambda a: Measure.objects.filter(goal__agreement=a).update(description="Toisin"),
            lambda a: Indicator.objects.filter(goal__agreement=a).update(name="Toisin"),
            lambda a: Forum.objects.filter(agreement=a).update(name="Toisin"),
            lambda a: ForumSeat.objects.filter(forum__agreement=a).update(seats=5),
            lambda a: Party.objects.filter(agreement=a).update(official_name="Toisin"),
            lambda a: Section.objects.create(agreement=a, key="11", title="Uusi", position=99),
            lambda a: Goal.objects.create(agreement=a, title="Uusi", theme="other"),
            lambda a: Goal.objects.get(agreement=a).responsible_parties.add(a.parties.first()),
            lambda a: Measure.objects.get(goal__agreement=a).co_parties.add(a.parties.last()),
            lambda a: Annex.objects.create(agreement=a, title="Liite", size=1, sha256="0" * 64, file="x.pdf"),
            lambda a: Agreement.objects.filter(pk=a.pk).update(title="Toisin"),
            lambda a: Agreement.objects.filter(pk=a.pk).update(valid_until="2030-12-31"),
            lambda a: Agreement.objects.filter(pk=a.pk).update(text_sha256="0" * 64),
            lambda a: Agreement.objects.filter(pk=a.pk).update(status="draft"),
        ],
        strict=True,
    )
)
DELETES = {
    "sections": lambda a: Section.objects.filter(agreement=a).delete(),
    "goals": lambda a: Goal.objects.filter(agreement=a).delete(),
    "parties": lambda a: Party.objects.filter(agreement=a).delete(),
    "co-parties": lambda a: Measure.objects.get(goal__agreement=a).co_parties.clear(),
    "the agreement": lambda a: a.delete(),
}


def test_the_database_refuses_a_queryset_write_to_a_frozen_text(agreement):
    for name, write in QUERYSET_WRITES.items():
        try:
            refused(lambda write=write: write(agreement))
        except pytest.fail.Exception:
            pytest.fail(f"{name}: not refused")


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_a_frozen_text(agreement):
    for name, write in DELETES.items():
        try:
            refused(lambda write=write: write(agreement))
        except pytest.fail.Exception:
            pytest.fail(f"{name}: not refused")


@pytest.mark.postgres
def test_raw_sql_is_refused_too(agreement):
    def write():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE agreements_section SET text = '' WHERE agreement_id = %s", [agreement.pk])

    refused(write)


def test_the_status_and_the_workflows_dates_still_change(agreement, carol):
    moved = transition(agreement=agreement, to=Agreement.Status.IN_DECISION, by=carol)
    Agreement.objects.filter(pk=agreement.pk).update(signed_at=timezone.now(), ended_on="2027-01-31")

    assert moved.status == Agreement.Status.IN_DECISION


def test_a_user_who_wrote_in_a_frozen_text_can_still_be_deleted(agreement, carol):
    # Their name goes from the section's "last changed by" (SET_NULL): that is not the text.
    carol.delete()

    assert Section.objects.get(agreement=agreement, key="2").updated_by is None


def test_an_open_text_is_written_as_before(carol):
    draft = interface_agreement(carol, "Luonnos")

    Section.objects.filter(agreement=draft, key="2").update(title="Toisin")
    Goal.objects.create(agreement=draft, title="Uusi", theme="other")
    Agreement.objects.filter(pk=draft.pk).update(title="Toisin")


def test_the_admin_shows_a_frozen_agreement_read_only(agreement, admin_user, client):
    client.force_login(admin_user)
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])

    page = client.get(url)
    posted = client.post(url, {"title": "Toisin"})

    assert page.status_code == 200
    assert agreement.text_sha256 in page.content.decode()
    assert b'name="title"' not in page.content
    assert posted.status_code == 403
    agreement.refresh_from_db()
    assert agreement.title == "Perhekeskus"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_of_a_frozen_agreement_restores_and_stays_frozen(areas, carol, settings, tmp_path):
    # pg_restore loads the rows before it creates the triggers (the dump's post-data section).
    import io

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    agreement = interface_agreement(carol)
    frozen(agreement, carol)
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())

    call_command("restore", tmp_path / "backup", "--yes", stdout=io.StringIO())

    connection.close()
    restored = Agreement.objects.get(pk=agreement.pk)
    assert restored.status == Agreement.Status.NEGOTIATED
    assert Section.objects.filter(agreement=restored).count() == agreement.sections.count()
    refused(lambda: Section.objects.filter(agreement=restored).update(text=""))


@pytest.mark.django_db(transaction=True)
def test_a_frozen_agreement_does_not_stop_the_flush_after_a_transactional_test(areas, carol):
    # The flush after this test empties every table: a TRUNCATE on PostgreSQL, DELETEs in no fixed
    # order on SQLite, where the triggers therefore refuse no DELETE (agreements.frozen).
    frozen(interface_agreement(carol), carol)

    assert Agreement.objects.filter(status=Agreement.Status.NEGOTIATED).exists()
