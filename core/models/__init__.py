"""Core models: the tracked base model, submission tokens, units and people."""

from .base import NaturallyOrdered, SubmissionToken, TrackedModel
from .organisation import Profile, Unit

__all__ = ["NaturallyOrdered", "Profile", "SubmissionToken", "TrackedModel", "Unit"]
