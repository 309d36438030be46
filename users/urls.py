from django.urls import path

from users import views

app_name = "users"
urlpatterns = [
    path("", views.me, name="me"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_create, name="two_factor_create"),
    path("two-factor/turn-off/", views.two_factor_remove, name="two_factor_remove"),
]
