"""A double-clicked submit or a retried POST saves once.

Create forms carry a random token. The token row is inserted in the same transaction as what the
form creates; a second request with the same token finds the row (on PostgreSQL it waits for the
first transaction, then hits the unique constraint) and is sent where the first one went.
"""

import uuid

from django.db import IntegrityError, transaction

from .models import SubmissionToken


class AlreadySubmitted(Exception):
    def __init__(self, result_url: str):
        super().__init__(result_url)
        self.result_url = result_url


def new_token() -> str:
    return str(uuid.uuid4())


def claim_token(*, token: str | None, user) -> SubmissionToken | None:
    """Claim `token` inside the caller's transaction; raise AlreadySubmitted if it was used.

    Returns None when no (or a malformed) token was sent: the request is then handled normally.
    """
    try:
        token_uuid = uuid.UUID(str(token))
    except (TypeError, ValueError):
        return None
    try:
        with transaction.atomic():
            return SubmissionToken.objects.create(token=token_uuid, user=user)
    except IntegrityError:
        existing = SubmissionToken.objects.filter(token=token_uuid, user=user).first()
        raise AlreadySubmitted(existing.result_url if existing else "") from None


def record_result(token: SubmissionToken, url: str) -> None:
    """Where the submission of `token` led, so a repeat is sent there too."""
    token.result_url = url
    token.save(update_fields=["result_url"])


def previous_submission(*, token: str | None, user) -> SubmissionToken | None:
    """The committed submission of this create-form token, if any.

    Lets a page answer a repeated POST before validating it again; two simultaneous requests
    both miss here, and claim_token then serialises them.
    """
    try:
        token_uuid = uuid.UUID(str(token))
    except (TypeError, ValueError):
        return None
    return SubmissionToken.objects.filter(token=token_uuid, user=user).first()
