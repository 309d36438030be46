"""The audit log: every write recorded by the database, with who, when and from where; append-only."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agreements.models import Agreement, Goal
from agreements.services import (
    forum_save,
    goal_save,
    indicator_save,
    measure_save,
    section_save,
    structured_delete,
)
from audit.models import AuditEntry
from audit.selectors import describe
from audit.triggers import audited_tables
from regions.models import Municipality
from tests.agreements.factories import start_strategic
from users.models import Role
from users.services import organisation_role_grant, organisation_role_revoke

ADDRESS = "10.20.30.40"


@pytest.fixture
def since(db) -> int:
    """Entries before the test (the area data, earlier transactional tests) are not the test's."""
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def agreement(carol):
    return start_strategic("08")


def entries(since: int, **filters):
    return AuditEntry.objects.filter(id__gt=since, **filters).order_by("id")


def test_an_edit_in_the_browser_is_recorded_with_who_when_where_and_a_version_reference(
    client, alice, agreement, since
):
    client.force_login(alice)
    url = reverse("agreements:section_save", args=[agreement.pk, "2"])
    client.post(url, {"text": "<p>Uusi teksti</p>", "base_version": 0}, REMOTE_ADDR=ADDRESS)

    section = entries(since, table="agreements_section", action="update").get()
    assert (section.actor, section.actor_id, section.ip) == ("alice", alice.pk, ADDRESS)
    assert section.agreement_id == agreement.pk
    assert section.source == f"POST {url}"
    assert section.changes["version"] == [0, 1]
    # The text itself is not copied into the log: the version number refers to it.
    assert section.changes["text"][1] == "[redacted]"
    assert "Uusi teksti" not in str(section.changes)
    version = entries(since, table="agreements_sectionversion", action="insert").get()
    assert version.changes["number"] == [None, 1]
    assert version.agreement_id == agreement.pk  # two foreign keys away: version → section → agreement
    assert version.actor == "alice"


def test_queryset_updates_and_deletes_are_recorded_too(agreement, carol, since):
    goal = goal_save(agreement=agreement, by=carol, title="Asuminen", theme="housing")

    Agreement.objects.filter(pk=agreement.pk).update(title="Uusi nimi")
    Goal.objects.filter(pk=goal.pk).delete()

    update = entries(since, table="agreements_agreement", action="update", changes__has_key="title").get()
    assert update.changes["title"] == [agreement.title, "Uusi nimi"]
    assert update.object_id == str(agreement.pk)
    delete = entries(since, table="agreements_goal", action="delete").get()
    assert delete.agreement_id == agreement.pk
    assert delete.changes["title"] == ["Asuminen", None]


def test_an_update_that_changes_nothing_records_nothing(agreement, since):
    Agreement.objects.filter(pk=agreement.pk).update(title=agreement.title)
    assert not entries(since).exists()


def test_role_grants_and_revokes_are_recorded_as_permission_changes(alice, since):
    nokia = Municipality.objects.get(code="536").as_organisation
    organisation_role_grant(user=alice, organisation=nokia, role=Role.OFFICIAL)
    organisation_role_revoke(user=alice, organisation=nokia, role=Role.OFFICIAL)

    membership = entries(since, table="users_user_groups")
    assert list(membership.values_list("action", flat=True)) == ["insert", "delete"]
    assert {tuple(e.changes["user_id"]) for e in membership} == {(None, alice.pk), (alice.pk, None)}


def test_granting_an_agreement_permission_names_the_agreement(carol, since):
    agreement = start_strategic("08")
    granted = entries(since, table="agreements_agreementgroupobjectpermission", action="insert")
    assert granted.count() > 0
    assert set(granted.values_list("agreement_id", flat=True)) == {agreement.pk}


def test_logins_failed_logins_and_logouts_are_recorded(client, alice, since):
    login = reverse("login")
    client.post(login, {"username": "alice", "password": "wrong password"}, REMOTE_ADDR=ADDRESS)
    client.post(login, {"username": "alice", "password": "correct horse battery staple"}, REMOTE_ADDR=ADDRESS)
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)

    recorded = list(
        entries(since).exclude(action__in=["insert", "update", "delete"]).values_list("action", "actor", "ip")
    )
    assert recorded == [
        ("login_failed", "alice", ADDRESS),
        ("login", "alice", ADDRESS),
        ("logout", "alice", ADDRESS),
    ]
    failed = entries(since, action="login_failed").get()
    assert failed.actor_id is None
    assert "wrong password" not in str(failed.changes)


