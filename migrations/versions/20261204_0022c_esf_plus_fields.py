"""ESF+ 2021-27 fields: the participant's citizenship and the questions SL2014 merged, asked apart
(foreign origin, third-country national, national or ethnic minority: yes / no / refused, empty =
not asked yet); the enrolment's situation at exit and reason for leaving. All nullable: existing
records keep their SL2014 answer (`migrant_or_minority`) and gain the new ones when next edited.

Revision ID: 0022c
Revises: 0018b
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022c'
down_revision = '0018b'
branch_labels = None
depends_on = None

SENSITIVE = "'yes', 'no', 'refused'"
COLUMNS = [
    # (table, column, length, check name, allowed values)
    ('participants', 'citizenship', 20, 'participant_citizenship', "'polish', 'other_eu', 'third_country', 'stateless'"),
    ('participants', 'foreign_origin', 10, 'participant_foreign_origin', SENSITIVE),
    ('participants', 'third_country_national', 10, 'participant_third_country', SENSITIVE),
    ('participants', 'minority', 10, 'participant_minority', SENSITIVE),
    ('enrolments', 'exit_situation', 32, 'enrolment_exit_situation',
     "'employed', 'self_employed', 'job_seeking', 'in_education', 'inactive'"),
    ('enrolments', 'exit_reason', 32, 'enrolment_exit_reason', "'completed', 'left_for_job', 'left_early'"),
]


def upgrade():
    for table, column, length, check, values in COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(length=length), nullable=True))
        op.create_check_constraint(op.f(f'ck_{table}_{check}'), table, f'{column} IN ({values})')


def downgrade():
    for table, column, _length, check, _values in reversed(COLUMNS):
        op.drop_constraint(op.f(f'ck_{table}_{check}'), table, type_='check')
        op.drop_column(table, column)
