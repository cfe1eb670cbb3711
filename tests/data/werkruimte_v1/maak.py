"""How werkruimte.sqlite (schema version 1) was made, with the code of main at 43359ae (before issue 18). Not a test."""
from pathlib import Path
import shutil
from auditor.cli import invoke
from tests.builders import make_batch
root = Path("/tmp/h18/fix"); shutil.rmtree(root, ignore_errors=True)
wsd = root / "ws"
def three(prefix, dag):
    return [{"declaratie_id": f"{prefix}{i}", "bedrag": "250.00", "datum_van": dag} for i in range(3)]
b1 = make_batch(root / "r1", declaraties=three("D", "2025-03-03"))
assert invoke(["run", str(b1), "--out", str(root/"o1"), "--peildatum", "2025-03-31", "--controles", "DUBBEL", "--werkruimte", str(wsd), "--stil"]) == 0
b2 = make_batch(root / "r2", declaraties=three("E", "2025-04-07"))
assert invoke(["run", str(b2), "--out", str(root/"o2"), "--peildatum", "2025-04-30", "--controles", "DUBBEL", "--werkruimte", str(wsd), "--stil"]) == 0
