from celery import shared_task


@shared_task
def ping() -> str:
    """Answers a health probe: a worker that returns this is consuming the queue."""
    return "pong"
