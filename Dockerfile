# Image for the web, worker and beat services of docker-compose.yml.
# Not exercised in CI (our CI machines run no Docker engine); see README.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY geocases ./geocases
COPY api ./api
COPY frontend ./frontend
COPY fixtures ./fixtures
COPY manage.py ./
RUN pip install --no-cache-dir . \
 && DEBUG=1 python manage.py compilemessages --ignore=.venv \
 && DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret-key-0123456789-abcdefghij \
    python manage.py collectstatic --no-input  # production's hashed, compressed files
EXPOSE 8000
ENV BIND=0.0.0.0:8000
CMD ["gunicorn", "-c", "python:geocases.gunicorn_conf", "geocases.wsgi"]