def test_a_lockout_is_recorded(client, alice, settings, since):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        client.post(reverse("login"), {"username": "alice", "password": "nope"}, REMOTE_ADDR=ADDRESS)
    assert entries(since, action="locked_out", actor="alice", ip=ADDRESS).exists()


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_entry SET actor = 'someone else'", "DELETE FROM audit_entry"],
    ids=["update", "delete"],
)
def test_entries_cannot_be_changed_or_deleted_in_the_database(agreement, sql):
    assert AuditEntry.objects.exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_entries_cannot_be_changed_through_the_orm_either(agreement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()


@pytest.mark.postgres
def test_the_log_cannot_be_truncated(agreement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_entry")


def test_the_admin_shows_entries_but_cannot_add_change_or_delete_them(client, admin_user, agreement):
    client.force_login(admin_user)
    entry = AuditEntry.objects.filter(agreement_id=agreement.pk).first()
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    change = client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"actor": "x"})
    assert change.status_code == 403 or AuditEntry.objects.get(pk=entry.pk).actor == entry.actor
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_every_table_of_the_audited_apps_has_its_trigger(db):
    tables = {a.table for a in audited_tables()}
    assert {"agreements_agreement", "agreements_sectionversion", "users_user_groups", "regions_municipality"} <= tables
    assert {"guardian_userobjectpermission", "agreements_agreementgroupobjectpermission", "auth_group"} <= tables
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE tgname = 'audit_row'"
            )
            triggered = {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_row_%'")
            triggered = {row[0] for row in cursor.fetchall()}
    assert tables == triggered


# --- Reading the log ---------------------------------------------------------------------------


def test_the_coordinator_reads_their_agreements_log(client, carol, alice, agreement):
    client.force_login(alice)
    client.post(
        reverse("agreements:section_save", args=[agreement.pk, "2"]),
        {"text": "<p>A</p>", "base_version": 0},
        REMOTE_ADDR=ADDRESS,
    )
    other = start_strategic("90")
    client.force_login(carol)

    page = client.get(reverse("agreements:audit", args=[agreement.pk]), headers={"accept-language": "en"})

    assert page.status_code == 200
    rows = page.context["rows"]
    assert any(r.entry.actor == "alice" and r.entry.table == "agreements_section" for r in rows)
    assert all(r.entry.agreement_id == agreement.pk for r in rows)
    assert other.pk != agreement.pk
    assert "Changed: Section “2 ".encode() in page.content
    # Other organisations' people's addresses are for the admins' log only.
    assert ADDRESS.encode() not in page.content


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 403), ("sam", 403), ("dave", 404), ("carol", 200), ("admin_user", 200)]
)
def test_who_may_read_an_agreements_log(client, request, agreement, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("agreements:audit", args=[agreement.pk])).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("alice", 404), ("carol", 404), ("olga", 404), ("admin_user", 200)])
def test_only_admins_read_the_whole_log(client, request, areas, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit:list")).status_code == status


def test_admins_filter_the_log(client, admin_user, alice, since):
    client.post(reverse("login"), {"username": "alice", "password": "nope"}, REMOTE_ADDR=ADDRESS)
    client.force_login(admin_user)

    failed = client.get(reverse("audit:list"), {"action": "login_failed", "ip": ADDRESS})
    permissions = client.get(reverse("audit:list"), {"table": "permissions"})

    assert [r.entry.action for r in failed.context["rows"]] == ["login_failed"]
    assert {r.is_permission for r in permissions.context["rows"]} == {True}


def test_a_backwards_date_range_is_explained_next_to_the_field(client, admin_user):
    client.force_login(admin_user)
    today = datetime.date.today()
    page = client.get(
        reverse("audit:list"),
        {"since": today, "until": today - datetime.timedelta(days=1)},
        headers={"accept-language": "en"},
    )
    assert page.context["form"].errors == {"until": ["The end date is before the start date."]}
    html = page.content.decode()
    field = html[html.index('name="until"') - 400 : html.index('name="until"') + 600]
    assert 'aria-invalid="true"' in field
    assert "The end date is before the start date." in field


def test_the_log_page_runs_the_same_queries_for_one_round_of_edits_or_a_full_page(client, admin_user, alice, agreement):
    """The rows the entries name are read in one query per kind of row on the page, however many."""
    from django.test import RequestFactory

    from audit.context import acting

    nokia = Municipality.objects.get(code="536").as_organisation
    request = RequestFactory().post("/", REMOTE_ADDR=ADDRESS)
    request.user = alice

    def edit_everything(n: int) -> None:
        with acting(request=request):
            goal = goal_save(agreement=agreement, by=alice, title=f"Tavoite {n}", theme="housing")
            measure_save(goal=goal, by=alice, description=f"Toimenpide {n}")
            indicator_save(goal=goal, by=alice, name=f"Mittari {n}", baseline_value=Decimal("12.5"))
            forum_save(agreement=agreement, by=alice, name=f"Foorumi {n}", level="executive")
            section = agreement.sections.get(key="2")
            section_save(section=section, text=f"<p>{n}</p>", base_version=section.version, by=alice)
            organisation_role_grant(user=alice, organisation=nokia, role=Role.OFFICIAL)
            organisation_role_revoke(user=alice, organisation=nokia, role=Role.OFFICIAL)

    client.force_login(admin_user)
    url = reverse("audit:list")
    edit_everything(0)
    with CaptureQueriesContext(connection) as one_round:
        few = client.get(url, {"ip": ADDRESS})
    for n in range(1, 12):
        edit_everything(n)
    with CaptureQueriesContext(connection) as full_page:
        many = client.get(url, {"ip": ADDRESS})

    kinds = {row.entry.table for row in few.context["rows"]}
    assert len(kinds) >= 10
    assert {row.entry.table for row in many.context["rows"]} == kinds
    assert len(few.context["rows"]) <= 25 and len(many.context["rows"]) == 50
    assert len(full_page) == len(one_round) <= 30


def test_codes_at_the_second_step_are_recorded_wrong_and_right(client, alice, since):
    from tests.users.test_two_factor import code, log_in, turn_on, wait_out_throttling, wrong_code

    device = turn_on(alice)
    log_in(client, alice)
    client.post(reverse("two_factor_verify"), {"code": wrong_code(device)}, REMOTE_ADDR=ADDRESS)
    wait_out_throttling(device)
    client.post(reverse("two_factor_verify"), {"code": code(device)}, REMOTE_ADDR=ADDRESS)

    events = entries(since, action__in=["2fa_failed", "2fa_verified"]).values_list("action", "actor", "ip")
    assert list(events) == [("2fa_failed", "alice", ADDRESS), ("2fa_verified", "alice", ADDRESS)]


def test_sessions_signed_with_an_old_secret_key_still_load_and_are_recorded(client, alice, settings, since):
    """Loading the user re-keys such a session, a write while the acting user is being found."""
    client.force_login(alice)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 20

    assert client.get(reverse("users:me")).status_code == 200


def test_a_request_does_not_lend_its_user_to_later_writes(client, alice, agreement, since):
    client.force_login(alice)
    client.post(reverse("agreements:section_save", args=[agreement.pk, "2"]), {"text": "<p>A</p>", "base_version": 0})

    # After the request, on the same connection: a write by no request, in a form the wrapper sees.
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH t AS (SELECT 1) UPDATE agreements_agreement SET title = %s WHERE id = %s", ["Myöhemmin", agreement.pk]
        )

    later = entries(since, table="agreements_agreement", changes__has_key="title").get()
    assert (later.actor, later.actor_id, later.ip) == ("", None, "")


