from .progress import ProgressForm
from .projects import (
    MilestoneCreateForm,
    MilestoneUpdateForm,
    ProjectCreateForm,
    ProjectUpdateForm,
    StageMoveForm,
)

__all__ = [
    "MilestoneCreateForm",
    "MilestoneUpdateForm",
    "ProgressForm",
    "ProjectCreateForm",
    "ProjectUpdateForm",
    "StageMoveForm",
]
