from django.urls import path

from users import notification_views, views

app_name = "users"
urlpatterns = [
    path("", views.me, name="me"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_create, name="two_factor_create"),
    path("two-factor/turn-off/", views.two_factor_remove, name="two_factor_remove"),
    # Notifications (issue 10)
    path("notifications/", notification_views.notifications, name="notifications"),
]
