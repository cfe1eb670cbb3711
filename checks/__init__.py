"""The check catalogue: one module per check code (the table is `auditor.registry.CHECKS`).

| code | module |
|---|---|
| TARIEF | checks/tarief.py |
| AFSPRAAK | checks/afspraak.py |
| BUDGET | checks/budget.py |
| SN-CATEGORIE | checks/sn_categorie.py |
| VERBODEN | checks/verboden.py |
| VAST-MAANDBEDRAG | checks/vast_maandbedrag.py |
| BUITENLAND | checks/buitenland.py |
| BUITEN-PERIODE | checks/buiten_periode.py |
| OVERLAP | checks/overlap.py |
| OVERSCHRIJDING | checks/overschrijding.py |
| AANWENDING | checks/aanwending.py |
| KWALITEIT | checks/kwaliteit.py |
| DUBBEL | checks/dubbel.py |
| ONMOGELIJKE-UREN | checks/onmogelijke_uren.py |
| BETALING | checks/betaling.py |
| ZZP-LINK | checks/zzp_link.py |
| DUBBELROL | checks/dubbelrol.py |
| NETWERK | checks/netwerk.py |
| KM | checks/km.py |
| NIET-GELEVERD | checks/niet_geleverd.py |

Importing this package imports every check module; each registers its function with
`auditor.engine.check` (`auditor.registry.check`). `load_checks()` returns them in report
order. See docs/architecture.md for the contract of a check.
"""

from __future__ import annotations

from auditor.registry import CHECKS, CheckSpec, registered
from checks import (  # noqa: F401  (each module registers itself)
    aanwending, afspraak, betaling, budget, buiten_periode, buitenland, dubbel, dubbelrol, km, kwaliteit, netwerk,
    niet_geleverd, onmogelijke_uren, overlap, overschrijding, sn_categorie, tarief, vast_maandbedrag, verboden,
    zzp_link,
)


def load_checks() -> dict[str, CheckSpec]:
    """Every check of the table, registered by its module, in report order."""
    reg = registered()
    missing = [c.code for c in CHECKS if c.code not in reg or reg[c.code].module != c.module]
    if missing:
        raise RuntimeError(f"checks without their registered module: {', '.join(missing)}")
    return reg
