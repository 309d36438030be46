from django.urls import path

from pdfs import print_views, views

app_name = "pdfs"
urlpatterns = [
    path("agreements/<int:pk>/pdf/", views.rendition_create, name="create"),
    path("agreements/<int:pk>/pdf/<int:rendition_pk>/", views.rendition_status, name="status"),
    path("agreements/<int:pk>/pdf/<int:rendition_pk>/download/", views.rendition_download, name="download"),
    path("register/<int:pk>/signed.pdf", views.signed_download, name="signed"),
    # --- print view (helper "document") ---
    path("agreements/<int:pk>/print/", print_views.agreement_print, name="print"),
    path("register/<int:pk>/print/", print_views.public_print, name="public_print"),
    # --- end of print view ---
    # --- verification (helper "seal") ---
]
