"""The statutory reporting calendar as data (reporting_deadlines, corrected by the operator) and the
users' secret calendar feeds (calendar_feeds, SHA-256 of the token only).

The deadlines are seeded from the domain notes (shared/domain.md and network.md, with their
sources); none is marked as checked against the law: the operator does that on /operator/deadlines.
MRPiPS-01's day is not confirmed after the 2025 labour market act, so it has none.

Revision ID: 0021b
Revises: 0018c
Create Date: 2026-12-04 10:20:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0021b'
down_revision = '0018c'
branch_labels = None
depends_on = None

DEADLINES = [
    ("MRPiPS-03", "Sprawozdanie z udzielonych świadczeń pomocy społecznej (półroczne)", ["ops", "pcpr"],
     "Urząd wojewódzki (CAS)", "yearly", 7, 21, "za I półrocze",
     "OPS/PCPR → UW do 21 lipca (domain.md [6]: form.stat.gov.pl); w 2017 r. 20 lipca (pomoc.lodzkie.eu)"),
    ("MRPiPS-03", "Sprawozdanie z udzielonych świadczeń pomocy społecznej (roczne)", ["ops", "pcpr"],
     "Urząd wojewódzki (CAS)", "yearly", 2, 9, "za rok poprzedni",
     "9 lutego za 2023 r. (samorzad.pap.pl, 2024); w 2017 r. 20 stycznia (pomoc.lodzkie.eu)"),
    ("OZPS", "Ocena zasobów pomocy społecznej (gmina, powiat)", ["ops", "pcpr"],
     "Rada gminy / rada powiatu", "yearly", 4, 30, "za rok poprzedni",
     "ustawa o pomocy społecznej, art. 16a; rops.torun.pl/1826"),
    ("OZPS", "Ocena zasobów pomocy społecznej (województwo)", ["rops"],
     "Sejmik województwa", "yearly", 6, 30, "za rok poprzedni",
     "ustawa o pomocy społecznej, art. 16a; rops.torun.pl/1826; termin przyjęcia ocen gmin przez ROPS do weryfikacji"),
    ("MRPiPS-01", "Sprawozdanie o rynku pracy (miesięczne)", ["pup"],
     "Wojewódzki urząd pracy", "monthly", None, None, "za miesiąc poprzedni",
     "form.stat.gov.pl (MRiPS-01, 2022); dzień i treść po ustawie z 20 marca 2025 r. do weryfikacji"),
    ("CIS", "Sprawozdanie z działalności centrum integracji społecznej", ["cis"],
     "Wojewoda, podmioty finansujące", "yearly", 3, 31, "za rok poprzedni",
     "ustawa o zatrudnieniu socjalnym, art. 5 (standardyprawa.pl/akt/380/art/47178)"),
    ("KIS", "Sprawozdanie z działalności klubu integracji społecznej", ["kis"],
     "Wojewoda", "yearly", 3, 31, "za rok poprzedni",
     "ustawa o zatrudnieniu socjalnym, art. 18a; w 2017 r. 31 stycznia (pomoc.lodzkie.eu): do weryfikacji"),
    ("PS", "Sprawozdanie przedsiębiorstwa społecznego", ["social_cooperative"],
     "Wojewoda", "yearly", 3, 31, "za rok poprzedni (gdy spółdzielnia ma status PS)",
     "ustawa o ekonomii społecznej (es.rcpslodz.pl)"),
]


def upgrade():
    deadlines = op.create_table(
        'reporting_deadlines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=250), nullable=False),
        sa.Column('reporter_kinds', postgresql.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column('recipient', sa.String(length=250), nullable=False),
        sa.Column('frequency', sa.Enum('monthly', 'yearly', name='reporting_deadline_frequency', native_enum=False,
                                       length=10, create_constraint=True), nullable=False),
        sa.Column('due_month', sa.SmallInteger(), nullable=True),
        sa.Column('due_day', sa.SmallInteger(), nullable=True),
        sa.Column('period_note', sa.String(length=250), nullable=True),
        sa.Column('source', sa.Text(), nullable=True),
        sa.Column('verified_on', sa.Date(), nullable=True),
        sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint('due_day IS NULL OR due_day BETWEEN 1 AND 31', name='ck_reporting_deadlines_day'),
        sa.CheckConstraint('due_month IS NULL OR due_month BETWEEN 1 AND 12', name='ck_reporting_deadlines_month'),
        sa.CheckConstraint("frequency = 'monthly' OR due_day IS NULL OR due_month IS NOT NULL",
                           name='ck_reporting_deadlines_yearly_month'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'calendar_feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_calendar_feeds_user_id', 'calendar_feeds', ['user_id'])
    op.bulk_insert(deadlines, [
        {"form_code": code, "name": name, "reporter_kinds": kinds, "recipient": recipient, "frequency": frequency,
         "due_month": month, "due_day": day, "period_note": period, "source": source}
        for code, name, kinds, recipient, frequency, month, day, period, source in DEADLINES])


def downgrade():
    op.drop_table('calendar_feeds')
    op.drop_table('reporting_deadlines')
