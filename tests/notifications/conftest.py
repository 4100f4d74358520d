"""The real-worker fixtures (a private redis-server, a Celery worker, an SMTP sink), shared with
tests/supervision/test_celery_reliability.py, where they are defined."""

from tests.supervision.test_celery_reliability import (  # noqa: F401 - fixtures
    broker,
    private_redis,
    smtp,
    workers,
)
