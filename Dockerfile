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
RUN pip install --no-cache-dir . gunicorn \
 && DEBUG=1 python manage.py compilemessages --ignore=.venv \
 && DEBUG=1 python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["gunicorn", "geocases.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
