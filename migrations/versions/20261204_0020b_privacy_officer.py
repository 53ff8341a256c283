"""The data-protection officer's role, and who sees special-category answers.

* memberships.role and staff_invitations.role accept 'iod' (inspektor ochrony danych): a read-only
  member who sees the access trail and the data subjects' requests, not the participants' files;
* memberships.special_categories (0020) is granted to the administrators and staff who saw the
  answers until now; read-only members and every new member see them only once an admin grants it.

Revision ID: 0020b
Revises: 0021b
Create Date: 2026-12-04 10:00:00

"""
from alembic import op

from regionet.platform.tenancy.rls import execute_statements

# revision identifiers, used by Alembic.
revision = '0020b'
down_revision = '0021b'
branch_labels = None
depends_on = None

ROLES = {"memberships": "membership_role", "staff_invitations": "invitation_role"}


def _replace_role_check(table: str, name: str, roles: tuple[str, ...]) -> list[str]:
    allowed = ", ".join(f"'{role}'" for role in roles)
    # The old CHECK is found by what it says (its name depends on how 0001 and 0016 were run).
    return [f"""DO $$ DECLARE c text; BEGIN
  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = '{table}'::regclass AND contype = 'c'
             AND pg_get_constraintdef(oid) LIKE '%readonly%' LOOP
    EXECUTE format('ALTER TABLE {table} DROP CONSTRAINT %I', c);
  END LOOP;
END $$""", f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{name} CHECK (role IN ({allowed}))"]


def upgrade():
    statements = []
    for table, name in ROLES.items():
        statements += _replace_role_check(table, name, ("admin", "staff", "readonly", "iod"))
    statements.append("UPDATE memberships SET special_categories = true WHERE role IN ('admin', 'staff')")
    execute_statements(op, statements)


def downgrade():
    statements = ["UPDATE memberships SET role = 'readonly' WHERE role = 'iod'",
                  "DELETE FROM staff_invitations WHERE role = 'iod'"]
    for table, name in ROLES.items():
        statements += _replace_role_check(table, name, ("admin", "staff", "readonly"))
    execute_statements(op, statements)
