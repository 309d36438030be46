from django.urls import path

from tym import agreement_views, start_views, views

app_name = "tym"
urlpatterns = [
    path("county/<str:code>/", views.county, name="county"),
    path("county/<str:code>/negotiations/new/", views.negotiation_add, name="negotiation_add"),
    path("county/<str:code>/groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("groups/<int:pk>/goals/new/", views.goal_add, name="goal_add"),
    path("groups/<int:pk>/staffing-reviews/new/", views.staffing_review_add, name="staffing_review_add"),
    # --- TYM agreements started from a group (tym.start_views) ---
    path("groups/<int:pk>/agreements/new/", start_views.agreement_start, name="agreement_start"),
]

# --- Editing a TYM agreement's terms (tym.agreement_views) ---
urlpatterns += [
    path("agreements/<int:pk>/locations/new/", agreement_views.location_save, name="location_add"),
    path("agreements/<int:pk>/locations/<int:row>/edit/", agreement_views.location_save, name="location_edit"),
    path("agreements/<int:pk>/locations/<int:row>/delete/", agreement_views.location_delete, name="location_delete"),
    path("agreements/<int:pk>/service/edit/", agreement_views.service_terms, name="service_edit"),
    path("agreements/<int:pk>/staff/basis/edit/", agreement_views.staff_basis, name="staff_basis_edit"),
    path("agreements/<int:pk>/staff/new/", agreement_views.staff_save, name="staff_add"),
    path("agreements/<int:pk>/staff/<int:row>/edit/", agreement_views.staff_save, name="staff_edit"),
    path("agreements/<int:pk>/staff/<int:row>/delete/", agreement_views.staff_delete, name="staff_delete"),
    path("agreements/<int:pk>/review/edit/", agreement_views.staffing_review, name="review_edit"),
    path("agreements/<int:pk>/costs/new/", agreement_views.cost_save, name="cost_add"),
    path("agreements/<int:pk>/costs/<int:row>/edit/", agreement_views.cost_save, name="cost_edit"),
    path("agreements/<int:pk>/costs/<int:row>/delete/", agreement_views.cost_delete, name="cost_delete"),
    path("agreements/<int:pk>/costs/key/edit/", agreement_views.cost_key, name="cost_key_edit"),
    path("agreements/<int:pk>/kela/edit/", agreement_views.kela_participation, name="kela_edit"),
]
