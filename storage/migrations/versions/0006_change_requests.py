"""allocation change requests

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('changerequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('allocation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('extra_gpu_hours', sa.Float(), nullable=True),
    sa.Column('new_period_end', sa.Date(), nullable=True),
    sa.Column('plans_json', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('before_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('justification', sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=False),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('requested_at', storage.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source_ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('decided_at', storage.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['allocation_id'], ['computeallocation.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_ref')
    )
    with op.batch_alter_table('changerequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changerequest_allocation_id'), ['allocation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_changerequest_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_changerequest_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('changerequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changerequest_status'))
        batch_op.drop_index(batch_op.f('ix_changerequest_organization_id'))
        batch_op.drop_index(batch_op.f('ix_changerequest_allocation_id'))

    op.drop_table('changerequest')
