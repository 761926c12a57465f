"""Pieces of scripts/bench.py: its settings, the Django-side tasks and the wrk script."""
