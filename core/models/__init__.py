"""Core models: the tracked base model, submission tokens, units and people, the audit trail."""

from .audit import AppendOnlyError, AuditEvent
from .base import NaturallyOrdered, SubmissionToken, TrackedModel
from .organisation import Profile, Unit

__all__ = [
    "AppendOnlyError",
    "AuditEvent",
    "NaturallyOrdered",
    "Profile",
    "SubmissionToken",
    "TrackedModel",
    "Unit",
]
