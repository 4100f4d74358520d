"""supervision reads, scoped to the user, split by subdomain. Import them from here."""

from .calendar import (
    calendar_day_list,
    calendar_day_list_all,
    category_setting_list,
)
from .tickets import (
    NOTHING,
    attachment_list,
    awaiting_rating,
    colour_q,
    department_inbox,
    extension_list,
    open_duplicates,
    person_names,
    raisable_enterprise_list,
    report_problem_list,
    state_counts,
    ticket_event_list,
    ticket_list,
    unit_handler_list,
)

__all__ = [
    "NOTHING",
    "attachment_list",
    "awaiting_rating",
    "calendar_day_list",
    "calendar_day_list_all",
    "category_setting_list",
    "colour_q",
    "department_inbox",
    "extension_list",
    "open_duplicates",
    "person_names",
    "raisable_enterprise_list",
    "report_problem_list",
    "state_counts",
    "ticket_event_list",
    "ticket_list",
    "unit_handler_list",
]
