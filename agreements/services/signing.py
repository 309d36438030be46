"""Signatories and signatures, and the moves they make: signed, then in force.

Each party names its signatories (from negotiated on, until the agreement is signed). A signatory
signs in the portal with a fresh code from their authenticator app, only the frozen text whose
hash they were shown, and only after their party has approved; or their party's official records
a signature made outside the portal, with the signed page. When every bound party has signed,
the agreement is signed, and in force as soon as its start date has come.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from agreements import permissions
from agreements.decisions import party_may_sign, signing_rollup
from agreements.models import Agreement, Event, Party, Signatory, Signature
from agreements.services import workflow
from agreements.services.core import _event, _touch
from agreements.services.structured import validate_pdf
from users.models import OrganisationRole, Role, User
from users.services import two_factor_device_verify

# Signatories are named once the text is frozen, and until the agreement is signed.
NAMING_STATUSES = frozenset({Agreement.Status.NEGOTIATED, Agreement.Status.IN_DECISION, Agreement.Status.SIGNING})
# An agreement that binds on a quorum goes on taking late approvers, bound from their own decision
# (permissions.LATE_DECIDING_STATUSES): their signatories are named and sign once it is signed too.
LATE_STATUSES = frozenset({Agreement.Status.SIGNED, Agreement.Status.IN_FORCE})


def signs_late(agreement: Agreement) -> bool:
    return agreement.entry_rule == Agreement.EntryRule.QUORUM and agreement.status in LATE_STATUSES


def signable(prefix: str = "") -> Q:
    """The agreements signed now, as a filter (``prefix`` leads to the agreement): being signed, or
    signed or in force on a quorum, for late approvers (``signs_late``)."""
    return Q(**{f"{prefix}status": Agreement.Status.SIGNING}) | Q(
        **{f"{prefix}entry_rule": Agreement.EntryRule.QUORUM, f"{prefix}status__in": LATE_STATUSES}
    )


def naming_open(agreement: Agreement) -> bool:
    return agreement.status in NAMING_STATUSES or signs_late(agreement)


# --- Signatories --------------------------------------------------------------------------------


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _locked_party(party: Party, by: User, check) -> Party:
    """The party, with its agreement locked, after ``check(by, party)``."""
    party.agreement = _locked(party.agreement)
    if not check(by, party):
        raise PermissionDenied
    return party


@transaction.atomic
def signatory_add(
    *, party: Party, by: User, name: str, title: str, authority: str, user: User | None = None
) -> Signatory:
    """Names a signatory of ``party``: by its officials (or the organiser's coordinator for a party
    with no official), from negotiated on until the agreement is signed. A portal user named to sign
    must hold the signatory role in the party's organisation."""
    party = _locked_party(party, by, permissions.can_name_signatories)
    agreement = party.agreement
    if not naming_open(agreement):
        raise ValidationError(
            _("Signatories are named once the text is frozen and until the agreement is signed; it is %(status)s.")
            % {"status": Agreement.Status(agreement.status).label.lower()}
        )
    if (
        user is not None
        and not OrganisationRole.objects.filter(
            user=user, organisation=party.organisation_id, role=Role.SIGNATORY
        ).exists()
    ):
        raise ValidationError(
            {
                "user": _("%(user)s is not a signatory of %(party)s in the portal.")
                % {"user": user.get_full_name() or user.username, "party": party.official_name}
            }
        )
    position = (party.signatories.aggregate(m=Max("position"))["m"] or 0) + 1
    signatory = Signatory(
        party=party, name=name.strip(), title=title.strip(), authority=authority.strip(), user=user, position=position
    )
    signatory.full_clean()
    signatory.save()
    _event(agreement, Event.Kind.SIGNATORY_NAMED, by, f"{party.official_name}: {signatory}")
    _touch(agreement.pk)
    return signatory


