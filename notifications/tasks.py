"""Celery tasks: take ids, call the delivery or job functions, nothing else.

acks_late with reject_on_worker_lost: a worker killed mid-task leaves the message on the queue
for another worker; the conditional claim in delivery.py makes the redelivery harmless.
"""

from celery import shared_task

from . import delivery, jobs

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(name="notifications.send_notification", **TASK_OPTIONS)
def send_notification_task(notification_id: int) -> bool:
    return delivery.send_email_notification(notification_id)


@shared_task(name="notifications.send_webhook", **TASK_OPTIONS)
def send_webhook_task(delivery_id: int) -> bool:
    return delivery.send_webhook_delivery(delivery_id)


@shared_task(name="notifications.run_job", **TASK_OPTIONS)
def run_job_task(name: str) -> str:
    """Beat's message, or the scan's catch-up: runs the job unless its latest slot is covered."""
    if name not in jobs.JOBS:
        return "unknown job"
    result = jobs.run_scheduled(name)
    return "not due" if result is None else result
