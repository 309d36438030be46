"""Who may read the audit log. Nobody may change it: there is no permission for that to grant."""

from django.http import Http404

VIEW = "audit.view_auditentry"


def can_view_audit_log(user) -> bool:
    """The whole log: portal admins, or whoever is given the global permission."""
    return user.is_authenticated and user.is_active and user.has_perm(VIEW)


def check_view_audit_log(user) -> None:
    # 404 rather than 403: the page's existence is nothing to advertise.
    if not can_view_audit_log(user):
        raise Http404
