from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from users import views as users_views
from yhdyspinta import views
from yhdyspinta.forms import AdminLoginForm

admin.site.login_form = AdminLoginForm
admin.site.site_header = admin.site.site_title = _("Yhdyspinta – administration")
admin.site.index_title = _("Portal administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(
        "login/",
        users_views.LoginView.as_view(),
        name="login",
    ),
    path("login/verify/", users_views.two_factor_verify, name="two_factor_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("regions.urls")),
    path("me/", include("users.urls")),
    path("agreements/", include("agreements.urls")),
    path("audit/", include("audit.urls")),
    # The public register (issue 10): no login.
    path("register/", include("register.urls")),
    # TYM steering groups (issue 11).
    path("tym/", include("tym.urls")),
    # --- PDFs (issue 12): Create PDF, the print view, the signed PDF in the register ---
    path("", include("pdfs.urls")),
    # --- end of PDFs ---
    path("admin/", admin.site.urls),
]
