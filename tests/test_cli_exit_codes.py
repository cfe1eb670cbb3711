"""Every command's failure exits with the code README.md documents: 2 when the input or the
command is wrong (a Dutch message, no traceback), 1 when pgb-audit itself fails."""

from __future__ import annotations

import sys

import pytest

from auditor.cli import invoke
from tests.builders import make_batch


def _mod(name: str):
    return sys.modules[f"auditor.cli.{name}"]


def _user_errors(tmp_path):
    kapot = tmp_path / "kapot.toml"
    kapot.write_text("[pgb]\nmax_weken_buitenland = 6.5\n", encoding="utf-8")
    nergens = str(tmp_path / "bestaat-niet")
    return {
        "onbekende opdracht": ["bestaat-niet"],
        "validate: map bestaat niet": ["validate", nergens],
        "run: map bestaat niet": ["run", nergens, "--out", str(tmp_path / "o")],
        "run: geen --out": ["run", nergens],
        "run: peildatum": ["run", nergens, "--out", str(tmp_path / "o"), "--peildatum", "31-12-2025"],
        "regeling toon: onbekend": ["regeling", "toon", "bestaat-niet"],
        "regeling controleer: kapot bestand": ["regeling", "controleer", str(kapot)],
        "samples genereer: onbekende regeling": ["samples", "genereer", "--out", str(tmp_path / "s"),
                                                 "--regeling", "bestaat-niet"],
        "steekproef: geen seed": ["steekproef", nergens, "--materialiteit", "25000"],
        "steekproef: map bestaat niet": ["steekproef", nergens, "--materialiteit", "25000", "--seed", "1"],
        "werkruimte toon: geen werkruimte": ["werkruimte", "toon", nergens],
        "zaak lijst: geen werkruimte": ["zaak", "lijst", nergens],
        "zaak importeer: geen werkmap": ["zaak", "importeer", nergens, str(tmp_path / "geen.xlsx")],
    }


def test_every_user_error_exits_2(tmp_path, capsys):
    for name, args in _user_errors(tmp_path).items():
        assert invoke(args) == 2, name
        err = capsys.readouterr().err
        assert err.strip(), f"{name}: no message"
        assert "Traceback" not in err, name


def test_run_with_unknown_check_exits_2(tmp_path, capsys):
    batch = make_batch(tmp_path)
    assert invoke(["run", str(batch), "--out", str(tmp_path / "o"), "--controles", "BESTAAT-NIET"]) == 2
    assert "onbekende controle" in capsys.readouterr().err


def _boom(*args, **kwargs):
    raise RuntimeError("a fault of pgb-audit")


# command -> (module, function the command calls first, arguments)
OUR_FAULTS = {
    "validate": ("controle", "load_batch", ["validate", "{batch}"]),
    "run": ("controle", "audit", ["run", "{batch}", "--out", "{out}"]),
    "regeling toon": ("regeling", "vind_regeling", ["regeling", "toon", "losser-2025"]),
    "regeling controleer": ("regeling", "vind_regeling", ["regeling", "controleer", "losser-2025"]),
    "samples genereer": ("samples", "_genereer", ["samples", "genereer", "--out", "{out}"]),
    "steekproef": ("steekproef", "load_batch", ["steekproef", "trek", "{batch}", "--materialiteit", "1", "--seed", "1"]),
    "werkruimte toon": ("werkruimte", "_toon", ["werkruimte", "toon", "{out}"]),
    "zaak lijst": ("zaak", "_lijst", ["zaak", "lijst", "{out}"]),
}


@pytest.mark.parametrize("command", list(OUR_FAULTS))
def test_our_fault_exits_1_without_traceback(command, tmp_path, capsys, monkeypatch):
    module, func, args = OUR_FAULTS[command]
    monkeypatch.setattr(_mod(module), func, _boom)
    monkeypatch.delenv("PGB_AUDIT_DEBUG", raising=False)
    batch = make_batch(tmp_path)
    args = [a.format(batch=batch, out=tmp_path / "out") for a in args]
    assert invoke(args) == 1
    err = capsys.readouterr().err
    assert "interne fout in pgb-audit" in err and "Traceback" not in err


def test_help_and_version_exit_0(capsys):
    assert invoke(["--help"]) == 0
    assert invoke(["--version"]) == 0
    assert "pgb-audit" in capsys.readouterr().out
