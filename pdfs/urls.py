from django.contrib.auth.decorators import login_required
from django.urls import path

from pdfs import print_views, verify_views, views

app_name = "pdfs"
urlpatterns = [
    path("agreements/<int:pk>/pdf/", login_required(views.rendition_create), name="create"),
    path("agreements/<int:pk>/pdf/<int:rendition_pk>/", login_required(views.rendition_status), name="status"),
    path("agreements/<int:pk>/pdf/<int:rendition_pk>/retry/", login_required(views.rendition_retry), name="retry"),
    path(
        "agreements/<int:pk>/pdf/<int:rendition_pk>/download/",
        login_required(views.rendition_download),
        name="download",
    ),
    path("register/<int:pk>/signed.pdf", views.signed_download, name="signed"),
    # --- print view (helper "document") ---
    path("agreements/<int:pk>/print/", print_views.agreement_print, name="print"),
    path("register/<int:pk>/print/", print_views.public_print, name="public_print"),
    # --- end of print view ---
    # --- verification (helper "seal") ---
    path("verify/", verify_views.verify, name="verify"),
    # --- end verification ---
]
