import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    help = "Create the configured database if it is missing, and enable PostGIS in it."

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "connect_timeout": db.get("OPTIONS", {}).get("connect_timeout", 5),
        }
        where = f"{params['host'] or 'localhost'}:{params['port'] or 5432}"
        name = db["NAME"]
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
                exists = admin.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if not exists:
                    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(f"created database {name} on {where}")
        except psycopg.OperationalError as error:
            raise CommandError(
                f"cannot reach PostgreSQL at {where} as {params['user']}: {error}".strip()
                + "\nSet DATABASE_URL to a server you can log in to (see README)."
            ) from error
        except psycopg.errors.InsufficientPrivilege as error:
            raise CommandError(
                f"database {name} does not exist and {params['user']} may not create it; "
                "ask your DBA to create it, or use a role with CREATEDB."
            ) from error

        try:
            with psycopg.connect(dbname=name, autocommit=True, **params) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        except (psycopg.errors.FeatureNotSupported, psycopg.errors.UndefinedFile) as error:
            raise CommandError(
                f"PostGIS is not installed on the PostgreSQL server at {where}: install the "
                "package for its major version (Debian: postgresql-<major>-postgis-3)."
            ) from error
        except psycopg.errors.InsufficientPrivilege as error:
            raise CommandError(
                f"{params['user']} may not enable PostGIS in {name}; a superuser must run "
                f"'CREATE EXTENSION postgis' in it once."
            ) from error
        self.stdout.write(f"database {name} on {where} ready, PostGIS {version}")
