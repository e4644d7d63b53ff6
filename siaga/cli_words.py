"""The words typer prints around Siaga's own in `siaga --help` and in a usage error ("Usage:",
"Options", "[default: ...]", "<path>", "Missing argument ..."), in the reader's language.

Typer 0.29 prints them from its own copy of click, as English literals rather than through
gettext, so they are reworded here, at the few places typer reads them (`speak`). Their one home
is the tables below: typer's English beside the Indonesian msgid of Siaga's catalogue, whose
English is typer's English again (a test holds the two together). English is typer's own: in
English nothing is reworded but the arguments' names. A typer that reads its words elsewhere
is left to print its English.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from types import ModuleType
from typing import Any

from siaga.core.data.text import _, catalogue, gettext_noop

# typer's English -> the Indonesian msgid; a `{}` of typer's is the msgid's %(value)s, and
# %(command)s is the command to try (rich markup of typer's, kept out of the msgid).
WORDS = {
    "Usage:": gettext_noop("Penggunaan:"),
    "[OPTIONS]": gettext_noop("[OPSI]"),
    "COMMAND [ARGS]...": gettext_noop("PERINTAH [ARGUMEN]..."),
    "Arguments": gettext_noop("Argumen"),
    "Options": gettext_noop("Opsi"),
    "Commands": gettext_noop("Perintah"),
    "Show this message and exit.": gettext_noop("Tampilkan bantuan ini lalu keluar."),
    "[default: {}]": gettext_noop("[bawaan: %(value)s]"),
    "[env var: {}]": gettext_noop("[variabel lingkungan: %(value)s]"),
    "[required]": gettext_noop("[wajib]"),
    "Error": gettext_noop("Kesalahan"),
    "Aborted.": gettext_noop("Dibatalkan."),
    "Try [blue]'{command_path} {help_option}'[/] for help.": gettext_noop("Coba %(command)s untuk bantuan."),
    "<path>": gettext_noop("<berkas>"),
    "<str>": gettext_noop("<teks>"),
    "<int>": gettext_noop("<bilangan>"),
    "<int range>": gettext_noop("<bilangan dalam rentang>"),
    "<bool>": gettext_noop("<saklar>"),
    "<list[str]>": gettext_noop("<daftar teks>"),
}
HOLES = {"value": "{}", "command": "[blue]'{command_path} {help_option}'[/]"}

# typer's usage errors (and pydantic's reasons inside them), as templates of typer's English
# -> the Indonesian msgid. The first that matches the whole message words it; a longer form
# comes before the shorter one it extends.
MESSAGES = {
    "Missing argument %(name)s.": gettext_noop("Argumen %(name)s belum diberikan."),
    "Missing option %(name)s.": gettext_noop("Opsi %(name)s belum diberikan."),
    "Missing command.": gettext_noop("Perintah belum diberikan."),
    "No such option: %(name)s (Possible options: %(options)s)": gettext_noop(
        "Opsi tidak dikenal: %(name)s (opsi yang ada: %(options)s)"
    ),
    "No such option: %(name)s": gettext_noop("Opsi tidak dikenal: %(name)s"),
    "No such command %(name)s. Did you mean %(commands)s?": gettext_noop(
        "Perintah %(name)s tidak dikenal. Maksudnya %(commands)s?"
    ),
    "No such command %(name)s.": gettext_noop("Perintah %(name)s tidak dikenal."),
    "Option %(name)s requires an argument.": gettext_noop("Opsi %(name)s perlu diberi nilai."),
    "Option %(name)s does not take a value.": gettext_noop("Opsi %(name)s tidak menerima nilai."),
    "Got unexpected extra argument(s) (%(values)s)": gettext_noop("Ada argumen yang berlebih (%(values)s)"),
    "Invalid value for %(name)s: %(reason)s": gettext_noop("Nilai %(name)s tidak sah: %(reason)s"),
    "Invalid value: %(reason)s": gettext_noop("Nilai tidak sah: %(reason)s"),
    "Input should be a valid integer, unable to parse string as an integer": gettext_noop("bukan bilangan bulat"),
    "Input should be greater than or equal to %(n)s": gettext_noop("harus paling kecil %(n)s"),
    "Input should be less than or equal to %(n)s": gettext_noop("harus paling besar %(n)s"),
}

# The commands' arguments by their names in siaga/cli.py (a Python name is no word for the
# reader): in both languages, typer's name where there is none.
ARGUMENTS = {
    "path": gettext_noop("skenario"),
    "plan_path": gettext_noop("rencana"),
    "kpu_file": gettext_noop("berkas_kpu"),
    "region_file": gettext_noop("berkas_wilayah"),
    "decree_file": gettext_noop("berkas_sk"),
    "coordinates_file": gettext_noop("berkas_koordinat"),
}

# typer.rich_utils' constants that hold words, by the English typer gives them.
RICH_CONSTANTS = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}

_lang = "id"  # the language of this run, set by `speak`


def reader_lang(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> str:
    """The language of a run of `siaga args`: its --lang (the last one given), else the
    SIAGA_LANG variable, else Indonesian. Only "en" is English, as in every message."""
    chosen = environ.get("SIAGA_LANG", "")
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.removeprefix("--lang=")
    return "en" if chosen == "en" else "id"


def word(english: str, lang: str) -> str:
    """typer's `english` word in `lang` (typer's own in English, or when the table has none)."""
    msgid = WORDS.get(english)
    return english if msgid is None or lang == "en" else _(msgid, lang, **HOLES)


def message(text: str, lang: str) -> str:
    """typer's usage error `text` in `lang`, its reason too; as typer gave it when no template fits."""
    if lang == "en":
        return text
    for pattern, msgid in _patterns():
        found = pattern.fullmatch(text)
        if found is not None:
            return _(msgid, lang, **{name: message(value, lang) for name, value in found.groupdict().items()})
    return text


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    hole = re.compile(r"%\\\((\w+)\\\)s")  # a %(name)s as re.escape writes it
    return [
        (re.compile(hole.sub(r"(?P<\1>.+?)", re.escape(english)), re.DOTALL), msgid)
        for english, msgid in MESSAGES.items()
    ]


