"""Signing: who names signatories, who signs what and when, with a fresh second factor; signatures
made outside the portal; the agreement signed and in force when the last bound party has signed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements.models import Agreement, Decision, Event, Signatory, Signature
from agreements.services import signing
from regions.models import Municipality
from tests.agreements.factories import start_strategic
from tests.agreements.signing import (
    county_party,
    decide,
    interface_agreement,
    party_of,
    pdf,
    to_decision,
    to_signing,
)
from tests.conftest import make_user
from tests.users.test_two_factor import code, log_in_fully, turn_on, wrong_code
from users.models import Role
from users.services import organisation_role_revoke, two_factor_device_verify

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def agreement(carol, alice):
    """Being signed: the county, Nokia and Tampere have approved; Alice is Tampere's official."""
    return to_signing(interface_agreement(carol), carol)


@pytest.fixture
def sams_place(agreement, alice, sam):
    """Alice has named Sam to sign for Tampere, in the portal; Sam has an authenticator app."""
    signatory = signing.signatory_add(
        party=party_of(agreement, "837"),
        by=alice,
        name="Sami Signeeraaja",
        title="kaupunginjohtaja",
        authority="hallintosääntö § 45",
        user=sam,
    )
    turn_on(sam)
    return signatory


def sign(signatory, by, token=None, sha=None):
    agreement = Agreement.objects.get(pk=signatory.party.agreement_id)
    signatory.party.agreement = agreement
    device = TOTPDevice.objects.filter(user=by, confirmed=True).first()
    return signing.signature_sign(
        signatory=signatory,
        by=by,
        text_sha256=agreement.text_sha256 if sha is None else sha,
        token=token if token is not None else code(device),
        place="Tampere",
    )


# Naming signatories


def test_alice_names_tamperes_signatory_and_the_timeline_says_so(agreement, sams_place, alice):
    assert sams_place.party.official_name == "Tampere"
    event = agreement.events.get(kind=Event.Kind.SIGNATORY_NAMED)
    assert event.actor == alice and "Sami Signeeraaja" in event.subject


def test_bob_of_nokia_may_not_name_tamperes_signatories(agreement, bob):
    with pytest.raises(PermissionDenied):
        signing.signatory_add(party=party_of(agreement, "837"), by=bob, name="X", title="Y", authority="Z")


def test_the_coordinator_names_the_signatories_only_of_a_party_without_officials(agreement, carol):
    # Nokia has no official in the portal (Bob is not asked for); Tampere has Alice.
    nokia = signing.signatory_add(
        party=party_of(agreement, "536"), by=carol, name="Nina", title="kunnanjohtaja", authority="hallintosääntö § 30"
    )
    assert nokia.party.organisation.name_fi == "Nokia"
    with pytest.raises(PermissionDenied):
        signing.signatory_add(party=party_of(agreement, "837"), by=carol, name="X", title="Y", authority="Z")


def test_a_portal_user_named_to_sign_must_be_a_signatory_of_the_party(agreement, alice):
    with pytest.raises(ValidationError) as refused:
        signing.signatory_add(
            party=party_of(agreement, "837"), by=alice, name="Alice", title="t", authority="a", user=alice
        )
    assert "is not a signatory of Tampere" in str(refused.value)


def test_signatories_are_named_only_once_the_text_is_frozen(carol, alice):
    draft = interface_agreement(carol)
    with pytest.raises(ValidationError, match="once the text is frozen"):
        signing.signatory_add(party=party_of(draft, "837"), by=alice, name="X", title="Y", authority="Z")


def test_a_signatory_who_has_signed_is_not_removed(agreement, sams_place, sam, alice):
    sign(sams_place, sam)
    with pytest.raises(ValidationError, match="has signed"):
        signing.signatory_remove(signatory=sams_place, by=alice)


def test_alice_removes_a_signatory_who_has_not_signed(agreement, sams_place, alice):
    signing.signatory_remove(signatory=sams_place, by=alice)
    assert not Signatory.objects.filter(pk=sams_place.pk).exists()
    assert agreement.events.filter(kind=Event.Kind.SIGNATORY_REMOVED, actor=alice).exists()


# Signing in the portal


