from django.contrib.auth.decorators import login_required
from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [path("", login_required(views.audit_log), name="list")]
