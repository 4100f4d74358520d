"""Scheduled jobs of key projects (registered with notifications.jobs).

The reminders (milestone due in 7 days, milestone late, monthly progress due and overdue) are
registered here by the reminders work; nothing is scheduled yet.
"""
