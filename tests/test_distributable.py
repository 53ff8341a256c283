"""Every tenant table can be distributed by tenant_id (Citus): its primary key and every unique
constraint or index include tenant_id, and a foreign key to another tenant table carries tenant_id on
both sides (co-located joins). Foreign keys to shared tables (institutions, users, regions, the TERYT
register) are allowed: those become Citus reference tables."""
from sqlalchemy import create_engine, text

from regionet.platform.tenancy import tenant_table_names

# Known, deliberate exceptions, each with what the Citus path does with it (README, "Scaling out"):
KNOWN = {
    # A referral names a service of another institution (another tenant): not co-located by design.
    # Under Citus: catalogue_services becomes a reference table, or this key is checked by the service.
    "referrals.fk_referrals_receiver_tenant_id_catalogue_services -> catalogue_services: "
    "['receiver_tenant_id', 'service_id'] without tenant_id on both sides",
    # An agreement made from a working group's task points at the task, which the group's owner holds
    # (often another institution): not co-located by design, like the referral's service.
    # Under Citus: the link is kept by the service (or the task id copied without a foreign key).
    "agreements.fk_agreements_origin_action -> group_action_items: "
    "['origin_action_tenant_id', 'origin_action_id'] without tenant_id on both sides",
    # An invitation is opened by its token before anyone knows the institution.
    # Under Citus: the token's hash moves to a small reference table (hash -> tenant, invitation).
    "staff_invitations: unique index ix_staff_invitations_token_hash ['token_hash'] without tenant_id",
}


def test_every_tenant_table_is_distributable_by_tenant_id(app, pg_database):
    with app.app_context():
        tenant_tables = set(tenant_table_names())
    engine = create_engine(pg_database["admin"])
    problems = []
    with engine.connect() as conn:
        keys = conn.execute(text("""
            SELECT c.conrelid::regclass::text, c.conname, c.contype, c.confrelid::regclass::text,
                   ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = ANY(c.conkey)),
                   ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = ANY(c.confkey))
            FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
        """)).all()
        unique_indexes = conn.execute(text("""
            SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text,
                   ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = i.indrelid AND attnum = ANY(i.indkey))
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relnamespace = 'public'::regnamespace AND i.indisunique
        """)).all()
    engine.dispose()
    primary = {table for table, _n, kind, *_ in keys if kind == "p"}
    for table, name, kind, referenced, columns, referenced_columns in keys:
        if table not in tenant_tables:
            continue
        if kind in ("p", "u") and "tenant_id" not in columns:
            problems.append(f"{table}.{name}: {columns} without tenant_id")
        if kind == "f" and referenced in tenant_tables and not (
                "tenant_id" in columns and "tenant_id" in referenced_columns):
            problems.append(f"{table}.{name} -> {referenced}: {columns} without tenant_id on both sides")
    for table, index, columns in unique_indexes:
        if table in tenant_tables and "tenant_id" not in columns:
            problems.append(f"{table}: unique index {index} {columns} without tenant_id")
    problems += [f"{table}: no primary key" for table in tenant_tables - primary]
    assert tenant_tables and set(problems) == KNOWN, "\n".join(sorted(set(problems) ^ KNOWN))
