"""Celery tasks: take ids, call the delivery or job functions, nothing else.

acks_late with reject_on_worker_lost: a worker killed mid-task leaves the message on the queue
for another worker; the conditional claim in delivery.py makes the redelivery harmless.

A sender records its worker name and pid with the claim; at worker_ready a worker takes back
the rows a dead process of the same name left "sending" (delivery.release_own_claims).
"""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import DatabaseError, connection

from . import delivery, jobs

logger = logging.getLogger(__name__)

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


def _worker_name(task) -> str:
    """The worker's node name ("celery@host"); "" when run eagerly or called directly."""
    request = task.request
    return "" if request.is_eager else (request.hostname or "")


@shared_task(bind=True, name="notifications.send_notification", **TASK_OPTIONS)
def send_notification_task(self, notification_id: int) -> bool:
    return delivery.send_email_notification(notification_id, worker=_worker_name(self))


@shared_task(bind=True, name="notifications.send_webhook", **TASK_OPTIONS)
def send_webhook_task(self, delivery_id: int) -> bool:
    return delivery.send_webhook_delivery(delivery_id, worker=_worker_name(self))


@worker_ready.connect(dispatch_uid="notifications-release-own-claims")
def release_own_claims_at_start(sender=None, **kwargs) -> None:
    """A restarted worker sends what its killed predecessor (same name) had in flight now."""
    name = getattr(sender, "hostname", "") or ""
    try:
        emails, hooks = delivery.release_own_claims(name)
    except DatabaseError:
        logger.warning("could not release %s's earlier claims; the lease will", name, exc_info=True)
        return
    finally:
        connection.close()  # opened in the main process; tasks open their own
    if emails or hooks:
        logger.info("%s took back %d e-mail(s), %d webhook(s)", name, len(emails), len(hooks))
    for pk in emails:
        delivery.enqueue_email(pk)
    for pk in hooks:
        delivery.enqueue_webhook(pk)


@shared_task(name="notifications.run_job", **TASK_OPTIONS)
def run_job_task(name: str) -> str:
    """Beat's message, or the scan's catch-up: runs the job unless its latest slot is covered."""
    if name not in jobs.JOBS:
        return "unknown job"
    result = jobs.run_scheduled(name)
    return "not due" if result is None else result
