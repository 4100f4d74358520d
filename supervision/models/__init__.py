"""supervision models, split by subdomain; import them from here."""

from .appraisal import (
    AppraisalRun,
    AppraisalSettings,
    CadreRating,
    CadreResult,
    DepartmentResult,
    ResultReviewRequest,
    UnitResult,
    WorkGroupResult,
)
from .bulletins import Bulletin
from .calendar import CalendarDay
from .tickets import CategorySetting, ExtensionRequest, Ticket, TicketAttachment, TicketEvent

__all__ = [
    "AppraisalRun",
    "AppraisalSettings",
    "Bulletin",
    "CadreRating",
    "CadreResult",
    "CalendarDay",
    "CategorySetting",
    "DepartmentResult",
    "ExtensionRequest",
    "ResultReviewRequest",
    "Ticket",
    "TicketAttachment",
    "TicketEvent",
    "UnitResult",
    "WorkGroupResult",
]
