"""The SQL that turns the institutions' figure facts into the region's summary.

One statement, generated here for both databases from the same description:
PostgreSQL computes every breakdown in one pass (GROUPING SETS) inside the SECURITY
DEFINER function `figures_api.refresh_region_period` (installed by migration 0006 from
`function_sql()`; tests/test_coordinator_figures.py fails when the installed function
and this generator drift apart), SQLite runs the same SELECTs joined by UNION ALL.

Counts below the region's threshold are stored as NULL (the sensitive threshold for
breakdowns by disability), so no small number exists outside the institutions' tables.
"""
from ..institutions.models import InstitutionKind
from .dimensions import MEASURES, SENSITIVE_DIMS

# Dimension -> column of the `base` (or `people`) relation below.
_COLUMNS = {d: d for d in ("inst_kind", "institution", "inst_county", "inst_commune", "county", "commune", "sex",
                           "age_band", "disability", "kinds")}
_COLUMNS.update({"instrument": "category", "outcome": "category"})


def _base(param) -> str:
    region, period, scope = param("region"), param("period"), param("scope")
    return f"""base AS (
  SELECT fp.tenant_id, fp.participant_id, fp.person_key, fp.sex, fp.age_band, fp.disability,
         COALESCE(fp.commune_code, '') AS commune, COALESCE(substr(fp.commune_code, 1, 4), '') AS county,
         CASE WHEN fp.exited THEN 1 ELSE 0 END AS exited, CASE WHEN fp.employed THEN 1 ELSE 0 END AS employed,
         i.kind AS inst_kind, CAST(i.id AS VARCHAR(12)) AS institution, substr(i.teryt_code, 1, 4) AS inst_county,
         CASE WHEN length(i.teryt_code) = 7 THEN i.teryt_code ELSE '' END AS inst_commune
  FROM figure_participations fp JOIN institutions i ON i.id = fp.tenant_id
  WHERE i.region_code = {region} AND fp.period_key = {period}
    AND ({scope} = 'all' OR fp.tenant_id IN (
      SELECT ps.tenant_id FROM period_submissions ps JOIN reporting_periods rp ON rp.id = ps.period_id
      WHERE rp.period_key = {period} AND ps.status = 'accepted'))
),
acts AS (
  SELECT b.*, fa.kind AS act_kind, fa.category, fa.n
  FROM figure_activities fa JOIN base b ON b.tenant_id = fa.tenant_id AND b.participant_id = fa.participant_id
  WHERE fa.period_key = {period}
),
people AS (
  SELECT person_key, MIN(sex) AS sex, MIN(age_band) AS age_band, MAX(disability) AS disability,
         MAX(commune) AS commune, substr(MAX(commune), 1, 4) AS county,
         rtrim({_kinds_expression()}, '+') AS kinds
  FROM base GROUP BY person_key
)"""


def _kinds_expression() -> str:
    parts = [f"CASE WHEN MAX(CASE WHEN inst_kind = '{k.value}' THEN 1 ELSE 0 END) = 1 THEN '{k.value}+' ELSE '' END"
             for k in InstitutionKind]
    return "\n           || ".join(parts)


# (measure, source relation, value expression, grouping sets)
def _blocks() -> list[tuple[str, str, str, list[tuple]]]:
    blocks = []
    for key in ("participations", "episodes", "outcomes", "exits", "employed"):
        spec = MEASURES[key]
        sets = [(d,) for d in spec.dims] + list(spec.pairs) + [()]
        source, value, where = "base", "COUNT(*)", ""
        if key in ("episodes", "outcomes"):
            kind = "episode" if key == "episodes" else "outcome"
            source, value, where = "acts", "COALESCE(SUM(n), 0)", f" WHERE act_kind = '{kind}'"
        elif key in ("exits", "employed"):
            value = f"COALESCE(SUM({'exited' if key == 'exits' else 'employed'}), 0)"
        blocks.append((key, source + where, value, sets))
    people = MEASURES["people"]
    resolved = [d for d in people.dims if d in people.additive_dims]
    blocks.append(("people", "people", "COUNT(*)", [(d,) for d in resolved] + list(people.pairs) + [()]))
    distinct = [d for d in people.dims if d not in people.additive_dims]
    blocks.append(("people", "base", "COUNT(DISTINCT person_key)", [(d,) for d in distinct]))
    return blocks


