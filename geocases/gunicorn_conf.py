"""gunicorn's settings for production (``make serve``, the Docker image):
``gunicorn -c python:geocases.gunicorn_conf geocases.wsgi``.

Workers: ``WEB_CONCURRENCY`` processes (default 2 x cores + 1, gunicorn's
own advice), each with ``WEB_THREADS`` threads (default 4): a request spends
most of its time waiting for PostgreSQL, so threads overlap those waits
without a process each. Each thread keeps its database connection for a
minute (``CONN_MAX_AGE`` in settings), so workers x threads is the number of
connections to allow for (5 x 4 = 20 on two cores). Static files are served
by WhiteNoise from the app, compressed and cached forever by their hashed
names; a reverse proxy in front may cache them too.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 30  # a request taking longer is cut, and its worker restarted
graceful_timeout = 20
keepalive = 5
# Workers are not restarted after a number of requests: a restarting worker
# closes its idle keep-alive connections, and a client that has just sent a
# request on one gets no answer (the fault drills saw it). There is no leak
# to guard against; set GUNICORN_CMD_ARGS="--max-requests N" should one appear.
max_requests = 0
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