@transaction.atomic
def signatory_remove(*, signatory: Signatory, by: User) -> None:
    """Removes a signatory who has not signed, while signatories may be named; the agreement is
    signed if that leaves every bound party's signatories signed."""
    party = _locked_party(signatory.party, by, permissions.can_name_signatories)
    agreement = party.agreement
    if not naming_open(agreement):
        raise ValidationError(_("The signatories can no longer be changed: the agreement is signed."))
    if Signature.objects.filter(signatory=signatory).exists():
        raise ValidationError(_("%(name)s has signed and stays a signatory.") % {"name": signatory.name})
    subject = f"{party.official_name}: {signatory}"
    signatory.delete()
    _event(agreement, Event.Kind.SIGNATORY_REMOVED, by, subject)
    _touch(agreement.pk)
    # The one still awaited may have been the last: the others have all signed.
    complete_if_signed(agreement)


# --- Signatures ---------------------------------------------------------------------------------


def signature_refusal(signatory: Signatory, agreement: Agreement) -> str | None:
    """Why ``signatory`` cannot sign ``agreement`` now (status, their party's decision, already
    signed), or None. The same rules for a signature in the portal and one recorded from outside."""
    if agreement.status != Agreement.Status.SIGNING and not signs_late(agreement):
        return _("The agreement is signed only while it is being signed; it is %(status)s.") % {
            "status": Agreement.Status(agreement.status).label.lower()
        }
    if Signature.objects.filter(signatory=signatory).exists():
        return _("%(name)s has already signed.") % {"name": signatory.name}
    return party_may_sign(signatory.party)


def _check_signing(signatory: Signatory, agreement: Agreement, by: User, text_sha256: str) -> None:
    signatory.party.agreement = agreement
    if not permissions.can_sign(by, signatory):
        raise PermissionDenied
    problem = signature_refusal(signatory, agreement)
    if problem:
        raise ValidationError(problem, code="refused")
    if not agreement.text_sha256 or text_sha256.strip().lower() != agreement.text_sha256:
        raise ValidationError(
            _("The text has a different SHA-256 from the one you were shown. Read the text again before signing."),
            code="hash",
        )


def signature_sign(*, signatory: Signatory, by: User, text_sha256: str, token: str, place: str = "") -> Signature:
    """``by`` signs as ``signatory``: the text whose SHA-256 they were shown, confirmed by a fresh
    code from their authenticator app (each code is accepted once, even if they logged in with it).

    Not atomic as a whole: a wrong code must stay counted (django-otp throttles), so the code is
    checked in a transaction of its own, after the rules and before the signature's.
    """
    _check_signing(signatory, signatory.party.agreement, by, text_sha256)
    device = two_factor_device_verify(user=by, token=token)
    with transaction.atomic():
        agreement = _locked(signatory.party.agreement)
        _check_signing(signatory, agreement, by, text_sha256)
        signature = Signature.objects.create(
            signatory=signatory,
            signed_at=timezone.now(),
            place=place.strip(),
            text_sha256=agreement.text_sha256,
            user=by,
            second_factor=device.persistent_id,
        )
        _event(agreement, Event.Kind.SIGNED, by, f"{signatory.party.official_name}: {signatory}")
        _touch(agreement.pk)
        complete_if_signed(agreement)
    return signature


