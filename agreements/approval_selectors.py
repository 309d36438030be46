"""The home page's queue of agreements awaiting the user's approval (``agreements.kinds``' approval steps).

An agreement is in a user's queue while it is submitted for approval and its current step is one
the user may approve (``permissions.approver_grants``: the role group of a party's organisation of
the step's kind holds ``approve_agreement`` on it, and the user is in it). So the people of an
organisation see every agreement it is a party to that awaits their step, whoever drafted it: a
county's all of the county's, a national party's all of the country's. Fixed number of queries,
whatever the number of agreements.
"""

from django.db.models import F, Prefetch, QuerySet

from agreements import kinds
from agreements.models import Agreement, Approval, Party
from agreements.permissions import UserLike, approver_grants, visible_agreement_ids


def _approvable_ids(user: UserLike) -> QuerySet:
    """A subquery of the agreements ``user`` approves at some step (``permissions.approver_grants``)."""
    grants = approver_grants(Agreement.objects.values("pk")).filter(group__user=user)
    return grants.values("content_object_id")


def awaiting_approval_of(user: UserLike) -> list[Agreement] | None:
    """The agreements whose current step ``user`` may approve, the longest waiting first, each with
    ``awaited_step`` (the ``ApprovalStep``) and ``parties`` prefetched; None when the user approves
    no agreement at all (no grant of ``approve_agreement``)."""
    if not user.is_authenticated or not user.is_active:
        return None
    approvable = _approvable_ids(user)
    submitted = list(
        Agreement.objects.filter(pk__in=approvable, status=Agreement.Status.SUBMITTED)
        .filter(pk__in=visible_agreement_ids(user))
        .select_related("county")
        .order_by("submitted_at", "pk")
    )
    if not submitted:
        return [] if Agreement.objects.filter(pk__in=approvable).exists() else None
    ids = [agreement.pk for agreement in submitted]
    # The organisation kinds the user approves for in each agreement, and its steps approved in this submission.
    speaks_for: dict[int, set[str]] = {}
    for agreement_id, kind in (
        approver_grants(ids)
        .filter(group__user=user)
        .order_by()
        .values_list("content_object_id", "group__role_group__organisation__kind")
        .distinct()
    ):
        speaks_for.setdefault(agreement_id, set()).add(kind)
    approved: dict[int, set[str]] = {}
    for agreement_id, step in Approval.objects.filter(
        agreement__in=ids, outcome=Approval.Outcome.APPROVED, submission=F("agreement__submission")
    ).values_list("agreement_id", "step"):
        approved.setdefault(agreement_id, set()).add(step)
    awaiting = []
    for agreement in submitted:
        done = approved.get(agreement.pk, set())
        step = next((s for s in kinds.of(agreement).approval_steps if s.key not in done), None)
        if step is not None and step.organisation_kind in speaks_for.get(agreement.pk, set()):
            agreement.awaited_step = step
            awaiting.append(agreement)
    return awaiting


def home_approvals(*, user: UserLike) -> dict | None:
    """The home page's queue: what awaits the user's approval (at most ``HOME_LIMIT``, with the
    parties of each); None for someone who approves nothing."""
    from django.db.models import prefetch_related_objects

    from agreements.selectors import HOME_LIMIT

    awaiting = awaiting_approval_of(user)
    if awaiting is None:
        return None
    shown = awaiting[:HOME_LIMIT]
    prefetch_related_objects(shown, Prefetch("parties", queryset=Party.objects.order_by("position", "official_name")))
    return {"agreements": shown, "more": len(awaiting) > HOME_LIMIT, "count": len(awaiting)}
