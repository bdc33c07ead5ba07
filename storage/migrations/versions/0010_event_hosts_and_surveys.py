"""event hosts, invited organizations, all-day events, surveys, waitlist numbers and expiring held DMs

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('eventsurvey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('useful', sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=False),
    sa.Column('change', sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=False),
    sa.Column('answered_at', storage.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'user_id', name='uq_survey_event_user')
    )
    with op.batch_alter_table('eventsurvey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eventsurvey_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('all_day', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('hosts', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default=""))
        batch_op.add_column(sa.Column('invited_orgs', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default=""))



    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_number', sa.Integer(), nullable=True))


    with op.batch_alter_table('deferredmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', storage.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deferredmessage', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.drop_column('queue_number')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('invited_orgs')
        batch_op.drop_column('hosts')
        batch_op.drop_column('all_day')

    with op.batch_alter_table('eventsurvey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eventsurvey_event_id'))

    op.drop_table('eventsurvey')
