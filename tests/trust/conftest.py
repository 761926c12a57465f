"""Trust tests: staff sign in through the real admin login form, with django-axes on.

django-axes keeps failed attempts in the database, so each test's rollback (or flush) resets
them; no test changes AXES_ENABLED.
"""
