from django.urls import path

from tym import views

app_name = "tym"
urlpatterns = [
    path("county/<str:code>/", views.county, name="county"),
    path("county/<str:code>/negotiations/new/", views.negotiation_add, name="negotiation_add"),
    path("county/<str:code>/groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("groups/<int:pk>/goals/new/", views.goal_add, name="goal_add"),
    path("groups/<int:pk>/staffing-reviews/new/", views.staffing_review_add, name="staffing_review_add"),
]
