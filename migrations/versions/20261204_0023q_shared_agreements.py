"""Agreements shared by their parties: one record for every party institution.

* agreement_parties becomes one row per party: an institution of the platform (`institution_id`, with
  its confirmation: when, by whom) or an organisation outside it (`partner_id`, the owner's partner),
  always with the party's name as written; the owner is a party too (position 0).
* agreements and agreement_parties are party-set rows (platform/tenancy/sharing.py): the owner and
  the institutions of the agreement's set (`shared_parties`, keyed by the agreement's id) read them;
  nobody else (policy party_set instead of tenant_isolation).
* attachments get `party_set_id`: the signed document of a shared agreement is read by its parties.
* agreements get `origin_action_*`: the working group's action item the agreement came from.

Existing one-sided agreements are converted, nothing lost: every old party row stays (same partner),
named as its partner; it becomes a platform party when the partner is an institution of the owner's
region, by the partner's link to it or else by the same NIP (partners keep no REGON), and that
institution joins the agreement's party set (awaiting its confirmation); the owner is added as a
party confirmed when the agreement was recorded; the document joins the party set. Downgrade turns
platform parties without a partner record back into partners (kind platform_institution) of the
owner, so every party of every agreement survives the way back too.

Revision ID: 0023q
Revises: 0023p
Create Date: 2026-12-04 12:45:00

"""
import sqlalchemy as sa
from alembic import op

from regionet.platform.tenancy.rls import drop_tenant_rls_statements, execute_statements, tenant_rls_statements
from regionet.platform.tenancy.sharing import drop_shared_rls_statements, party_set_rls_statements

# revision identifiers, used by Alembic.
revision = '0023q'
down_revision = '0023p'
branch_labels = None
depends_on = None

# The data steps read every institution's rows: the owner is bound by FORCE otherwise.
DATA_TABLES = ("agreements", "agreement_parties", "partner_organisations", "attachments", "shared_parties")


