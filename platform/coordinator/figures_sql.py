"""The SQL that turns the institutions' figure facts into the region's summary.

One statement, generated here from a description of the breakdowns: PostgreSQL computes
every breakdown in one pass (GROUPING SETS) inside the SECURITY DEFINER function
`figures_api.refresh_region_period` (installed by migration 0006 from `function_sql()`;
tests/test_coordinator_figures.py fails when the installed function and this generator
drift apart).

Counts below the region's threshold are stored as NULL (the sensitive threshold for
breakdowns by disability), so no small number exists outside the institutions' tables.
"""
from ..institutions.models import InstitutionKind
from .dimensions import INSTITUTION_DIMS, MEASURES, PERSON_DIMS, SENSITIVE_DIMS

# Every dimension in the order dim_a/dim_b are stored in (the first non-empty one is dim_a).
ORDER = INSTITUTION_DIMS + PERSON_DIMS + ("kinds", "instrument", "outcome")
# Dimension -> column of the relation it is counted from.
_COLUMNS = {d: d for d in ORDER}
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


def _columns_for(present) -> str:
    """Every dimension column: the block's own, NULL for the others (NULL = not grouped by)."""
    return ", ".join(f"{_COLUMNS[d]} AS {d}" if d in present else f"CAST(NULL AS VARCHAR(80)) AS {d}"
                     for d in ORDER)


def _grouping_sets_select(measure, source, value, sets) -> str:
    present = {d for s in sets for d in s}
    group = ", ".join("(" + ", ".join(_COLUMNS[d] for d in s) + ")" for s in sets)
    return (f"SELECT '{measure}' AS measure, {_columns_for(present)}, {value} AS value "
            f"FROM {source} GROUP BY GROUPING SETS ({group})")


def _names_and_keys() -> str:
    """dim_a/key_a: the first grouped dimension in ORDER; dim_b/key_b: the second, if any.

    Every dimension column of `base` is non-NULL (unknown communes are ''), so NULL in
    the result means "not grouped by".
    """
    grouped = " + ".join(f"CASE WHEN f.{d} IS NULL THEN 0 ELSE 1 END" for d in ORDER)
    first = " ".join(f"WHEN f.{d} IS NOT NULL THEN '{d}'" for d in ORDER)
    last = " ".join(f"WHEN f.{d} IS NOT NULL THEN '{d}'" for d in reversed(ORDER))
    key_first = ", ".join(f"f.{d}" for d in ORDER)
    key_last = ", ".join(f"f.{d}" for d in reversed(ORDER))
    return (f"CASE {first} ELSE '' END, COALESCE({key_first}, ''),\n"
            f"       CASE WHEN ({grouped}) = 2 THEN CASE {last} END ELSE '' END,\n"
            f"       CASE WHEN ({grouped}) = 2 THEN COALESCE({key_last}) ELSE '' END")


def insert_sql(param) -> str:
    """INSERT INTO region_figures ... for one region, period and scope.

    `param(name)` renders a parameter: "p_region" in the function.
    """
    selects = [_grouping_sets_select(*block) for block in _blocks()]
    union = "\n  UNION ALL ".join(selects)
    sensitive = " OR ".join(f"f.{d} IS NOT NULL" for d in sorted(SENSITIVE_DIMS))
    region = param("region")
    return f"""INSERT INTO region_figures (region_code, period_key, scope, measure, dim_a, key_a, dim_b, key_b, value)
WITH {_base(param)},
thresholds AS (
  SELECT suppression_threshold AS normal, sensitive_threshold AS sensitive FROM regions WHERE teryt_code = {region}
),
figures AS (
  {union}
)
SELECT {region}, {param("period")}, {param("scope")}, f.measure,
       {_names_and_keys()},
       CASE WHEN f.value > 0 AND f.value < (CASE WHEN {sensitive} THEN t.sensitive ELSE t.normal END)
            THEN NULL ELSE f.value END
FROM figures f CROSS JOIN thresholds t"""


def function_sql() -> str:
    """CREATE FUNCTION figures_api.refresh_region_period: what migration 0006 installs."""
    body = insert_sql(lambda name: f"p_{name}")
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
