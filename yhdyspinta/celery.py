import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yhdyspinta.settings")
# A worker does not run Django's system checks when it starts (they load every URL and view: some
# 30 MB in each pool process); `manage.py check` and the web processes run them.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

app = Celery("yhdyspinta", include=["yhdyspinta.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
