"""Errors that end a run.

`InvoerFout` is a problem the user can fix (bad input, bad usage): the CLI prints its
Dutch message without a traceback and exits 2. Anything else is a fault of pgb-audit
itself: exit 1.
"""


class InvoerFout(Exception):
    """Bad input or bad usage. The message is Dutch and names file, row and column
    where they are known; it never contains personal data (BSN, name, IBAN)."""


class RegelingFout(InvoerFout):
    """A regeling TOML file that cannot be used (unknown key, wrong type, ...)."""