def _grouping_sets_select(measure, source, value, sets) -> str:
    dims = list(dict.fromkeys(d for s in sets for d in s))
    cols = [_COLUMNS[d] for d in dims]
    grouping = f"GROUPING({', '.join(cols)})"

    def mask(grouping_set):
        return sum(1 << (len(dims) - 1 - i) for i, d in enumerate(dims) if d not in grouping_set)

    def case(pick):
        whens = " ".join(f"WHEN {mask(s)} THEN {pick(s)}" for s in sets if s)
        return f"CASE {grouping} {whens} ELSE '' END"

    dim_a = case(lambda s: f"'{s[0]}'")
    key_a = case(lambda s: _COLUMNS[s[0]])
    dim_b = case(lambda s: f"'{s[1]}'" if len(s) > 1 else "''")
    key_b = case(lambda s: _COLUMNS[s[1]] if len(s) > 1 else "''")
    group = ", ".join("(" + ", ".join(_COLUMNS[d] for d in s) + ")" for s in sets)
    return (f"SELECT '{measure}' AS measure, {dim_a} AS dim_a, {key_a} AS key_a, {dim_b} AS dim_b, "
            f"{key_b} AS key_b, {value} AS value FROM {source} GROUP BY GROUPING SETS ({group})")


def _union_selects(measure, source, value, sets) -> list[str]:
    selects = []
    for s in sets:
        names = [f"'{d}'" for d in s] + ["''"] * (2 - len(s))
        keys = [_COLUMNS[d] for d in s] + ["''"] * (2 - len(s))
        group = f" GROUP BY {', '.join(_COLUMNS[d] for d in s)}" if s else ""
        selects.append(f"SELECT '{measure}' AS measure, {names[0]} AS dim_a, {keys[0]} AS key_a, "
                       f"{names[1]} AS dim_b, {keys[1]} AS key_b, {value} AS value FROM {source}{group}")
    return selects


def insert_sql(dialect: str, param) -> str:
    """INSERT INTO region_figures ... for one region, period and scope.

    `param(name)` renders a parameter: ":region" for SQLite, "p_region" in the function.
    """
    if dialect == "postgresql":
        selects = [_grouping_sets_select(*block) for block in _blocks()]
    else:
        selects = [s for block in _blocks() for s in _union_selects(*block)]
    union = "\n  UNION ALL ".join(selects)
    sensitive = " OR ".join(f"f.dim_a = '{d}' OR f.dim_b = '{d}'" for d in sorted(SENSITIVE_DIMS))
    region = param("region")
    return f"""INSERT INTO region_figures (region_code, period_key, scope, measure, dim_a, key_a, dim_b, key_b, value)
WITH {_base(param)},
thresholds AS (
  SELECT suppression_threshold AS normal, sensitive_threshold AS sensitive FROM regions WHERE teryt_code = {region}
),
figures AS (
  {union}
)
SELECT {region}, {param("period")}, {param("scope")}, f.measure, f.dim_a, COALESCE(f.key_a, ''), f.dim_b,
       COALESCE(f.key_b, ''),
       CASE WHEN f.value > 0 AND f.value < (CASE WHEN {sensitive} THEN t.sensitive ELSE t.normal END)
            THEN NULL ELSE f.value END
FROM figures f CROSS JOIN thresholds t"""


def function_sql() -> str:
    """CREATE FUNCTION figures_api.refresh_region_period: what migration 0006 installs."""
    body = insert_sql("postgresql", lambda name: f"p_{name}")
    return f"""CREATE FUNCTION figures_api.refresh_region_period(p_region text, p_period text, p_scope text)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $function$
DECLARE
  written integer;
BEGIN
  IF p_scope NOT IN ('all', 'accepted') THEN
    RAISE EXCEPTION 'unknown scope %', p_scope;
  END IF;
  -- The aggregate role reads the facts of this region only (row-level security on app.region_code).
  PERFORM set_config('app.region_code', p_region, true);
  PERFORM pg_advisory_xact_lock(hashtext('region_figures/' || p_region || '/' || p_period));
  DELETE FROM region_figures WHERE region_code = p_region AND period_key = p_period AND scope = p_scope;
{body};
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$function$"""
