"""`siaga --help`, each command's --help and the usage errors read in the planner's language:
typer's own words around Siaga's (Usage, Options, [default: ...], <path>, Missing argument ...)
are Indonesian unless English is chosen (--lang en or SIAGA_LANG=en), and English then. The
installed command is run as the planner runs it, in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from siaga import cli, cli_words
from siaga.core.data.text import _, catalogue

SIAGA = str(Path(sys.executable).parent / "siaga")
ENGLISH_CHROME = (
    "Usage:",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "Arguments",
    "Options",
    "Commands",
    "Show this message and exit.",
    "[default:",
    "[env var:",
    "[required]",
    "<path>",
    "<str>",
    "<int",
    "<bool>",
    "{path}",
    "plan_path",
    "Try '",
)


def commands(group=None, path=()):
    """Every command of `siaga`, groups included, as its words on the command line."""
    group = group or get_command(cli.app)
    yield path
    for name, command in group.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


COMMANDS = list(commands())


def siaga(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """`siaga args` on a wide terminal, SIAGA_LANG set to `lang` (none: the planner's default)."""
    env = {k: v for k, v in os.environ.items() if k != "SIAGA_LANG"} | {"COLUMNS": "250"}
    if lang is not None:
        env["SIAGA_LANG"] = lang
    return subprocess.run([SIAGA, *args], capture_output=True, text=True, env=env, check=False, timeout=60)


def test_it_has_a_command_to_walk():
    assert len(COMMANDS) > 15 and ("plan",) in COMMANDS and ("scenario", "generate") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_it_gives_every_help_in_indonesian_by_default(command):
    done = siaga(*command, "--help")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert f"Penggunaan: siaga {' '.join(command)}".rstrip() + " [OPSI]" in text
    assert "Opsi" in text and "Tampilkan bantuan ini lalu keluar." in text and "<saklar>" in text
    for english in ENGLISH_CHROME:
        assert english not in text, (english, text)


def test_it_gives_the_commands_and_arguments_in_indonesian():
    top = siaga("--help").stdout
    assert "Penggunaan: siaga [OPSI] PERINTAH [ARGUMEN]..." in top and "─ Perintah ─" in top
    plan = siaga("plan", "--help").stdout
    assert "Penggunaan: siaga plan [OPSI] {skenario}" in plan and "─ Argumen ─" in plan
    assert "<berkas>" in plan and "[wajib]" in plan and "[bawaan: id]" in plan and "<teks>" in plan
    assert "[variabel lingkungan: SIAGA_LANG]" in plan and "<bilangan dalam rentang>" in plan
    check = siaga("check", "--help").stdout
    assert "{skenario} {rencana}" in check
    # the options keep their own names
    assert "--out" in plan and "--lang" in plan and "--workers" in plan


@pytest.mark.parametrize("choose", [{"lang": "en"}, {"args": ("--lang", "en")}, {"args": ("--lang=en",)}])
def test_it_gives_the_help_in_english_when_english_is_chosen(choose):
    done = siaga("plan", *choose.get("args", ()), "--help", lang=choose.get("lang"))
    text = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Usage: siaga plan [OPTIONS] {scenario}" in text and "─ Arguments ─" in text and "─ Options ─" in text
    assert "<path>" in text and "[required]" in text and "[default: id]" in text and "<str>" in text
    assert "Show this message and exit." in text and "[env var: SIAGA_LANG]" in text
    for indonesian in ("Penggunaan", "[OPSI]", "Argumen ", "<berkas>", "[wajib]", "[bawaan", "Tampilkan"):
        assert indonesian not in text, (indonesian, text)
    top = siaga("--help", lang="en").stdout
    assert "Usage: siaga [OPTIONS] COMMAND [ARGS]..." in top and "─ Commands ─" in top


USAGE_ERRORS = [
    # args, Indonesian, English
    (("plan",), "Argumen 'skenario' belum diberikan.", "Missing argument 'scenario'."),
    (("plan", "x.xlsx"), "Opsi '--out' / '-o' belum diberikan.", "Missing option '--out' / '-o'."),
    (("plan", "x.xlsx", "--ou", "y"), "Opsi tidak dikenal: --ou (opsi yang ada: --out)", "No such option: --ou"),
    (
        ("scenario", "generate", "--tps", "abc", "--out", "x"),
        "Nilai '--tps' tidak sah: bukan bilangan bulat",
        "Invalid value for '--tps': Input should be a valid integer",
    ),
    (
        ("scenario", "generate", "--tps", "0", "--out", "x"),
        "Nilai '--tps' tidak sah: harus paling kecil 1",
        "Invalid value for '--tps': Input should be greater than or equal to 1",
    ),
    (("pla",), "Perintah 'pla' tidak dikenal. Maksudnya 'plan', 'replan'?", "No such command 'pla'. Did you mean"),
    (("plan", "x.xlsx", "--out"), "Opsi '--out' perlu diberi nilai.", "Option '--out' requires an argument."),
    (("plan", "a", "b", "--out", "x"), "Ada argumen yang berlebih (b)", "Got unexpected extra argument(s) (b)"),
]


@pytest.mark.parametrize(("args", "indonesian", "english"), USAGE_ERRORS, ids=lambda v: " ".join(v)[:30])
def test_it_says_a_usage_error_in_the_chosen_language(args, indonesian, english):
    said = siaga(*args)
    assert said.returncode == 2 and said.stdout == ""
    assert indonesian in said.stderr and "─ Kesalahan ─" in said.stderr, said.stderr
    for word in ("Error", "Usage:", "Try '", "Missing", "No such", "Invalid value", "Option '"):
        assert word not in said.stderr, (word, said.stderr)
    told = siaga(*args, lang="en")
    assert told.returncode == 2 and english in told.stderr and "─ Error ─" in told.stderr, told.stderr
    assert "Kesalahan" not in told.stderr and "Penggunaan" not in told.stderr


def test_it_shows_the_usage_and_the_way_to_help_with_an_error():
    said = siaga("check", "skenario.xlsx").stderr
    assert "Penggunaan: siaga check [OPSI] {skenario} {rencana}" in said
    assert "Coba 'siaga check --help' untuk bantuan." in said
    told = siaga("check", "skenario.xlsx", "--lang", "en").stderr
    assert "Usage: siaga check [OPTIONS] {scenario} {plan}" in told and "Try 'siaga check --help' for help." in told


def test_it_lets_the_command_line_lang_win_over_siaga_lang():
    assert "Penggunaan:" in siaga("plan", "--lang", "id", "--help", lang="en").stdout
    assert "Usage:" in siaga("plan", "--lang", "en", "--help", lang="id").stdout
    assert "Penggunaan:" in siaga("plan", "--help", lang="fr").stdout  # only "en" is English


def test_it_says_its_own_messages_in_the_language_of_siaga_lang(tmp_path):
    missing = str(tmp_path / "tidak ada.xlsx")
    assert "Tidak dapat membaca" in siaga("scenario", "validate", missing).stderr
    assert "Cannot read" in siaga("scenario", "validate", missing, lang="en").stderr


# ---------------------------------------------------------------- the table of words


def test_it_keeps_typers_english_as_the_catalogues_english_of_every_word():
    """The catalogue's English of each Indonesian msgid is typer's own English: English stays as
    typer writes it, and the table says which of typer's words each msgid stands for."""
    for english, msgid in cli_words.WORDS.items():
        assert _(msgid, "en", **cli_words.HOLES) == english
        assert _(msgid, "id", **cli_words.HOLES) != english
    for english, msgid in cli_words.MESSAGES.items():
        assert catalogue("en").gettext(msgid) == english


def test_it_names_every_argument_of_every_command_in_words():
    root = get_command(cli.app)
    names = set()
    for command in COMMANDS:
        found = root
        for name in command:
            found = found.commands[name]
        names |= {p.name for p in found.params if isinstance(p, typer.core.TyperArgument)}
    assert names and names <= set(cli_words.ARGUMENTS), names - set(cli_words.ARGUMENTS)


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        ("Missing argument 'skenario'.", "Argumen 'skenario' belum diberikan."),
        (
            "No such option: --x (Possible options: --out, --seed)",
            "Opsi tidak dikenal: --x (opsi yang ada: --out, --seed)",
        ),
        ("No such option: --x", "Opsi tidak dikenal: --x"),
        (
            "Invalid value for '-n': Input should be less than or equal to 9",
            "Nilai '-n' tidak sah: harus paling besar 9",
        ),
        ("Invalid value for '-n': some reason pydantic gives", "Nilai '-n' tidak sah: some reason pydantic gives"),
        ("Tidak dapat membaca x.xlsx", "Tidak dapat membaca x.xlsx"),  # Siaga's own words stay
        ("a message typer added later", "a message typer added later"),
    ],
)
def test_it_words_typers_messages_by_their_templates(english, indonesian):
    assert cli_words.message(english, "id") == indonesian
    assert cli_words.message(english, "en") == english


@pytest.mark.parametrize(
    ("args", "lang"),
    [([], "id"), (["plan", "--lang", "en"], "en"), (["--lang=en"], "en"), (["--lang", "id"], "id"), (["--lang"], "id")],
)
def test_it_reads_the_language_of_a_run(args, lang):
    assert cli_words.reader_lang(args, {}) == lang
    assert cli_words.reader_lang(args + ["--lang", "en"], {}) == "en"
    assert cli_words.reader_lang(args, {"SIAGA_LANG": "en"}) == ("id" if "id" in args else "en")
