from django.urls import path

from tym import start_views, views

app_name = "tym"
urlpatterns = [
    path("county/<str:code>/", views.county, name="county"),
    path("county/<str:code>/negotiations/new/", views.negotiation_add, name="negotiation_add"),
    path("county/<str:code>/groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/members/new/", views.member_add, name="member_add"),
    # --- TYM agreements started from a group (tym.start_views) ---
    path("groups/<int:pk>/agreements/new/", start_views.agreement_start, name="agreement_start"),
]
