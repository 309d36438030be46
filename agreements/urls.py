from django.contrib.auth.decorators import login_required
from django.urls import path

from agreements import content_views, validity_views, views
from audit.views import agreement_audit_log

app_name = "agreements"
public = [path("county/<str:code>/", views.county_agreements, name="county")]
# Everything else needs a login; a logged-in user who may not see an agreement then gets 404.
private = [
    path("", views.agreement_list, name="list"),
    path("county/<str:code>/start/", views.agreement_start, name="start"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/audit/", agreement_audit_log, name="audit"),
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
    # Validity and reminders (issue 10): the county's statutory negotiations.
    path("county/<str:code>/negotiations/", validity_views.county_negotiations, name="county_negotiations"),
]
urlpatterns = public + [path(str(p.pattern), login_required(p.callback), name=p.name) for p in private]
