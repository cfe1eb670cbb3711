"""pgb-audit: a batch auditor for persoonsgebonden budgetten (pgb) jeugdhulp."""

__version__ = "0.1.0"
