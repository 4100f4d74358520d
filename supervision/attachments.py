"""Ticket attachments: checked by content, stored under random names outside the web root.

1. Size: at most settings.TICKET_ATTACHMENT_MAX_BYTES per file.
2. Type: decided by the file's first bytes (magic numbers), never by its name or the browser's
   Content-Type. Allowed: PNG, JPEG, GIF, WebP, PDF, Office Open XML (a zip holding
   [Content_Types].xml and the word/, xl/ or ppt/ folder) and legacy Office (OLE2).
3. The extension must agree with the content: an HTML page renamed .pdf, or a PNG called .jpg,
   is refused with a message saying why.
4. The original name is kept only for display and the download's Content-Disposition; a path in
   it (../, /, \\) is reduced to its base name. Storage uses MEDIA_ROOT/tickets/<yyyy>/<hex>.
5. Staging: a form re-shown because of an error (or the duplicate warning) keeps the files that
   passed the check in MEDIA_ROOT/tickets/staging/, listed in a signed hidden field, so the user
   does not pick them again. Staged files older than a day are removed on the next staging.
"""

import os
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

STORAGE_DIR = "tickets"
STAGING_DIR = "staging"
STAGING_MAX_AGE = 24 * 3600
MAX_NAME_LENGTH = 200
HEAD_BYTES = 16

OOXML_TYPES = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OLE2_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
# What the content can be, by magic number: (content type, extensions that fit it).
IMAGE_AND_PDF = [
    (b"\x89PNG\r\n\x1a\n", "image/png", ("png",)),
    (b"\xff\xd8\xff", "image/jpeg", ("jpg", "jpeg")),
    (b"GIF87a", "image/gif", ("gif",)),
    (b"GIF89a", "image/gif", ("gif",)),
    (b"%PDF-", "application/pdf", ("pdf",)),
]
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ALLOWED_EXTENSIONS = (
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "pdf",
    *OOXML_TYPES,
    *OLE2_TYPES,
)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def max_bytes() -> int:
    return int(settings.TICKET_ATTACHMENT_MAX_BYTES)


def allowed_types_label() -> str:
    return _("图片（PNG、JPEG、GIF、WebP）、PDF、Word、Excel、PowerPoint")


def clean_name(name: str) -> str:
    """The base name of what the browser sent, without control characters, at most 200 long."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        return _("附件")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _read_head(upload, size: int = 2048) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _ooxml_kind(upload) -> str | None:
    """docx/xlsx/pptx when the zip holds [Content_Types].xml and the matching folder."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, (folder, _type) in OOXML_TYPES.items():
        if any(name.startswith(folder) for name in names):
            return kind
    return None


def sniff(upload, ext: str) -> tuple[str | None, tuple[str, ...]]:
    """(content type or None when not allowed, extensions that fit the content)."""
    head = _read_head(upload)
    for magic, content_type, extensions in IMAGE_AND_PDF:
        if head.startswith(magic):
            return content_type, extensions
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ("webp",)
    if head.startswith(OLE2_MAGIC):
        # The three legacy formats share one container; the extension says which it is.
        if ext in OLE2_TYPES:
            return OLE2_TYPES[ext], (ext,)
        return OLE2_TYPES["doc"], tuple(OLE2_TYPES)
    if head.startswith(ZIP_MAGIC):
        kind = _ooxml_kind(upload)
        if kind is not None:
            return OOXML_TYPES[kind][1], (kind,)
    return None, ()


def check_upload(upload) -> CheckedFile:
    """Refuse with a message saying why (code too_big, type or extension); else describe it."""
    name = clean_name(getattr(upload, "name", ""))
    size = upload.size
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("“%(name)s”太大（%(size)s），每个附件不能超过 %(limit)s。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name}, code="type")
    ext = extension(name)
    content_type, fitting = sniff(upload, ext)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s”的文件类型不允许上传。只能上传%(types)s。")
            % {"name": name, "types": allowed_types_label()},
            code="type",
        )
    if ext not in fitting:
        kind = "Office 97-2003" if len(fitting) > 2 else fitting[0].upper()
        raise ValidationError(
            _("“%(name)s”的扩展名与文件内容不符（内容是 %(kind)s 文件）。")
            % {"name": name, "kind": kind},
            code="extension",
        )
    return CheckedFile(name=name, content_type=content_type, size=size)


# --- Storage ----------------------------------------------------------------------------------


def _root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def path_of(storage_name: str) -> Path:
    """The file on disk; refuses anything that would leave MEDIA_ROOT/tickets."""
    root = _root() / STORAGE_DIR
    path = (_root() / storage_name).resolve()
    if root not in path.parents:
        raise ValueError("attachment outside the storage folder")
    return path


def _write(upload, relative_dir: str) -> str:
    directory = _root() / relative_dir
    directory.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    upload.seek(0)
    with open(directory / name, "xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    upload.seek(0)
    return f"{relative_dir}/{name}"


def store(upload) -> str:
    """Write the upload under a random name; returns its storage name (relative to MEDIA_ROOT)."""
    return _write(upload, f"{STORAGE_DIR}/{timezone.localdate():%Y}")


def remove(storage_name: str) -> None:
    try:
        path_of(storage_name).unlink(missing_ok=True)
    except (OSError, ValueError):
        pass


def open_stored(storage_name: str):
    return open(path_of(storage_name), "rb")


# --- Staging (keeping checked files across a re-shown form) -----------------------------------


def _staging_salt(user) -> str:
    return f"supervision.attachments.staged:{getattr(user, 'pk', '')}"


def _sweep_staging() -> None:
    directory = _root() / STORAGE_DIR / STAGING_DIR
    if not directory.is_dir():
        return
    cutoff = time.time() - STAGING_MAX_AGE
    for entry in os.scandir(directory):
        try:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
        except OSError:
            pass


def stage(upload, checked: CheckedFile) -> dict:
    _sweep_staging()
    storage_name = _write(upload, f"{STORAGE_DIR}/{STAGING_DIR}")
    return {
        "key": storage_name.rsplit("/", 1)[-1],
        "name": checked.name,
        "type": checked.content_type,
        "size": checked.size,
    }


def sign_staged(entries: list[dict], user) -> str:
    if not entries:
        return ""
    return signing.dumps(entries, salt=_staging_salt(user), compress=True)


def load_staged(value: str, user) -> list[dict]:
    """The staged files listed in a signed value; forged, expired or vanished ones are dropped."""
    if not value:
        return []
    try:
        entries = signing.loads(value, salt=_staging_salt(user), max_age=STAGING_MAX_AGE)
    except signing.BadSignature:
        return []
    kept = []
    for entry in entries if isinstance(entries, list) else []:
        key = str(entry.get("key", ""))
        if len(key) == 32 and all(c in "0123456789abcdef" for c in key):
            if staged_path(entry).is_file():
                kept.append(entry)
    return kept


def staged_path(entry: dict) -> Path:
    return path_of(f"{STORAGE_DIR}/{STAGING_DIR}/{entry['key']}")


def staged_file(entry: dict) -> File:
    """A staged file opened as a django File named as the user's file (for ticket_attach)."""
    return File(open(staged_path(entry), "rb"), name=entry["name"])


def discard_staged(entries: list[dict]) -> None:
    for entry in entries:
        try:
            staged_path(entry).unlink(missing_ok=True)
        except (OSError, ValueError):
            pass


def download_response(attachment) -> FileResponse:
    """The stored file as a download that no browser renders or sniffs (page and API alike).
    Raises Http404 when the file is gone from storage."""
    try:
        handle = open_stored(attachment.storage_name)
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
