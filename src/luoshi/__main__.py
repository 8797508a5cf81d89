"""`luoshi COMMAND …` (or `python -m luoshi …`): Django's management commands, hyphens allowed."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping

HELP: tuple[list[str], ...] = (["--help"], ["-h"], ["help"], [])
LANGUAGES = ("zh-hans", "en")  # settings.LANGUAGES, without loading the settings


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    argv = list(sys.argv)
    if argv[1:] in HELP:
        print(main_help())  # without setting Django up: the list needs no models
        return
    argv[0] = "luoshi"
    language, argv = cli_language(argv, os.environ)  # first: `luoshi --lang en prune-generated`
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    # runserver's autoreloader sets Django up itself (to wait for a fix after an error).
    if language is not None or argv[1:2] != ["runserver"]:
        set_up()  # translations load the apps' catalogues
    run(argv, language)


def run(argv: list[str], language: str | None) -> None:
    from django.core.management import execute_from_command_line

    if language is None:
        execute_from_command_line(argv)  # the site's language (Chinese)
        return
    from django.utils import translation

    with translation.override(language):
        execute_from_command_line(argv)


def set_up() -> None:
    """Django set up with the cyclic garbage collector paused. Loading the apps and the command
    machinery makes some hundred thousand objects that live as long as the process (modules,
    classes, models, fields), so collecting while they are made frees nothing; they are then
    frozen, so the command's collections (and the last one, at exit) skip them: `luoshi status`
    takes a quarter less time. They stay frozen: a caller running commands in its own process (the
    tests) calls gc.unfreeze() afterwards."""
    import django

    gc.disable()
    try:
        django.setup()
        import django.core.management  # made here too, while the collector rests
    finally:
        gc.enable()
    gc.freeze()


def cli_language(argv: list[str], environ: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """The language the command prints in — one at a time: `--lang en` (taken out of the
    arguments), else `LUOSHI_LANGUAGE`, else None (the site's default, Chinese)."""
    rest, language = [], environ.get("LUOSHI_LANGUAGE") or None
    args = iter(argv)
    for arg in args:
        if arg == "--lang":
            language = next(args, None)
        elif arg.startswith("--lang="):
            language = arg.partition("=")[2]
        else:
            rest.append(arg)
    if language is not None and language not in LANGUAGES:
        sys.exit(f"luoshi: --lang/LUOSHI_LANGUAGE must be one of {', '.join(LANGUAGES)}")
    return language, rest


def commands() -> dict[str, str]:
    """Command name → the app that provides it, found on disk like Django's `get_commands()`."""
    from importlib.util import find_spec

    from django.conf import settings
    from django.core import management

    found = {name: "django.core" for name in management.find_commands(management.__path__[0])}
    for entry in reversed(settings.INSTALLED_APPS):
        # An AppConfig path (x.apps.SomeConfig) stands for its package. No module is imported: the
        # top package is found, and a subpackage (django_otp.plugins.otp_totp) is a folder in it
        # (finding it by name would run its parents' __init__, django_otp's loads Django's auth).
        package = entry.rsplit(".apps.", 1)[0] if entry.rpartition(".")[2][:1].isupper() else entry
        top, *inner = package.split(".")
        spec = find_spec(top)
        for path in (spec.submodule_search_locations or []) if spec else []:
            found |= dict.fromkeys(
                management.find_commands(os.path.join(path, *inner, "management")), entry
            )
    return found


def main_help() -> str:
    """The same text as `django-admin help`, grouped by app."""
    grouped: dict[str, list[str]] = {}
    for name, app in commands().items():
        grouped.setdefault("django" if app == "django.core" else app.rpartition(".")[2], []).append(
            name
        )
    lines = ["", "Type 'luoshi help <subcommand>' for help on a specific subcommand.", ""]
    lines.append("Available subcommands:")
    for app in sorted(grouped):
        lines += ["", f"[{app}]", *(f"    {name}" for name in sorted(grouped[app]))]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
