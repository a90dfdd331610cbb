#!/usr/bin/env python
"""Django's command-line utility for geocases."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geocases.settings")
    from geocases.config import ConfigurationError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
