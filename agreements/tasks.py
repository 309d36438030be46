"""Background work of agreements: thin tasks that take ids and call a service."""

import datetime
import smtplib

from celery import shared_task
from django.utils import timezone

from agreements.services import dates, notifications


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_notification(notification_id: int) -> bool:
    """E-mails one notice; a mail server that does not answer is tried again later."""
    return notifications.notification_send(notification_id=notification_id)


@shared_task
def daily_dates(on: str | None = None) -> dict:
    """Once a day (celery beat): statuses that dates move, and the reminders that are due."""
    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    return dates.daily_dates(today=day).as_dict()
