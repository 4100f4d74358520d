"""stationing models, split by subdomain; import them from here."""

from .base import SubmissionToken, TrackedModel
from .organisation import Assignment, Profile, Programme, Unit, WorkGroup
from .plans import WorkPlan, WorkPlanItem, WorkPlanVersion
from .reports import (
    ProgressReport,
    ProgressReportVersion,
    ReportItemProgress,
    ReportPeriod,
    ReportProblem,
)

__all__ = [
    "Assignment",
    "Profile",
    "Programme",
    "ProgressReport",
    "ProgressReportVersion",
    "ReportItemProgress",
    "ReportPeriod",
    "ReportProblem",
    "SubmissionToken",
    "TrackedModel",
    "Unit",
    "WorkGroup",
    "WorkPlan",
    "WorkPlanItem",
    "WorkPlanVersion",
]
