import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
application = get_wsgi_application()
# Import every view now (Django does it on the first request): each gunicorn worker does it as it
# starts, so no user waits seconds for the first page.
get_resolver().url_patterns  # noqa: B018 (the import is the point)
