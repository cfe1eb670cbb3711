"""Planted cases, one module per check code (`plants/<code>.py`), each registering its
variants with `@plant(check, variant, budgethouders=..., needs=...)`.

`PLAN` is every registered variant in the order of the check table (and, per check, the
order its module declares them): the order plants are laid over the budgethouders, which
the seeded random generator depends on.
"""

from __future__ import annotations

from auditor.registry import check_rank
from auditor.samples.plants import (  # noqa: F401  (each module registers its plants)
    aanwending, afspraak, betaling, budget, buiten_periode, buitenland, dubbel, dubbelrol, km, kwaliteit, netwerk,
    onmogelijke_uren, overlap, overschrijding, sn_categorie, tarief, vast_maandbedrag, verboden, zzp_link,
)
from auditor.samples.plants._base import PLANTS, Plant, Planter

__all__ = ["PLAN", "Planter", "plant_spec", "variant_allowed"]

#: (check, variant, number of budgethouders): in check-table order
PLAN: list[tuple[str, str, int]] = [(x.check, x.variant, x.budgethouders)
                                    for x in sorted(PLANTS, key=lambda x: check_rank(x.check))]
_BY_KEY: dict[tuple[str, str], Plant] = {(x.check, x.variant): x for x in PLANTS}


def variant_allowed(check: str, variant: str, reg) -> bool:
    return _BY_KEY[(check, variant)].needs(reg)


def plant_spec(p: Planter, check: str, variant: str, bhs: list) -> None:
    """Spec-level part of a plant; stores a closure for the line-level part in bh.plants."""
    x = _BY_KEY.get((check, variant))
    if x is None:
        raise ValueError(check)
    x.fn(p, variant, bhs)
