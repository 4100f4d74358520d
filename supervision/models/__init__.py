"""supervision models, split by subdomain; import them from here."""

from .calendar import CalendarDay
from .notifications import (
    CalendarFeed,
    JobRun,
    Notification,
    NotificationPreference,
    WebhookDelivery,
)
from .tickets import CategorySetting, ExtensionRequest, Ticket, TicketAttachment, TicketEvent

__all__ = [
    "CalendarFeed",
    "JobRun",
    "Notification",
    "NotificationPreference",
    "WebhookDelivery",
    "CalendarDay",
    "CategorySetting",
    "ExtensionRequest",
    "Ticket",
    "TicketAttachment",
    "TicketEvent",
]
