import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# With gunicorn's preload_app the master loads the Korean analyser once; the forked workers share
# its ~300 MiB instead of loading one each (core/korean.py). Nothing is loaded on SQLite.
from core import korean  # noqa: E402

korean.preload()
