"""Core models: the tracked base model, submission tokens, units and people."""

from .base import SubmissionToken, TrackedModel
from .organisation import Profile, Unit

__all__ = ["Profile", "SubmissionToken", "TrackedModel", "Unit"]