def test_triggers_are_installed_only_on_tables_that_exist(db):
    from audit.triggers import statements

    partial = statements(connection.vendor, {"audit_entry", "agreements_agreement"})
    assert any("agreements_agreement" in s for s in partial)
    assert not any("agreements_goal" in s for s in partial)


def rows_text(client, url: str, language: str, **params) -> str:
    page = client.get(url, params, headers={"accept-language": language}).content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rows)))


# What a section save, a role grant and an agreement permission granted to a role group read like.
READS = {
    "fi": [
        "Muutettu: Kohta ”2 Sopimuksen lähtökohdat ja tarkoitus”",
        "Viimeksi muuttanut – → alice",
        "Nykyinen versio 0 → 1",
        "Luotu: Tapahtuma ”Kohtaa muokattu: 2 Sopimuksen lähtökohdat ja tarkoitus”",
        "Tekijä – → alice",
        "Mitä tapahtui – → Kohtaa muokattu",
        "Luotu: Organisaatiorooli ”alice – Nokia – Viranhaltija”",
        "Luotu: Ryhmäjäsenyys",
        "Ryhmä – → Nokia: Viranhaltija",
        "Luotu: Rooliryhmän oikeus sopimukseen ”Voi hallinnoida sopimusta ja sen osapuolia – "
        "Pirkanmaan hyvinvointialue: Koordinaattori”",
        "Käyttöoikeus – → Katseluoikeus: sopimus",
    ],
    "sv": [
        "Ändrad: Punkt ”2 Sopimuksen lähtökohdat ja tarkoitus”",
        "Senast ändrad av – → alice",
        "Aktuell version 0 → 1",
        "Skapad: Händelse ”Punkt redigerad: 2 Sopimuksen lähtökohdat ja tarkoitus”",
        "Utförd av – → alice",
        "Vad som hände – → Punkt redigerad",
        "Skapad: Organisationsroll ”alice – Nokia – Tjänsteinnehavare”",
        "Skapad: Gruppmedlemskap",
        "Grupp – → Nokia: Tjänsteinnehavare",
        "Skapad: Rollgruppens behörighet till ett avtal ”Kan hantera avtalet och dess parter – "
        "Birkalands välfärdsområde: Koordinator”",
        "Behörighet – → Rätt att visa: avtal",
    ],
    "en": [
        "Changed: Section “2 Sopimuksen lähtökohdat ja tarkoitus”",
        "Last changed by – → alice",
        "Current version 0 → 1",
        "Created: Event “Section edited: 2 Sopimuksen lähtökohdat ja tarkoitus”",
        "Done by – → alice",
        "What – → Section edited",
        "Created: Organisation role “alice – Nokia – Official”",
        "Created: Group membership",
        "Group – → Nokia: Official",
        "Created: Role group's permission on an agreement “Can manage the agreement and its parties – "
        "Pirkanmaa wellbeing services county: Coordinator”",
        "Permission – → Permission to view: agreement",
    ],
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_log_reads_in_the_readers_language_with_names_labels_and_local_times(
    client, admin_user, carol, alice, agreement, language
):
    client.force_login(alice)
    client.post(reverse("agreements:section_save", args=[agreement.pk, "2"]), {"text": "<p>A</p>", "base_version": 0})
    organisation_role_grant(user=alice, organisation=Municipality.objects.get(code="536"), role=Role.OFFICIAL)
    client.force_login(carol)
    agreement_log = rows_text(client, reverse("agreements:audit", args=[agreement.pk]), language)
    client.force_login(admin_user)
    permissions = rows_text(client, reverse("audit:list"), language, table="permissions")
    page = agreement_log + permissions

    for reads in READS[language]:
        assert reads in page
    saved = agreement.sections.get(key="2").updated_at
    assert timezone.localtime(saved).strftime("%-d.%-m.%Y %H.%M.%S") in agreement_log
    # Only Helsinki time (two hours ahead in December, three in summer), no UTC and no ISO stamps.
    assert saved.astimezone(datetime.UTC).strftime("%-d.%-m.%Y %H.%M.%S") not in agreement_log
    assert not re.search(r"\d{4}-\d\d-\d\d[T ]\d\d:", page)
    assert "section_saved" not in page
    assert f"– → {agreement.title} " in page  # a foreign key by the name of the row it refers to
    if language != "en":
        for english in ("Actor", "Section", "object permission", "Agreement group", "relationship", "Done by"):
            assert english not in page


def test_a_deleted_object_is_named_by_what_its_entries_recorded(client, carol, alice, agreement):
    goal = goal_save(agreement=agreement, by=alice, title="Asuminen", theme="housing")
    measure_save(goal=goal, by=alice, description="Asumisneuvonta")
    indicator_save(goal=goal, by=alice, name="Asunnottomat", baseline_value=Decimal("12.500"))
    number = goal.pk
    structured_delete(item=goal, by=alice)
    client.force_login(carol)

    page = rows_text(client, reverse("agreements:audit", args=[agreement.pk]), "fi")

    assert "Luotu: Tavoite ”Asuminen” (poistettu myöhemmin)" in page
    assert "Poistettu: Tavoite ”Asuminen”" in page
    assert "Poistettu: Toimenpide ”Asumisneuvonta”" in page
    assert "Teema Asuminen → –" in page  # the theme's label, not its code
    assert f"Tavoite #{number} → –" in page  # the measure's goal, gone: its number
    assert "Lähtötaso 12,5 → –" in page  # a decimal comma


def test_the_log_names_objects_and_fields_in_each_readers_language(agreement):
    entry = AuditEntry.objects.filter(table=agreement.sections.model._meta.db_table).first()

    def read(language: str) -> tuple[str, list[str]]:
        with translation.override(language):
            (row,) = describe([entry])
            return str(row.subject), [str(change.field) for change in row.changes]

    finnish, english = read("fi"), read("en")

    assert finnish[0].startswith("Kohta ”") and "Otsikko" in finnish[1]
    assert english[0].startswith("Section “") and "Title" in english[1]
