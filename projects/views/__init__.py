from .progress import ProgressCreateView
from .projects import (
    MilestoneCreateView,
    MilestoneUpdateView,
    MyProjectListView,
    ProjectCreateView,
    ProjectDetailView,
    ProjectListView,
    ProjectUpdateView,
    StageMoveView,
)

__all__ = [
    "MilestoneCreateView",
    "MilestoneUpdateView",
    "MyProjectListView",
    "ProgressCreateView",
    "ProjectCreateView",
    "ProjectDetailView",
    "ProjectListView",
    "ProjectUpdateView",
    "StageMoveView",
]
