"""The check catalogue: one module per check code.

| code | module |
|---|---|
| TARIEF | checks/tarief.py |
| BUDGET | checks/budget.py |
| SN-CATEGORIE | checks/sn_categorie.py |
| VERBODEN | checks/verboden.py |
| VAST-MAANDBEDRAG | checks/vast_maandbedrag.py |
| BUITENLAND | checks/buitenland.py |
| BUITEN-PERIODE | checks/buiten_periode.py |
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

Every module registers its function with `auditor.engine.check`; `auditor.engine.load_checks`
imports them all. See docs/architecture.md for the contract of a check.
"""
