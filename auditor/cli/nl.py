"""click in Dutch: every message click itself prints (usage, missing and bad options, --help).

click wraps its texts in `gettext` (`_()` and `ngettext()` bound in each of its modules);
`install()` replaces those names in click's modules with a lookup in `VERTALING`, so the
messages are Dutch whatever the locale of the machine. The help's metavars (`TEXT`, `PATH`,
`[OPTIONS]`) are translated by `NlFormatter`, which `NlContext` makes every command use;
`nl_commands(group)` sets that context on a group and all its commands.
"""

from __future__ import annotations

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

#: click's own texts (click 8.x) and their Dutch; a text not listed stays as click wrote it
VERTALING: dict[str, str] = {
    "Aborted!": "Afgebroken.",
    "Missing command.": "Geef een commando.",
    "Options": "Opties",
    "Positional arguments": "Argumenten",
    "Commands": "Commando's",
    "Value must be an iterable.": "De waarde moet een lijst zijn.",
    "env var: {var}": "omgevingsvariabele: {var}",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "(dynamic)": "(dynamisch)",
    "deprecated": "verouderd",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Let op: het commando {name!r} is verouderd.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Let op: {param_type} {name!r} is verouderd.{extra_message}",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Takes {nargs} values but 1 was given.": "Verwacht {nargs} waarden, maar kreeg er 1.",
    "Takes {nargs} values but {len} were given.": "Verwacht {nargs} waarden, maar kreeg er {len}.",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Show the version and exit.": "Toon de versie en stop.",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Did you mean {possibility}?": "Bedoelde u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelde u een van: {possibilities}?)",
    "Missing argument": "Ontbrekend argument",
    "unknown error": "onbekende fout",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Missing option": "Ontbrekende optie",
    "Could not open file {filename!r}: {message}": "Kan het bestand {filename!r} niet openen: {message}",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Typ '{command} {option}' voor hulp.",
    "Missing parameter": "Ontbrekende parameter",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekend commando {name!r}.",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Missing {param_type}": "Ontbrekende {param_type}",
    "Usage:": "Gebruik:",
    "Invalid start character for option ({option})": "Ongeldig eerste teken voor een optie ({option})",
    "Option {name!r} does not take a value.": "De optie {name!r} neemt geen waarde.",
    "Option {name!r} requires an argument.": "De optie {name!r} vraagt een waarde.",
    "Option {name!r} requires {nargs} arguments.": "De optie {name!r} vraagt {nargs} waarden.",
    "Argument {name!r} takes {nargs} values.": "Het argument {name!r} neemt {nargs} waarden.",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden verschillen.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} is niet een van {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} past niet bij het formaat {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} past niet bij de formaten {formats}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} is geen geldige ja/nee-waarde. Bekende waarden: {states}",
    "{len_type} values are required, but {len_value} was given.": "{len_type} waarden zijn nodig, maar er is er {len_value} gegeven.",
    "{len_type} values are required, but {len_value} were given.": "{len_type} waarden zijn nodig, maar er zijn er {len_value} gegeven.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "integer": "geheel getal",
    "float": "getal",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand, geen map.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map, geen bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
}

#: metavars in --help (click writes the type's name in capitals)
METAVARS = {"[OPTIONS]": "[OPTIES]", "COMMAND [ARGS]...": "COMMANDO [ARGUMENTEN]...", "TEXT": "TEKST",
            "PATH": "PAD", "DIRECTORY": "MAP", "FILE": "BESTAND", "INTEGER": "GETAL", "FLOAT": "GETAL",
            "BOOLEAN": "JA/NEE", "FILENAME": "BESTAND"}


def vertaal(tekst: str) -> str:
    return VERTALING.get(tekst, tekst)


def vertaal_n(enkel: str, meer: str, n: int) -> str:
    return vertaal(enkel if n == 1 else meer)


def install() -> None:
    """Make click speak Dutch (idempotent)."""
    for mod in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                click.types):
        if hasattr(mod, "_"):
            mod._ = vertaal
        if hasattr(mod, "ngettext"):
            mod.ngettext = vertaal_n


def _metavars(tekst: str) -> str:
    for en, nl in METAVARS.items():
        tekst = tekst.replace(f" {en}", f" {nl}") if not tekst.startswith(en) else nl + tekst[len(en):].replace(f" {en}", f" {nl}")
    return tekst


class NlFormatter(click.HelpFormatter):
    """The help text with Dutch metavars."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _metavars(args), prefix)

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_metavars(a), b) for a, b in rows], col_max, col_spacing)


class NlContext(click.Context):
    formatter_class = NlFormatter


def nl_commands(cmd: click.Command) -> None:
    """Give `cmd` and every command below it the Dutch context."""
    cmd.context_class = NlContext
    for sub in getattr(cmd, "commands", {}).values():
        nl_commands(sub)
