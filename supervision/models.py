"""Supervision: problem tickets, notifications, bulletins and appraisal live here.

The foundation issue ships no supervision models yet; the tickets and notifications issues add them.
"""
