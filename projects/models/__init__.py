"""projects models, split by subdomain; import them from here."""

from .formalities import FormalityStep, FormalityTemplate, ProjectFormality
from .progress import ProjectProblem, ProjectProgress
from .projects import (
    KeyProject,
    ProjectMember,
    ProjectMilestone,
    ProjectSettings,
    ProjectStageMove,
)

__all__ = [
    "FormalityStep",
    "FormalityTemplate",
    "KeyProject",
    "ProjectFormality",
    "ProjectMember",
    "ProjectMilestone",
    "ProjectProblem",
    "ProjectProgress",
    "ProjectSettings",
    "ProjectStageMove",
]
