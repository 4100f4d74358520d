"""Reads of the projects app, always given the user (see projects.py for who sees what)."""

from .progress import (
    due_days_by_programme,
    investment_curve,
    investment_total,
    milestone_list,
    progress_list,
    progress_status,
    project_due_day,
    project_problem_list,
    project_settings,
    project_stage_chain,
    stage_move_list,
)
from .projects import (
    has_progress_for,
    my_project_list,
    own_project_ids,
    project_list,
    stage_rank,
    with_figures,
)

__all__ = [
    "due_days_by_programme",
    "has_progress_for",
    "investment_curve",
    "investment_total",
    "milestone_list",
    "my_project_list",
    "own_project_ids",
    "progress_list",
    "progress_status",
    "project_due_day",
    "project_list",
    "project_problem_list",
    "project_settings",
    "project_stage_chain",
    "stage_move_list",
    "stage_rank",
    "with_figures",
]
