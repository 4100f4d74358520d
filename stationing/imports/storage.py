"""Uploaded workbooks kept between preview and confirm.

Each file lives at MEDIA_ROOT/imports/<user id>/<uuid>.xlsx: a user can only ever reach their
own uploads, and the name in the URL is a UUID the server chose. Files are removed once
imported, and anything left over (a preview never confirmed) after a day.
"""

import time
import uuid
from pathlib import Path

from django.conf import settings

MAX_AGE_SECONDS = 24 * 3600


def user_dir(user) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(int(user.pk))


def upload_path(user, upload_id: uuid.UUID) -> Path:
    return user_dir(user) / f"{uuid.UUID(str(upload_id))}.xlsx"


def save_upload(user, uploaded) -> uuid.UUID:
    purge_stale(user)
    directory = user_dir(user)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    upload_id = uuid.uuid4()
    path = upload_path(user, upload_id)
    with open(path, "xb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    path.chmod(0o600)
    return upload_id


def find_upload(user, upload_id: uuid.UUID) -> Path | None:
    path = upload_path(user, upload_id)
    return path if path.is_file() else None


def delete_upload(user, upload_id: uuid.UUID) -> None:
    upload_path(user, upload_id).unlink(missing_ok=True)


def purge_stale(user) -> None:
    directory = user_dir(user)
    if not directory.is_dir():
        return
    limit = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