def signature_record_outside(
    *, signatory: Signatory, by: User, signed_on: datetime.date, place: str, upload: UploadedFile
) -> Signature:
    """Records that ``signatory`` signed outside the portal (on paper, in the party's own
    e-signature service) on ``signed_on``: by the party's official, with the signed page as PDF."""
    sha256 = validate_pdf(upload)  # before the lock: reading a large file need not hold the agreement
    with transaction.atomic():
        party = _locked_party(signatory.party, by, permissions.can_name_signatories)
        agreement = party.agreement
        problem = signature_refusal(signatory, agreement)
        if problem:
            raise ValidationError(problem)
        if signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("The date of signing cannot be in the future.")})
        if agreement.frozen_at and signed_on < timezone.localtime(agreement.frozen_at).date():
            raise ValidationError({"signed_on": _("The text was frozen after that date; it was not signed then.")})
        signature = Signature(
            signatory=signatory,
            # The day is what was recorded; noon keeps it that day in every time zone of Finland's year.
            signed_at=timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(12))),
            place=place.strip(),
            text_sha256=agreement.text_sha256,
            user=by,
            outside=True,
            signed_page_sha256=sha256,
        )
        signature.signed_page.save(f"{signatory.pk}.pdf", upload, save=False)
        try:
            signature.full_clean(exclude=["signatory"])
            signature.save()
            _event(agreement, Event.Kind.SIGNED_OUTSIDE, by, f"{party.official_name}: {signatory}")
            _touch(agreement.pk)
            complete_if_signed(agreement)
        except Exception:
            # The file is stored before the row: a failed write must not leave it behind.
            signature.signed_page.delete(save=False)
            raise
    return signature


# --- Signed, then in force ----------------------------------------------------------------------


def complete_if_signed(agreement: Agreement) -> Agreement:
    """After a signature: the agreement is signed when its preconditions hold, and then in force if
    its start date has come. Inside the signature's transaction, the agreement locked."""
    if agreement.status != Agreement.Status.SIGNING or workflow.unmet(agreement, Agreement.Status.SIGNED):
        return agreement
    agreement = workflow.transition(
        agreement=agreement,
        to=Agreement.Status.SIGNED,
        by=None,
        reason=_("every party bound by the agreement has signed"),
    )
    return enter_into_force_if_due(agreement, timezone.localdate())


def enter_into_force_if_due(agreement: Agreement, today: datetime.date) -> Agreement:
    """A signed agreement whose start date has come enters into force (the daily task calls this too)."""
    if agreement.status != Agreement.Status.SIGNED or agreement.valid_from > today:
        return agreement
    return workflow.transition(
        agreement=agreement,
        to=Agreement.Status.IN_FORCE,
        by=None,
        reason=_("signed, and its start date has come"),
        today=today,
    )


@workflow.precondition(Agreement.Status.SIGNED)
def _every_bound_party_signed(agreement: Agreement, details: dict) -> str | None:
    result, unmet = signing_rollup(agreement)
    if unmet:
        return unmet
    bound = set(result.bound_party_ids)
    parties = (
        agreement.parties.filter(pk__in=bound)
        .prefetch_related("signatories__signature")
        .order_by("position", "official_name")
    )
    unsigned = []
    for party in parties:
        signatories = list(party.signatories.all())
        if not signatories or any(not hasattr(s, "signature") for s in signatories):
            unsigned.append(party.official_name)
    if unsigned:
        return _("These parties have not named their signatories or not all of them have signed: %(parties)s.") % {
            "parties": ", ".join(unsigned)
        }
    return None


@workflow.effect(Agreement.Status.SIGNED)
def _set_signed_at(agreement: Agreement, by: User | None, details: dict) -> None:
    agreement.signed_at = timezone.now()


@workflow.precondition(Agreement.Status.IN_FORCE)
def _start_date_come(agreement: Agreement, details: dict) -> str | None:
    today = details.get("today") or timezone.localdate()
    if agreement.valid_from > today:
        return _("The agreement's start date %(date)s has not come yet.") % {
            "date": formats.date_format(agreement.valid_from, "j.n.Y")
        }
    return None


@workflow.effect(Agreement.Status.IN_FORCE)
def _set_in_force_from(agreement: Agreement, by: User | None, details: dict) -> None:
    """In force from the later of the start date and the day the agreement was signed."""
    signed_on = timezone.localdate(agreement.signed_at) if agreement.signed_at else agreement.valid_from
    agreement.in_force_from = max(agreement.valid_from, signed_on)
