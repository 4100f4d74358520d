"""Who key projects tell what (registered with notifications.kinds).

The reminder kinds are added with the reminders work; nothing is sent yet.
"""
