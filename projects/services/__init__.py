"""Writes of the projects app (every change to projects, milestones and progress)."""

from .progress import progress_submit
from .projects import (
    milestone_add,
    milestone_update,
    project_create,
    project_move_stage,
    project_update,
)

__all__ = [
    "milestone_add",
    "milestone_update",
    "progress_submit",
    "project_create",
    "project_move_stage",
    "project_update",
]