def argument(name: str, lang: str) -> str:
    """The argument named `name` in siaga/cli.py, as the reader reads it."""
    msgid = ARGUMENTS.get(name)
    return name if msgid is None else catalogue(lang).gettext(msgid)


def speak(lang: str, rich_utils: ModuleType) -> None:
    """typer's words in `lang` from now on. `rich_utils` is typer.rich_utils, which may not be
    loaded yet (cli.py's `_lazy`): its constants set now are kept when it loads."""
    global _lang
    _lang = lang
    for name, english in RICH_CONSTANTS.items():
        setattr(rich_utils, name, word(english, lang))
    _install()


@cache
def _install() -> None:
    """typer's methods that print its words, each wrapped once to word them in `_lang`. A typer
    that has moved them keeps its English (tests/test_cli_help_words.py then says so)."""
    try:
        from typer import core, exceptions
        from typer._click import core as click_core
        from typer._click import exceptions as click_exceptions
        from typer._click import formatting

        classes = [c for module in (exceptions, click_exceptions) for c in vars(module).values()]
        for cls in classes:  # each error class that words its message itself
            if isinstance(cls, type) and issubclass(cls, exceptions.TyperException) and "format_message" in vars(cls):
                _after(cls, "format_message", lambda text: message(text, _lang))
        _after(core._TyperParameter, "display_type", lambda text: word(text, _lang))
        _after(click_core.Command, "get_help_option", _help_option)
        write_usage = formatting.HelpFormatter.write_usage
    except (ImportError, AttributeError, KeyError):
        return

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english in ("[OPTIONS]", "COMMAND [ARGS]..."):  # the pieces typer puts in every usage line
            args = args.replace(english, word(english, _lang))
        write_usage(self, prog, args, word("Usage:", _lang) + " " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    core.TyperArgument.display_name_raw = property(  # type: ignore[assignment,method-assign]
        lambda self: self.metavar if self.metavar is not None else argument(self.name, _lang)
    )


def _help_option(option: Any) -> Any:
    """The --help option, typer's own, with typer's help for it in the reader's language."""
    if option is not None:
        option.help = word("Show this message and exit.", _lang)
    return option


def _after(cls: type, name: str, reword: Callable[[Any], Any]) -> None:
    """`cls.name` with its result passed through `reword`."""
    method = vars(cls)[name]

    def worded(self: Any, *args: Any, **kwargs: Any) -> Any:
        return reword(method(self, *args, **kwargs))

    worded.__wrapped__ = method  # type: ignore[attr-defined]
    setattr(cls, name, worded)
