"""projects models, split by subdomain; import them from here."""

from .progress import ProjectProblem, ProjectProgress
from .projects import (
    KeyProject,
    ProjectMember,
    ProjectMilestone,
    ProjectSettings,
    ProjectStageMove,
)

__all__ = [
    "KeyProject",
    "ProjectMember",
    "ProjectMilestone",
    "ProjectProblem",
    "ProjectProgress",
    "ProjectSettings",
    "ProjectStageMove",
]
