"""Signals the shared core sends for the layers above it.

core sits below the notification engine (the import-linter layers), so a core service cannot
call notifications itself. When a person's e-mail address goes from empty to an address, the
service sends `user_email_added` after its transaction commits; the notification engine listens
(notifications.apps) and re-queues what was skipped for want of that address.
"""

from django.dispatch import Signal

# Sent with sender=User and user=<the User>, after commit, once per empty -> address change.
user_email_added = Signal()
