"""The demo county: reference data (data.py) and a living programme on top of it (activity.py)."""