def test_sam_signs_the_frozen_text_with_a_code_from_his_app(agreement, sams_place, sam):
    signature = sign(sams_place, sam)

    device = TOTPDevice.objects.get(user=sam)
    assert signature.user == sam and signature.text_sha256 == agreement.text_sha256
    assert signature.second_factor == device.persistent_id and not signature.outside
    assert abs(signature.signed_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert agreement.events.filter(kind=Event.Kind.SIGNED, actor=sam).exists()


def test_sam_signs_for_his_own_organisation_only(agreement, sam, carol):
    nokia = signing.signatory_add(
        party=party_of(agreement, "536"), by=carol, name="Nina", title="kunnanjohtaja", authority="§ 30"
    )
    turn_on(sam)
    with pytest.raises(PermissionDenied):
        sign(nokia, sam)


def test_sam_cannot_sign_once_he_no_longer_signs_for_tampere(agreement, sams_place, sam):
    organisation_role_revoke(user=sam, organisation=Municipality.objects.get(code="837"), role=Role.SIGNATORY)
    with pytest.raises(PermissionDenied):
        sign(sams_place, sam)


def test_sam_signs_only_after_tampere_has_approved(carol, alice, sam):
    agreement = interface_agreement(carol)
    # Binding once two parties approve, so that signing starts while Tampere is still deciding.
    Agreement.objects.filter(pk=agreement.pk).update(entry_rule=Agreement.EntryRule.QUORUM, entry_quorum=2)
    tampere = party_of(agreement, "837")
    agreement = to_signing(agreement, carol, approved=[county_party(agreement), party_of(agreement, "536")])
    decide(tampere, Decision.Outcome.RETURNED)
    signatory = signing.signatory_add(party=tampere, by=alice, name="S", title="t", authority="a", user=sam)
    turn_on(sam)

    with pytest.raises(ValidationError, match="Tampere has not approved the agreement"):
        sign(signatory, sam)

    decide(tampere, Decision.Outcome.APPROVED, on=datetime.date(2025, 6, 2))
    assert sign(signatory, sam).pk


def test_a_text_with_another_hash_is_not_signed_and_the_code_is_not_spent(agreement, sams_place, sam):
    device = TOTPDevice.objects.get(user=sam)
    token = code(device)
    with pytest.raises(ValidationError, match="different SHA-256"):
        sign(sams_place, sam, token=token, sha="0" * 64)

    assert sign(sams_place, sam, token=token).pk


def test_a_wrong_code_is_refused_and_counted(agreement, sams_place, sam):
    device = TOTPDevice.objects.get(user=sam)
    with pytest.raises(ValidationError, match="The code is wrong"):
        sign(sams_place, sam, token=wrong_code(device))

    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert not Signature.objects.exists()


def test_the_code_sam_logged_in_with_does_not_sign(agreement, sams_place, sam):
    device = TOTPDevice.objects.get(user=sam)
    token = code(device)
    two_factor_device_verify(user=sam, token=token)  # as the login's second step

    with pytest.raises(ValidationError, match="The code is wrong"):
        sign(sams_place, sam, token=token)


def test_without_an_authenticator_app_sam_cannot_sign(agreement, alice, sam):
    signatory = signing.signatory_add(
        party=party_of(agreement, "837"), by=alice, name="S", title="t", authority="a", user=sam
    )
    with pytest.raises(ValidationError, match="Two-factor authentication is not on"):
        sign(signatory, sam, token="123456")


def test_the_agreement_is_signed_only_while_it_is_being_signed(carol, alice, sam):
    agreement = to_decision(interface_agreement(carol), carol)
    signatory = signing.signatory_add(
        party=party_of(agreement, "837"), by=alice, name="S", title="t", authority="a", user=sam
    )
    turn_on(sam)
    with pytest.raises(ValidationError, match="only while it is being signed; it is in decision"):
        sign(signatory, sam)


def test_sam_signs_once(agreement, sams_place, sam):
    sign(sams_place, sam)
    with pytest.raises(ValidationError, match="has already signed"):
        sign(sams_place, sam)


# Signed outside the portal


def test_alice_records_a_signature_made_on_paper_with_the_signed_page(agreement, alice):
    signatory = signing.signatory_add(
        party=party_of(agreement, "837"), by=alice, name="Paperi", title="pormestari", authority="§ 45"
    )
    signature = signing.signature_record_outside(
        signatory=signatory, by=alice, signed_on=timezone.localdate(), place="Tampere", upload=pdf()
    )

    assert signature.outside and signature.user == alice
    assert signature.signed_page.read().startswith(b"%PDF")
    assert len(signature.signed_page_sha256) == 64
    assert timezone.localtime(signature.signed_at).date() == timezone.localdate()
    assert agreement.events.filter(kind=Event.Kind.SIGNED_OUTSIDE, actor=alice).exists()


def test_an_outside_signature_needs_a_pdf_and_a_date_that_has_come(agreement, alice, bob):
    signatory = signing.signatory_add(party=party_of(agreement, "837"), by=alice, name="P", title="t", authority="a")
    with pytest.raises(ValidationError, match="not a PDF"):
        signing.signature_record_outside(
            signatory=signatory,
            by=alice,
            signed_on=timezone.localdate(),
            place="",
            upload=pdf().__class__("x.pdf", b"hello", content_type="application/pdf"),
        )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        signing.signature_record_outside(
            signatory=signatory,
            by=alice,
            signed_on=timezone.localdate() + datetime.timedelta(days=1),
            place="",
            upload=pdf(),
        )
    with pytest.raises(PermissionDenied):
        signing.signature_record_outside(
            signatory=signatory, by=bob, signed_on=timezone.localdate(), place="", upload=pdf()
        )


# Signed, then in force


def _everyone_signs(agreement, carol, alice, sam, *, skip=()):
    """Each party names one signatory; Sam signs for Tampere in the portal, the others on paper."""
    signatures = []
    for party in agreement.parties.all():
        if party.pk in skip:
            continue
        if party.organisation.name_fi.startswith("Tampere"):
            signatory = signing.signatory_add(party=party, by=alice, name="S", title="t", authority="a", user=sam)
            turn_on(sam)
            signatures.append(sign(signatory, sam))
        else:
            signatory = signing.signatory_add(party=party, by=carol, name="P", title="t", authority="a")
            signatures.append(
                signing.signature_record_outside(
                    signatory=signatory, by=carol, signed_on=timezone.localdate(), place="", upload=pdf()
                )
            )
    return signatures


def test_the_last_signature_makes_the_agreement_signed_and_in_force(agreement, carol, alice, sam):
    _everyone_signs(agreement, carol, alice, sam)

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.signed_at is not None
    # Signed after its start date (1.6.2025): in force from the day it was signed.
    assert agreement.in_force_from == timezone.localdate()
    assert agreement.events.filter(kind=Event.Kind.STATUS_CHANGED, actor=None).count() == 2


def test_an_agreement_signed_before_its_start_date_enters_into_force_on_it(carol, alice, sam):
    start = timezone.localdate() + datetime.timedelta(days=30)
    agreement = to_signing(
        interface_agreement(carol, valid_from=start, valid_until=start.replace(year=start.year + 2)), carol
    )
    _everyone_signs(agreement, carol, alice, sam)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED

    assert signing.enter_into_force_if_due(agreement, start - datetime.timedelta(days=1)).status == "signed"
    agreement = signing.enter_into_force_if_due(agreement, start)

    assert agreement.status == Agreement.Status.IN_FORCE and agreement.in_force_from == start


def test_the_agreement_waits_for_every_signatory_of_every_bound_party(agreement, carol, alice, sam):
    tampere = party_of(agreement, "837")
    extra = signing.signatory_add(party=tampere, by=alice, name="Toinen", title="t", authority="a")
    _everyone_signs(agreement, carol, alice, sam)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNING
    from agreements.services import workflow

    assert workflow.unmet(agreement, Agreement.Status.SIGNED) == [
        "These parties have not named their signatories or not all of them have signed: Tampere."
    ]

    signing.signature_record_outside(signatory=extra, by=alice, signed_on=timezone.localdate(), place="", upload=pdf())
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE


def test_removing_the_last_awaited_signatory_completes_the_signing(agreement, carol, alice, sam):
    extra = signing.signatory_add(party=party_of(agreement, "837"), by=alice, name="Toinen", title="t", authority="a")
    _everyone_signs(agreement, carol, alice, sam)

    signing.signatory_remove(signatory=extra, by=alice)

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE


def test_with_a_quorum_the_parties_that_approved_are_enough(carol, alice, sam):
    agreement = interface_agreement(carol)
    Agreement.objects.filter(pk=agreement.pk).update(entry_rule=Agreement.EntryRule.QUORUM, entry_quorum=2)
    nokia = party_of(agreement, "536")
    agreement = to_signing(agreement, carol, approved=[county_party(agreement), party_of(agreement, "837")])
    decide(nokia, Decision.Outcome.RETURNED)

    _everyone_signs(agreement, carol, alice, sam, skip={nokia.pk})

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE


# Pages


@pytest.fixture
def sams_client(sams_place, sam):
    client = Client(headers={"accept-language": "en"})
    log_in_fully(client, sam, TOTPDevice.objects.get(user=sam))
    return client


def test_the_sign_page_shows_the_hash_and_signs_with_a_fresh_code(agreement, sams_place, sams_client, sam):
    url = reverse("agreements:sign", args=[agreement.pk, sams_place.pk])
    agreement.refresh_from_db()
    page = sams_client.get(url).content.decode()
    assert agreement.text_sha256 in page and 'autocomplete="one-time-code"' in page

    response = sams_client.post(url, {"text_sha256": agreement.text_sha256, "code": "", "place": "Tampere"})
    assert response.status_code == 400 and not Signature.objects.exists()

    response = sams_client.post(
        url, {"text_sha256": agreement.text_sha256, "code": code(TOTPDevice.objects.get(user=sam)), "place": "Tampere"}
    )
    assert response.status_code == 302
    page = sams_client.get(response.url).content.decode()
    assert "You signed Perhekeskusmalli." in page


def test_a_signatory_without_an_app_is_sent_to_set_one_up(agreement, alice, sam):
    signatory = signing.signatory_add(
        party=party_of(agreement, "837"), by=alice, name="S", title="t", authority="a", user=sam
    )
    client = Client(headers={"accept-language": "en"})
    client.force_login(sam)
    page = client.get(reverse("agreements:sign", args=[agreement.pk, signatory.pk])).content.decode()
    assert reverse("users:two_factor") in page and "one-time-code" not in page


def test_outsiders_get_404_and_other_parties_403(agreement, sams_place, dave, bob):
    client = Client()
    client.force_login(dave)
    for name, args in [
        ("agreements:signatures", [agreement.pk]),
        ("agreements:sign", [agreement.pk, sams_place.pk]),
        ("agreements:sign_outside", [agreement.pk, sams_place.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    client.force_login(bob)
    assert client.get(reverse("agreements:sign", args=[agreement.pk, sams_place.pk])).status_code == 403
    assert client.get(reverse("agreements:sign_outside", args=[agreement.pk, sams_place.pk])).status_code == 403


def test_alice_names_a_signatory_and_uploads_a_paper_signature_on_the_pages(agreement, alice):
    client = Client(headers={"accept-language": "en"})
    client.force_login(alice)
    tampere = party_of(agreement, "837")
    response = client.post(
        reverse("agreements:signatory_add", args=[agreement.pk, tampere.pk]),
        {
            f"party-{tampere.pk}-name": "Paula Paperi",
            f"party-{tampere.pk}-title": "pormestari",
            f"party-{tampere.pk}-authority": "hallintosääntö § 45",
        },
    )
    assert response.status_code == 302
    signatory = Signatory.objects.get(name="Paula Paperi")

    response = client.post(
        reverse("agreements:sign_outside", args=[agreement.pk, signatory.pk]),
        {"signed_on": timezone.localdate().strftime("%-d.%-m.%Y"), "place": "Tampere", "signed_page": pdf()},
    )
    assert response.status_code == 302
    page = client.get(reverse("agreements:signatures", args=[agreement.pk])).content.decode()
    assert "Paula Paperi" in page and "Signed outside the portal" in page
    download = client.get(reverse("agreements:signed_page", args=[agreement.pk, signatory.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_page_refuses_to_name_a_user_who_does_not_sign_for_the_party(agreement, alice):
    client = Client(headers={"accept-language": "en"})
    client.force_login(alice)
    tampere = party_of(agreement, "837")
    fields = {f"party-{tampere.pk}-{f}": "X" for f in ("name", "title", "authority")}

    response = client.post(
        reverse("agreements:signatory_add", args=[agreement.pk, tampere.pk]),
        {**fields, f"party-{tampere.pk}-user": alice.pk},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Signatory.objects.exists()


def test_the_signatures_page_says_whose_signature_is_awaited(agreement, sams_place, alice):
    client = Client(headers={"accept-language": "fi"})
    client.force_login(alice)
    page = client.get(reverse("agreements:signatures", args=[agreement.pk])).content.decode()
    assert "Sami Signeeraaja" in page and "hallintosääntö § 45" in page and "Odotetaan" in page


def test_sam_finds_his_awaited_signature_on_his_home_page(agreement, sams_place, sams_client):
    page = sams_client.get(reverse("home")).content.decode()
    assert "Your signature is awaited" in page
    assert reverse("agreements:sign", args=[agreement.pk, sams_place.pk]) in page


def _signatures_page_queries(client, agreement) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("agreements:signatures", args=[agreement.pk])).status_code == 200
    return len(queries)


def test_the_signatures_page_reads_the_same_queries_for_3_parties_and_for_24(carol, alice):
    small = to_decision(interface_agreement(carol), carol)
    large = to_decision(start_strategic("08"), carol)
    assert large.parties.count() > 20
    for agreement in (small, large):
        for party in agreement.parties.all():
            signing.signatory_add(
                party=party,
                by=carol if party.organisation_id != Municipality.objects.get(code="837").pk else alice,
                name="N",
                title="t",
                authority="a",
            )
    make_user("nokia-official", Municipality.objects.get(code="536"))
    client = Client()
    client.force_login(carol)
    _signatures_page_queries(client, small)  # warm caches (content types)

    assert _signatures_page_queries(client, small) == _signatures_page_queries(client, large)
