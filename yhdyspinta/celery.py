import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yhdyspinta.settings")

app = Celery("yhdyspinta", include=["yhdyspinta.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
