"""supervision models, split by subdomain; import them from here."""

from .calendar import CalendarDay
from .tickets import CategorySetting, ExtensionRequest, Ticket, TicketAttachment, TicketEvent

__all__ = [
    "CalendarDay",
    "CategorySetting",
    "ExtensionRequest",
    "Ticket",
    "TicketAttachment",
    "TicketEvent",
]
