"""Regeling files: loading, strict validation, picking the regeling per line, the pgb norm.

The package: `schema` (vocabulary and validation), `loading` (the `Regeling` object and
finding files), `choice` (the regeling per row), `frames` (small frames to join), `norm` (the
pgb norm per unit). This module re-exports their public names.

A regeling is a TOML file (format: ``docs/regelingen.md`` and the contract
``regeling.md``) with every rule value of one gemeente for one period. The bundled ones
live in the ``tariffs`` package. Floats in the TOML are parsed as ``Decimal`` so that no
binary float ever holds an amount; ``Regeling.data`` therefore contains ``Decimal``,
``int``, ``bool``, ``str``, ``date``, lists and dicts.

Public API
----------
``laad_regeling(path)``            load and validate one file; ``RegelingFout`` (Dutch, names
                                   file and key) when it cannot be used.
``vind_regeling(naam_of_pad)``     a file path or the id of a bundled regeling (``losser-2025``).
``gebundelde_regelingen()``        every bundled regeling, sorted by id.
``kies_regeling(lf, regelingen)``  adds ``regeling_id`` per row.
``voeg_norm_toe(lf, regelingen)``  adds ``{prefix}_ct``, ``{prefix}_uitleg``, ``{prefix}_reden``.
``regeling_frame``, ``artikelen_frame``, ``categorie_frame``, ``verboden_frame``: small frames
                                   to join on ``regeling_id``.

``regeling_frame(regelingen)`` columns (one row per regeling; null = absent in the file,
which means "niet toetsbaar" for the check that needs it, except where noted):

=============================  =============  ==================================================
column                         dtype          meaning
=============================  =============  ==================================================
regeling_id                    String         file stem, e.g. ``losser-2025``
naam, gemeente                 String         ``[regeling]``
gemeente_code                  String         CBS code, 4 digits
geldig_van, geldig_tot         Date           validity, both inclusive; geldig_tot null = open
max_weken_buitenland           Int64          ``pgb.max_weken_buitenland`` (weeks per calendar year)
vast_maandbedrag_toegestaan    Boolean        ``pgb.vast_maandbedrag_toegestaan``
aanwenden_binnen_maanden       Int64          ``pgb.aanwenden_binnen_maanden``
vog_max_jaren                  Int64          ``kwaliteit.vog_max_jaren`` (older files: ``pgb.vog_max_jaren``)
vog_max_maanden_voor_start     Int64          ``kwaliteit.vog_max_maanden_voor_start``
min_opleidingsniveau           String         ``kwaliteit.min_opleidingsniveau`` (mbo1 .. wo)
registratie_vereist            Boolean        ``kwaliteit.registratie_vereist`` (null = no such rule)
kvk_vereist                    Boolean        ``kwaliteit.kvk_vereist`` (null = no such rule)
max_uren_per_dag_e4            Int64          ``pgb.max_uren_per_dag`` x 10^4 (24 -> 240000)
km_tarief_ct4                  Int64          ``vervoer.km_tarief`` in euros x 10^4 (0.23 -> 2300);
                                              null = the gemeente has no km rule
km_drempel_e4                  Int64          ``vervoer.km_drempel_enkele_reis`` x 10^4 (6 -> 60000)
netwerk_min_budgethouders      Int64          ``netwerk.min_budgethouders``
opschorting_max_weken          Int64          ``opschorting.max_weken``
opschorting_drempel_ct         Int64          ``opschorting.drempel`` in cents
opschorting_altijd             List[String]   ``opschorting.altijd`` (check codes)
opschorting_uitgesloten        List[String]   ``opschorting.uitgesloten`` (check codes)
sn_toegestane_categorieen      List[String]   ``sociaal_netwerk.toegestane_categorieen``
dubbelrol_rollen               List[String]   ``sociaal_netwerk.dubbelrol_rollen``
heeft_verboden_bestedingen     Boolean        ``[verboden_bestedingen]`` present and not empty
=============================  =============  ==================================================

``artikelen_frame``: regeling_id, check, artikel, grondslag (String; union of the codes of
``[artikelen]`` and ``[grondslag]``, including ``OPSCHORTING``).

``categorie_frame``: regeling_id, product_code, categorie, eenheid, zin_tarief_ct (Int64),
omschrijving (String, may be null): the ``[zin_tarieven]`` table.

``verboden_frame``: regeling_id, categorie, term: one row per banned-spending search term.

The norm (``voeg_norm_toe``) follows the table of regeling.md exactly; see ``_norm``. It is
computed in ``Decimal`` once per (regeling, product, categorie, eenheid, soort) into a
small lookup frame, rounded to the cent half away from zero, and joined onto the lines.
"""

from __future__ import annotations

from auditor.regeling.schema import (  # noqa: F401
    CATEGORIEEN, CHECK_CODES, EENHEDEN, EXTRA_ARTIKELEN, GROEP, GRONDSLAG_LETTERS, INDIVIDUEEL, MAXIMUM_EENHEID, OPLEIDINGSNIVEAUS, OVERIG_PROF, ROLLEN, SOORTEN, VERBLIJF,
)
from auditor.regeling.loading import (  # noqa: F401
    Regeling, gebundelde_regelingen, laad_regeling, ontbrekende_bronnen, vind_regeling,
)
from auditor.regeling.choice import (  # noqa: F401
    kies_regeling,
)
from auditor.regeling.frames import (  # noqa: F401
    artikelen_frame, categorie_frame, regeling_frame, verboden_frame,
)
from auditor.regeling.norm import (  # noqa: F401
    eur_tekst, norm_frame, norm_per_eenheid, pct_tekst, voeg_norm_toe,
)
