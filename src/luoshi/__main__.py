"""`luoshi COMMAND …` (or `python -m luoshi …`): Django's management commands, hyphens allowed."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "luoshi"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
