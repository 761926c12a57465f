"""Trust tests: staff sign in through the real admin login form, with django-axes on.

django-axes keeps failed attempts in the database, so each test's rollback (or flush) resets
them; no test changes AXES_ENABLED.
"""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Lockout tests sign in dozens of times; PBKDF2's deliberate slowness is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
