from django.contrib.auth.decorators import login_required
from django.urls import path

from agreements import (
    approval_views,
    content_views,
    decision_views,
    signing_views,
    validity_views,
    views,
    workflow_views,
)
from audit.views import agreement_audit_log

app_name = "agreements"
public = [path("county/<str:code>/", views.county_agreements, name="county")]
# Everything else needs a login; a logged-in user who may not see an agreement then gets 404.
private = [
    path("", views.agreement_list, name="list"),
    path("county/<str:code>/start/", views.agreement_start, name="start"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/audit/", agreement_audit_log, name="audit"),
    path("<int:pk>/terms/", views.agreement_terms, name="terms"),
    path("<int:pk>/parties/", views.parties, name="parties"),
    path("<int:pk>/parties/add/", views.party_add, name="party_add"),
    path("<int:pk>/parties/<int:party_pk>/", views.party_update, name="party_update"),
    path("<int:pk>/parties/<int:party_pk>/row/", views.party_row, name="party_row"),
    path("<int:pk>/parties/<int:party_pk>/remove/", views.party_remove, name="party_remove"),
    path("<int:pk>/sections/<str:key>/", views.section_detail, name="section"),
    path("<int:pk>/sections/<str:key>/save/", views.section_save, name="section_save"),
    path("<int:pk>/sections/<str:key>/conflict/", views.section_conflict, name="section_conflict"),
    path("<int:pk>/sections/<str:key>/history/", views.section_history, name="section_history"),
    path("<int:pk>/sections/<str:key>/restore/", views.section_restore, name="section_restore"),
    path("<int:pk>/sections/<str:key>/comments/", views.comment_add, name="comment_add"),
    path(
        "<int:pk>/sections/<str:key>/comments/<int:comment_pk>/resolve/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path("<int:pk>/goals/", content_views.goal_save, name="goal_add"),
    path("<int:pk>/goals/<int:goal_pk>/", content_views.goal_save, name="goal_save"),
    path("<int:pk>/goals/<int:goal_pk>/measures/", content_views.measure_save, name="measure_add"),
    path("<int:pk>/goals/<int:goal_pk>/measures/<int:measure_pk>/", content_views.measure_save, name="measure_save"),
    path("<int:pk>/goals/<int:goal_pk>/indicators/", content_views.indicator_save, name="indicator_add"),
    path(
        "<int:pk>/goals/<int:goal_pk>/indicators/<int:indicator_pk>/",
        content_views.indicator_save,
        name="indicator_save",
    ),
    path("<int:pk>/forums/", content_views.forum_save, name="forum_add"),
    path("<int:pk>/forums/<int:forum_pk>/", content_views.forum_save, name="forum_save"),
    path("<int:pk>/<str:kind>/<int:item_pk>/delete/", content_views.structured_delete, name="structured_delete"),
    path("<int:pk>/annexes/", content_views.annex_add, name="annex_add"),
    path("<int:pk>/annexes/<int:annex_pk>/", content_views.annex_download, name="annex_download"),
    path("<int:pk>/annexes/<int:annex_pk>/remove/", content_views.annex_remove, name="annex_remove"),
    # --- The workflow: moves, editions, change proposals (agreements.workflow_views) ---
    path("<int:pk>/workflow/<str:to>/", workflow_views.workflow_move, name="workflow_move"),
    path("<int:pk>/deadline/", workflow_views.consultation_deadline, name="consultation_deadline"),
    path("<int:pk>/editions/start/", workflow_views.edition_start_view, name="edition_start"),
    path("<int:pk>/editions/diff/", workflow_views.edition_diff, name="edition_diff"),
    path(
        "<int:pk>/change-proposals/<int:proposal_pk>/",
        workflow_views.change_proposal_resolve,
        name="change_proposal_resolve",
    ),
]
# Each party's decision (agreements.decision_views).
private += [
    path("<int:pk>/decisions/", decision_views.matrix, name="decisions"),
    path("<int:pk>/decisions.csv", decision_views.matrix_csv, name="decisions_csv"),
    path("<int:pk>/decisions/<int:party_pk>/", decision_views.party_decision, name="decision"),
    path("<int:pk>/decisions/<int:party_pk>/record/", decision_views.decision_record, name="decision_record"),
    path(
        "<int:pk>/decisions/<int:party_pk>/<int:decision_pk>/edit/",
        decision_views.decision_update,
        name="decision_update",
    ),
    path(
        "<int:pk>/decisions/<int:party_pk>/<int:decision_pk>/legal-force/",
        decision_views.legal_force_confirm,
        name="decision_legal_force",
    ),
    path("<int:pk>/decisions/<int:party_pk>/<int:decision_pk>/appeal/", decision_views.appeal, name="decision_appeal"),
    path(
        "<int:pk>/decisions/<int:party_pk>/<int:decision_pk>/minutes/",
        decision_views.minutes,
        name="decision_minutes",
    ),
    # --- Signing: signatories, signatures in the portal and from outside (agreements.signing_views) ---
    path("<int:pk>/signatures/", signing_views.signatures, name="signatures"),
    path("<int:pk>/signatures/parties/<int:party_pk>/", signing_views.signatory_add, name="signatory_add"),
    path("<int:pk>/signatures/<int:signatory_pk>/remove/", signing_views.signatory_remove, name="signatory_remove"),
    path("<int:pk>/signatures/<int:signatory_pk>/sign/", signing_views.sign, name="sign"),
    path("<int:pk>/signatures/<int:signatory_pk>/outside/", signing_views.sign_outside, name="sign_outside"),
    path("<int:pk>/signatures/<int:signatory_pk>/page/", signing_views.signed_page, name="signed_page"),
    # Validity and reminders (issue 10): the county's statutory negotiations.
    path("county/<str:code>/negotiations/", validity_views.county_negotiations, name="county_negotiations"),
]
# --- Approval before freezing (agreements.approval_views): the current step's approval or return ---
private += [
    path("<int:pk>/approval/", approval_views.approval, name="approval"),
]
# --- end of approval before freezing ---
urlpatterns = public + [path(str(p.pattern), login_required(p.callback), name=p.name) for p in private]
