from django.urls import path

from register import views

# The public register: no login, nothing but agreements in Agreement.PUBLIC_STATUSES.
app_name = "register"
urlpatterns = [
    path("", views.index, name="index"),
    path("language/", views.language, name="language"),
    path("<int:pk>/", views.agreement, name="agreement"),
    path("<int:pk>/annexes/<int:annex_pk>/", views.annex_download, name="annex"),
    path("<int:pk>/decisions/<int:decision_pk>/minutes/", views.minutes_download, name="minutes"),
]