def _unforced(statements: list[str]) -> list[str]:
    return ([f"ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY" for t in DATA_TABLES] + statements
            + [f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY" for t in DATA_TABLES])


UPGRADE_DATA = [
    # Each old party: its partner's name, and the institution of the region it is, if any.
    """UPDATE agreement_parties ap SET name = p.name, institution_id = (
         SELECT i.id FROM institutions i JOIN institutions o ON o.id = ap.tenant_id
         WHERE i.region_code = o.region_code AND i.id <> ap.tenant_id
           AND (i.id = p.institution_id OR (p.institution_id IS NULL AND p.nip IS NOT NULL AND i.nip = p.nip))
         ORDER BY (i.id = p.institution_id) DESC, i.id LIMIT 1)
       FROM partner_organisations p WHERE p.tenant_id = ap.tenant_id AND p.id = ap.partner_id""",
    # Two partners of one agreement that are the same institution: the first stays the platform
    # party, the other stays a party by its name (still linked to its partner record).
    """UPDATE agreement_parties ap SET institution_id = NULL FROM (
         SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id, agreement_id, institution_id
                                                  ORDER BY name, partner_id) AS n
         FROM agreement_parties WHERE institution_id IS NOT NULL) d
       WHERE d.tenant_id = ap.tenant_id AND d.id = ap.id AND d.n > 1""",
    """UPDATE agreement_parties ap SET position = d.n FROM (
         SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id, agreement_id ORDER BY name, id) AS n
         FROM agreement_parties) d
       WHERE d.tenant_id = ap.tenant_id AND d.id = ap.id""",
    # The owner is a party, confirmed when it recorded the agreement.
    """INSERT INTO agreement_parties (tenant_id, id, agreement_id, position, institution_id, name, confirmed_at)
       SELECT a.tenant_id, gen_random_uuid(), a.id, 0, a.tenant_id, i.name, a.created_at
       FROM agreements a JOIN institutions i ON i.id = a.tenant_id""",
    """INSERT INTO shared_parties (tenant_id, id, party_set_id, institution_id)
       SELECT tenant_id, gen_random_uuid(), agreement_id, institution_id FROM agreement_parties
       WHERE institution_id IS NOT NULL AND institution_id <> tenant_id""",
    """UPDATE attachments t SET party_set_id = a.id FROM agreements a
       WHERE a.tenant_id = t.tenant_id AND a.document_id = t.id""",
]

DOWNGRADE_DATA = [
    """DELETE FROM shared_parties s USING agreements a WHERE a.tenant_id = s.tenant_id AND a.id = s.party_set_id""",
    "DELETE FROM agreement_parties WHERE institution_id = tenant_id",
    # A platform party chosen from the region (no partner record): it becomes the owner's partner.
    """INSERT INTO partner_organisations (tenant_id, id, name, kind, institution_id, nip)
       SELECT DISTINCT ON (ap.tenant_id, ap.institution_id) ap.tenant_id, gen_random_uuid(), i.name,
              'platform_institution', i.id,
              CASE WHEN EXISTS (SELECT 1 FROM partner_organisations n WHERE n.tenant_id = ap.tenant_id
                                AND n.nip = i.nip) THEN NULL ELSE i.nip END
       FROM agreement_parties ap JOIN institutions i ON i.id = ap.institution_id
       WHERE ap.partner_id IS NULL AND NOT EXISTS (
         SELECT 1 FROM partner_organisations p WHERE p.tenant_id = ap.tenant_id AND p.institution_id = ap.institution_id)""",
    """UPDATE agreement_parties ap SET partner_id = p.id FROM partner_organisations p
       WHERE ap.partner_id IS NULL AND p.tenant_id = ap.tenant_id AND p.institution_id = ap.institution_id""",
    """DELETE FROM agreement_parties ap USING agreement_parties twin
       WHERE twin.tenant_id = ap.tenant_id AND twin.agreement_id = ap.agreement_id
         AND twin.partner_id = ap.partner_id AND twin.id < ap.id""",
]


def upgrade():
    op.add_column('attachments', sa.Column('party_set_id', sa.Uuid(), nullable=True))
    op.create_index('ix_attachments_party_set_id', 'attachments', ['party_set_id'])
    op.add_column('agreements', sa.Column('origin_action_tenant_id', sa.Integer(), nullable=True))
    op.add_column('agreements', sa.Column('origin_action_id', sa.Uuid(), nullable=True))
    op.create_foreign_key('fk_agreements_origin_action', 'agreements', 'group_action_items',
                          ['origin_action_tenant_id', 'origin_action_id'], ['tenant_id', 'id'], ondelete='SET NULL')
    op.create_index('ix_agreements_origin_action', 'agreements', ['origin_action_tenant_id', 'origin_action_id'])

    op.drop_constraint('pk_agreement_parties', 'agreement_parties', type_='primary')
    op.drop_constraint('fk_agreement_parties_tenant_id_partner_organisations', 'agreement_parties', type_='foreignkey')
    op.add_column('agreement_parties', sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'),
                                                 nullable=False))
    op.add_column('agreement_parties', sa.Column('position', sa.SmallInteger(), server_default='0', nullable=False))
    op.add_column('agreement_parties', sa.Column('institution_id', sa.Integer(), nullable=True))
    op.add_column('agreement_parties', sa.Column('name', sa.String(length=250), nullable=True))
    op.add_column('agreement_parties', sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('agreement_parties', sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
    op.add_column('agreement_parties', sa.Column('confirmed_by_name', sa.String(length=200), nullable=True))
    op.alter_column('agreement_parties', 'partner_id', nullable=True)
    op.create_primary_key('pk_agreement_parties', 'agreement_parties', ['tenant_id', 'id'])

    execute_statements(op, _unforced(UPGRADE_DATA))

    op.alter_column('agreement_parties', 'id', server_default=None)
    op.alter_column('agreement_parties', 'position', server_default=None)
    op.alter_column('agreement_parties', 'name', nullable=False)
    op.create_foreign_key('fk_agreement_parties_tenant_id_partner_organisations', 'agreement_parties',
                          'partner_organisations', ['tenant_id', 'partner_id'], ['tenant_id', 'id'])
    op.create_foreign_key('fk_agreement_parties_tenant_id_institutions', 'agreement_parties', 'institutions',
                          ['tenant_id'], ['id'], ondelete='RESTRICT')
    op.create_foreign_key('fk_agreement_parties_institution_id_institutions', 'agreement_parties', 'institutions',
                          ['institution_id'], ['id'], ondelete='RESTRICT')
    op.create_foreign_key('fk_agreement_parties_confirmed_by_id_users', 'agreement_parties', 'users',
                          ['confirmed_by_id'], ['id'], ondelete='SET NULL')
    op.create_unique_constraint('uq_agreement_parties_institution', 'agreement_parties',
                                ['tenant_id', 'agreement_id', 'institution_id'])
    op.create_check_constraint('ck_agreement_parties_who', 'agreement_parties',
                               'institution_id IS NOT NULL OR partner_id IS NOT NULL')
    op.create_check_constraint('ck_agreement_parties_confirm', 'agreement_parties',
                               'institution_id IS NOT NULL OR confirmed_at IS NULL')
    op.create_index('ix_agreement_parties_institution_id', 'agreement_parties', ['institution_id'])

    for table, column in (("agreements", "id"), ("agreement_parties", "agreement_id"),
                          ("attachments", "party_set_id")):
        execute_statements(op, drop_tenant_rls_statements(table) + party_set_rls_statements(table, column))


def downgrade():
    for table in ("agreements", "agreement_parties", "attachments"):
        execute_statements(op, drop_shared_rls_statements(table) + tenant_rls_statements(table))

    execute_statements(op, _unforced(DOWNGRADE_DATA))

    op.drop_index('ix_agreement_parties_institution_id', table_name='agreement_parties')
    op.drop_constraint('ck_agreement_parties_confirm', 'agreement_parties', type_='check')
    op.drop_constraint('ck_agreement_parties_who', 'agreement_parties', type_='check')
    op.drop_constraint('uq_agreement_parties_institution', 'agreement_parties', type_='unique')
    op.drop_constraint('fk_agreement_parties_confirmed_by_id_users', 'agreement_parties', type_='foreignkey')
    op.drop_constraint('fk_agreement_parties_institution_id_institutions', 'agreement_parties', type_='foreignkey')
    op.drop_constraint('fk_agreement_parties_tenant_id_institutions', 'agreement_parties', type_='foreignkey')
    op.drop_constraint('fk_agreement_parties_tenant_id_partner_organisations', 'agreement_parties',
                       type_='foreignkey')
    op.drop_constraint('pk_agreement_parties', 'agreement_parties', type_='primary')
    for column in ('confirmed_by_name', 'confirmed_by_id', 'confirmed_at', 'name', 'institution_id', 'position', 'id'):
        op.drop_column('agreement_parties', column)
    op.alter_column('agreement_parties', 'partner_id', nullable=False)
    op.create_primary_key('pk_agreement_parties', 'agreement_parties', ['tenant_id', 'agreement_id', 'partner_id'])
    op.create_foreign_key('fk_agreement_parties_tenant_id_partner_organisations', 'agreement_parties',
                          'partner_organisations', ['tenant_id', 'partner_id'], ['tenant_id', 'id'], ondelete='CASCADE')

    op.drop_index('ix_agreements_origin_action', table_name='agreements')
    op.drop_constraint('fk_agreements_origin_action', 'agreements', type_='foreignkey')
    op.drop_column('agreements', 'origin_action_id')
    op.drop_column('agreements', 'origin_action_tenant_id')
    op.drop_index('ix_attachments_party_set_id', table_name='attachments')
    op.drop_column('attachments', 'party_set_id')
