"""The Celery application. Tasks live in each domain app's ``tasks.py``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geocases.settings")

app = Celery("geocases")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
