from django.urls import path

from regions import views

app_name = "regions"
urlpatterns = [
    path("", views.county_list, name="county_list"),
    path("counties/<str:code>/", views.county_detail, name="county_detail"),
    path("employment-areas/<str:code>/", views.employment_area_detail, name="employment_area_detail"),
    path("municipalities/<str:code>/", views.municipality_detail, name="municipality_detail"),
    path("organisations/<int:pk>/members/", views.organisation_members, name="organisation_members"),
]
