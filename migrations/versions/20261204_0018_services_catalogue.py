"""The region's services catalogue: catalogue_services, the institution's rows published to its region.

Row-level security of a region-published table (platform/tenancy/sharing.py): the owner reads and
writes its rows; every institution of the same region reads the published ones; a row is only
ever written into its owner's region.

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-04 09:30:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from regionet.platform.tenancy.rls import execute_statements
from regionet.platform.tenancy.sharing import drop_shared_rls_statements, region_published_rls_statements

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0013'
branch_labels = None
depends_on = None


def _enum(name, values, length):
    return sa.Enum(*values, name=name, native_enum=False, length=length, create_constraint=True)


SERVICE_TYPES = ("internship", "socially_useful_work", "kis", "cis", "vocational_course", "family_assistant",
                 "disability_assistant", "specialist_counselling", "social_contract", "individual_action_plan",
                 "activation_programme", "local_activity_programme", "tutoring", "art_therapy", "job_placement",
                 "career_guidance", "training_voucher", "employment_grant", "social_enterprise_advice",
                 "social_enterprise_grant", "social_work", "other")


def upgrade():
    op.create_table(
        'catalogue_services',
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('region_code', sa.String(length=2), nullable=False),
        sa.Column('published', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('service_type', _enum('catalogue_service_type', SERVICE_TYPES, 32), nullable=False),
        sa.Column('status', _enum('catalogue_service_status',
                                  ('active', 'inactive', 'defunct', 'temporarily closed'), 20), nullable=False),
        sa.Column('eligibility_description', sa.Text(), nullable=True),
        sa.Column('minimum_age', sa.SmallInteger(), nullable=True),
        sa.Column('maximum_age', sa.SmallInteger(), nullable=True),
        sa.Column('required_documents', sa.Text(), nullable=True),
        sa.Column('application_process', sa.Text(), nullable=True),
        sa.Column('area_codes', postgresql.ARRAY(sa.String(length=7)), server_default='{}', nullable=False),
        sa.Column('location_name', sa.String(length=200), nullable=True),
        sa.Column('address', sa.String(length=300), nullable=True),
        sa.Column('schedule', sa.String(length=300), nullable=True),
        sa.Column('contact_name', sa.String(length=200), nullable=True),
        sa.Column('phone', sa.String(length=30), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('capacity', sa.SmallInteger(), nullable=True),
        sa.Column('waiting_days', sa.SmallInteger(), nullable=True),
        sa.Column('accepts_referrals', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('referral_basis', _enum('catalogue_referral_basis', ('statute', 'consent'), 10), nullable=False),
        sa.Column('legal_reference', sa.String(length=300), nullable=True),
        sa.Column('data_set', postgresql.ARRAY(sa.String(length=20)), server_default='{}', nullable=False),
        sa.Column('accept_within_days', sa.SmallInteger(), server_default='7', nullable=False),
        sa.Column('assured_date', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('name_key', sa.LargeBinary(), sa.Computed('polish_sort_key(name)', persisted=True), nullable=True),
        sa.CheckConstraint('minimum_age IS NULL OR maximum_age IS NULL OR minimum_age <= maximum_age',
                           name='ck_catalogue_services_ages'),
        sa.CheckConstraint('accept_within_days BETWEEN 1 AND 90', name='ck_catalogue_services_accept_days'),
        sa.ForeignKeyConstraint(['tenant_id'], ['institutions.id'], ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['region_code'], ['regions.teryt_code']),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('tenant_id', 'id'),
    )
    op.create_index('ix_catalogue_services_region_code', 'catalogue_services', ['region_code'])
    op.create_index('ix_catalogue_services_region_name', 'catalogue_services', ['region_code', 'name_key'])
    execute_statements(op, region_published_rls_statements('catalogue_services'))


def downgrade():
    execute_statements(op, drop_shared_rls_statements('catalogue_services'))
    op.drop_table('catalogue_services')
