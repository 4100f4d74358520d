"""stationing models, split by subdomain; import them from here (units and people: core.models)."""

from .organisation import Assignment, Programme, WorkGroup
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
    "Programme",
    "ProgressReport",
    "ProgressReportVersion",
    "ReportItemProgress",
    "ReportPeriod",
    "ReportProblem",
    "WorkGroup",
    "WorkPlan",
    "WorkPlanItem",
    "WorkPlanVersion",
]
