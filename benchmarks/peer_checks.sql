-- The peer's checks in DuckDB SQL (see peer_duckdb.py). Inputs: raw_<table> views (all
-- text), macros <table>_ct / <table>_e4 for that file's decimal separator, and the
-- configuration tables cfg_regeling, cfg_categorie, cfg_norm.

-- ---------------------------------------------------------------- parsing helpers
CREATE OR REPLACE TEMP MACRO d(x) AS CAST(coalesce(try_strptime(trim(x), '%d-%m-%Y'), try_strptime(trim(x), '%Y-%m-%d'),
                                                   try_strptime(trim(x), '%d/%m/%Y')) AS DATE);
CREATE OR REPLACE TEMP MACRO nl_ct(x) AS CAST(round(CAST(replace(replace(replace(trim(x), '€', ''), '.', ''), ',', '.') AS DECIMAL(18, 4)) * 100) AS BIGINT);
CREATE OR REPLACE TEMP MACRO en_ct(x) AS CAST(round(CAST(replace(replace(trim(x), '€', ''), ',', '') AS DECIMAL(18, 4)) * 100) AS BIGINT);
CREATE OR REPLACE TEMP MACRO nl_e4(x) AS CAST(CAST(replace(replace(trim(x), '.', ''), ',', '.') AS DECIMAL(18, 4)) * 10000 AS BIGINT);
CREATE OR REPLACE TEMP MACRO en_e4(x) AS CAST(CAST(replace(trim(x), ',', '') AS DECIMAL(18, 4)) * 10000 AS BIGINT);
CREATE OR REPLACE TEMP MACRO lc(x) AS nullif(regexp_replace(lower(trim(x)), '[\s-]+', '_', 'g'), '');
-- integer division rounding half away from zero (den > 0)
CREATE OR REPLACE TEMP MACRO div_round(n, den) AS
    CASE WHEN n < 0 THEN -((abs(n) * 2 + den) // (den * 2)) ELSE (n * 2 + den) // (den * 2) END;

-- ---------------------------------------------------------------- typed tables
CREATE TEMP TABLE bh AS
SELECT trim(budgethouder_id) AS budgethouder_id, trim(gemeente_code) AS gemeente_code, d(overlijdensdatum) AS overlijden
FROM raw_budgethouders;

CREATE TEMP TABLE toek AS
SELECT trim(toekenning_id) AS toekenning_id, trim(budgethouder_id) AS budgethouder_id, trim(product_code) AS product_code,
       lc(categorie) AS categorie, d(ingangsdatum) AS t_van, d(einddatum) AS t_tot, d(aanvraagdatum) AS aanvraag, d(besluitdatum) AS besluit,
       coalesce(lower(trim(toestemming_eerder_starten)) IN ('ja', 'j', 'true', 'waar', '1', 'x', 'yes', 'y'), false) AS toestemming,
       toekenningen_ct(budget) AS budget_ct
FROM raw_toekenningen;

CREATE TEMP TABLE zv AS
SELECT trim(zorgverlener_id) AS zorgverlener_id, lc(soort) AS zv_soort FROM raw_zorgverleners;

CREATE TEMP TABLE zo AS
SELECT trim(zorgovereenkomst_id) AS zorgovereenkomst_id, trim(budgethouder_id) AS budgethouder_id,
       trim(zorgverlener_id) AS zorgverlener_id, trim(product_code) AS product_code,
       coalesce(lc(relatie_tot_budgethouder), 'geen') AS relatie, lc(werkafspraak) AS werkafspraak,
       d(ingangsdatum) AS z_van, d(einddatum) AS z_tot
FROM raw_zorgovereenkomsten;

CREATE TEMP TABLE decl AS
SELECT trim(declaratie_id) AS declaratie_id, trim(budgethouder_id) AS budgethouder_id, trim(zorgverlener_id) AS zorgverlener_id,
       nullif(trim(zorgovereenkomst_id), '') AS zo_id, nullif(trim(toekenning_id), '') AS toek_id,
       d(datum_van) AS van, d(datum_tot) AS tot, trim(product_code) AS product_code, lc(eenheid) AS eenheid,
       declaraties_e4(aantal) AS aantal_e4, declaraties_ct(bedrag) AS bedrag_ct,
       coalesce(upper(nullif(trim(land), '')), 'NL') AS land, declaraties_e4(km_enkele_reis) AS km_e4,
       d(ingediend_op) AS ingediend_op, lc(status) AS status
FROM raw_declaraties;

-- ---------------------------------------------------------------- the enriched lines
-- regeling per (gemeente, date): the one whose validity holds the date, latest geldig_van wins
CREATE TEMP TABLE reg_dag AS
SELECT k.gemeente_code, k.dag, arg_max(r.regeling_id, {'van': r.geldig_van, 'id': r.regeling_id}) AS regeling_id
FROM (SELECT DISTINCT b.gemeente_code, d.van AS dag FROM decl d JOIN bh b USING (budgethouder_id)) k
JOIN cfg_regeling r ON r.gemeente_code = k.gemeente_code AND k.dag >= r.geldig_van
                   AND (r.geldig_tot IS NULL OR k.dag <= r.geldig_tot)
GROUP BY ALL;

CREATE TEMP TABLE l0 AS
SELECT d.*, b.gemeente_code, r.regeling_id, date_diff('day', d.van, d.tot) + 1 AS dagen
FROM decl d
LEFT JOIN bh b USING (budgethouder_id)
LEFT JOIN reg_dag r ON r.gemeente_code = b.gemeente_code AND r.dag = d.van
WHERE d.status IS NULL OR d.status <> 'afgekeurd';

-- a line that names no toekenning: the budgethouder's toekenning of that product whose
-- period holds datum_van (the earliest); likewise for the zorgovereenkomst
CREATE TEMP TABLE tk_res AS
SELECT l.declaratie_id, arg_min(t.toekenning_id, {'van': t.t_van, 'id': t.toekenning_id}) AS toek_res
FROM l0 l JOIN toek t ON t.budgethouder_id = l.budgethouder_id AND t.product_code = l.product_code
WHERE l.toek_id IS NULL AND t.t_van <= l.van AND t.t_tot >= l.van
GROUP BY ALL;

CREATE TEMP TABLE zo_res AS
SELECT l.declaratie_id, arg_min(z.zorgovereenkomst_id, {'van': z.z_van, 'id': z.zorgovereenkomst_id}) AS zo_res
FROM l0 l JOIN zo z ON z.budgethouder_id = l.budgethouder_id AND z.zorgverlener_id = l.zorgverlener_id
                   AND z.product_code = l.product_code
WHERE l.zo_id IS NULL AND z.z_van <= l.van AND (z.z_tot IS NULL OR z.z_tot >= l.van)
GROUP BY ALL;

CREATE TEMP TABLE lines AS
WITH l1 AS (
    SELECT l.* EXCLUDE (toek_id, zo_id),
           coalesce(l.toek_id, tr.toek_res) AS toekenning_id,
           coalesce(l.zo_id, zr.zo_res) AS zorgovereenkomst_id
    FROM l0 l LEFT JOIN tk_res tr USING (declaratie_id) LEFT JOIN zo_res zr USING (declaratie_id)
), l2 AS (
    SELECT l1.*, coalesce(c.categorie, t.categorie, 'overig') AS categorie,
           CASE WHEN c.product_code IS NULL THEN chr(0) ELSE l1.product_code END AS product_key,
           v.zv_soort, coalesce(z.relatie, 'geen') AS relatie
    FROM l1
    LEFT JOIN cfg_categorie c ON c.regeling_id = l1.regeling_id AND c.product_code = l1.product_code
    LEFT JOIN toek t ON t.toekenning_id = l1.toekenning_id
    LEFT JOIN zv v ON v.zorgverlener_id = l1.zorgverlener_id
    LEFT JOIN zo z ON z.zorgovereenkomst_id = l1.zorgovereenkomst_id
), l3 AS (
    SELECT l2.*, CASE WHEN zv_soort IN ('sociaal_netwerk', 'overig_niet_professioneel')
                        OR relatie IN ('ouder', 'familie', 'huisgenoot', 'bekende')
                      THEN 'sociaal_netwerk' ELSE 'professioneel' END AS zorgverlener_soort
    FROM l2
)
SELECT l3.*, n.norm_ct
FROM l3 LEFT JOIN cfg_norm n ON n.regeling_id = l3.regeling_id AND n.product_key = l3.product_key
                            AND n.categorie = l3.categorie AND n.eenheid = l3.eenheid
                            AND n.soort = l3.zorgverlener_soort;

-- ---------------------------------------------------------------- TARIEF
CREATE TEMP TABLE r_tarief AS
SELECT 'TARIEF' AS code, sum(bedrag_ct - div_round(aantal_e4 * norm_ct, 10000)) AS euros_ct
FROM lines l LEFT JOIN cfg_regeling p USING (regeling_id)
WHERE l.km_e4 IS NULL AND l.norm_ct IS NOT NULL
  AND NOT coalesce(l.zorgverlener_soort = 'sociaal_netwerk' AND p.sn_toegestane_categorieen IS NOT NULL
                   AND NOT list_contains(p.sn_toegestane_categorieen, l.categorie), false)
  AND bedrag_ct - div_round(aantal_e4 * norm_ct, 10000) > 0;

-- ---------------------------------------------------------------- DUBBEL
CREATE TEMP TABLE r_dubbel AS
SELECT 'DUBBEL' AS code, sum(bedrag_ct) AS euros_ct
FROM (SELECT bedrag_ct, row_number() OVER (PARTITION BY budgethouder_id, zorgverlener_id, product_code, van, tot,
                                                        aantal_e4, bedrag_ct
                                           ORDER BY ingediend_op NULLS LAST, declaratie_id) AS nr
      FROM lines)
WHERE nr > 1;

-- ---------------------------------------------------------------- BUITENLAND
CREATE TEMP TABLE r_buitenland AS
WITH dagen AS (
    SELECT declaratie_id, budgethouder_id, gemeente_code, dagen, bedrag_ct,
           CAST(unnest(generate_series(CAST(van AS TIMESTAMP), CAST(tot AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS dag
    FROM lines WHERE land <> 'NL'
), jaren AS (
    SELECT budgethouder_id, year(dag) AS jaar, first(gemeente_code) AS gemeente_code, min(dag) AS eerste
    FROM dagen GROUP BY ALL
), jaren_reg AS (
    -- the regeling of the gemeente in force on the first day abroad in that year
    SELECT j.budgethouder_id, j.jaar,
           arg_max(r.max_weken_buitenland, {'van': r.geldig_van, 'id': r.regeling_id}) AS max_weken
    FROM jaren j JOIN cfg_regeling r ON r.gemeente_code = j.gemeente_code AND j.eerste >= r.geldig_van
                                    AND (r.geldig_tot IS NULL OR j.eerste <= r.geldig_tot)
    GROUP BY ALL
), geteld AS (
    SELECT d.*, year(d.dag) AS jaar, j.max_weken * 7 AS grens,
           dense_rank() OVER (PARTITION BY d.budgethouder_id, year(d.dag) ORDER BY d.dag) AS nr
    FROM dagen d JOIN jaren_reg j ON j.budgethouder_id = d.budgethouder_id AND j.jaar = year(d.dag)
    WHERE j.max_weken IS NOT NULL
), per_regel AS (
    SELECT budgethouder_id, jaar, declaratie_id, sum(CAST(nr > grens AS BIGINT)) AS over_,
           first(dagen) AS dagen, first(bedrag_ct) AS bedrag_ct
    FROM geteld GROUP BY ALL
)
SELECT 'BUITENLAND' AS code, sum(div_round(bedrag_ct * over_, dagen)) AS euros_ct FROM per_regel WHERE over_ > 0;

-- ---------------------------------------------------------------- BUITEN-PERIODE
CREATE TEMP TABLE r_buiten_periode AS
WITH j AS (
    SELECT l.declaratie_id, l.dagen, l.bedrag_ct, l.toekenning_id, l.zorgovereenkomst_id,
           -- Losser art. 7.1 lid 5: sub a the aanvraag always; sub b the besluit unless written permission
           greatest(l.van, t.t_van, t.aanvraag, CASE WHEN t.toestemming THEN NULL ELSE t.besluit END, z.z_van) AS start_,
           least(l.tot, t.t_tot, z.z_tot, b.overlijden) AS eind
    FROM lines l
    LEFT JOIN toek t ON t.toekenning_id = l.toekenning_id
    LEFT JOIN zo z ON z.zorgovereenkomst_id = l.zorgovereenkomst_id
    LEFT JOIN bh b ON b.budgethouder_id = l.budgethouder_id
), b AS (
    SELECT *, dagen - CASE WHEN toekenning_id IS NULL OR zorgovereenkomst_id IS NULL THEN 0
                           ELSE greatest(0, date_diff('day', start_, eind) + 1) END AS buiten
    FROM j
)
SELECT 'BUITEN-PERIODE' AS code, sum(div_round(bedrag_ct * buiten, dagen)) AS euros_ct FROM b WHERE buiten > 0;

-- ---------------------------------------------------------------- OVERSCHRIJDING
CREATE TEMP TABLE r_overschrijding AS
SELECT 'OVERSCHRIJDING' AS code, sum(som - budget_ct) AS euros_ct
FROM (SELECT t.toekenning_id, first(t.budget_ct) AS budget_ct, sum(l.bedrag_ct) AS som
      FROM lines l JOIN toek t ON t.toekenning_id = l.toekenning_id GROUP BY ALL)
WHERE som > budget_ct;

-- ---------------------------------------------------------------- VAST-MAANDBEDRAG
CREATE TEMP TABLE vm_lines AS
SELECT l.budgethouder_id, l.zorgverlener_id, l.van, l.bedrag_ct, l.aantal_e4, z.werkafspraak
FROM lines l JOIN zo z ON z.zorgovereenkomst_id = l.zorgovereenkomst_id
JOIN cfg_regeling p ON p.regeling_id = l.regeling_id
WHERE NOT p.vast_maandbedrag_toegestaan;

CREATE TEMP TABLE r_vast AS
WITH a AS (
    -- (a) an agreement on a fixed monthly amount under a regeling that forbids it
    SELECT coalesce(sum(bedrag_ct), 0) AS euros FROM vm_lines WHERE werkafspraak = 'vast_maandbedrag'
), m AS (
    -- (b) per budgethouder, zorgverlener and month under per_eenheid agreements
    SELECT budgethouder_id, zorgverlener_id, year(van) * 12 + month(van) AS idx,
           sum(bedrag_ct) AS totaal, sum(aantal_e4) AS aantal
    FROM vm_lines WHERE werkafspraak = 'per_eenheid' GROUP BY ALL
), n AS (
    SELECT *, CASE WHEN lag(idx) OVER w IS NULL OR idx <> lag(idx) OVER w + 1 OR totaal <> lag(totaal) OVER w
                        OR aantal <> lag(aantal) OVER w THEN 1 ELSE 0 END AS nieuw
    FROM m WINDOW w AS (PARTITION BY budgethouder_id, zorgverlener_id ORDER BY idx)
), r AS (
    SELECT *, sum(nieuw) OVER (PARTITION BY budgethouder_id, zorgverlener_id ORDER BY idx
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS reeks
    FROM n
), runs AS (
    SELECT budgethouder_id, zorgverlener_id, reeks, count(*) AS maanden, sum(totaal) AS som FROM r GROUP BY ALL
)
SELECT 'VAST-MAANDBEDRAG' AS code,
       (SELECT euros FROM a) + coalesce((SELECT sum(som) FROM runs WHERE maanden >= 3), 0) AS euros_ct;

CREATE TEMP TABLE result AS
SELECT * FROM r_tarief UNION ALL SELECT * FROM r_dubbel UNION ALL SELECT * FROM r_buitenland
UNION ALL SELECT * FROM r_buiten_periode UNION ALL SELECT * FROM r_overschrijding UNION ALL SELECT * FROM r_vast;
