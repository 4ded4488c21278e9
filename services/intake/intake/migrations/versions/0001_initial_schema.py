"""initial schema

Revision ID: 0001
Revises: 

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from isets_kit.messaging_migrations import messaging_step, undo_messaging_step


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('customer',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('individual_number', sa.String(length=20), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('ssn_last4', sa.String(length=4), nullable=False),
    sa.Column('snap_case_number', sa.String(length=40), nullable=False),
    sa.Column('ies_snap_case_number', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('address_line1', sa.String(length=200), nullable=False),
    sa.Column('address_line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('zip', sa.String(length=10), nullable=False),
    sa.Column('county', sa.String(length=100), nullable=False),
    sa.Column('dhs_office', sa.String(length=200), nullable=False),
    sa.Column('snap_eligibility', sa.String(length=30), nullable=False),
    sa.Column('redetermination_date', sa.Date(), nullable=True),
    sa.Column('midpoint_date', sa.Date(), nullable=True),
    sa.Column('ies_as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('worknet_username', sa.String(length=100), nullable=True),
    sa.Column('worknet_id', sa.String(length=40), nullable=True),
    sa.Column('enrollment_date', sa.Date(), nullable=True),
    sa.Column('initial_assessment_date', sa.Date(), nullable=True),
    sa.Column('needs_assessment_date', sa.Date(), nullable=True),
    sa.Column('first_activity_start', sa.Date(), nullable=True),
    sa.Column('level_of_progress', sa.String(length=60), nullable=True),
    sa.Column('employment_verification_status', sa.String(length=40), nullable=True),
    sa.Column('most_recent_credential', sa.String(length=200), nullable=True),
    sa.Column('most_recent_work_experience', sa.String(length=200), nullable=True),
    sa.Column('most_recent_permanent_placement', sa.String(length=200), nullable=True),
    sa.Column('most_recent_training_program', sa.String(length=200), nullable=True),
    sa.Column('earnfare_benefit_amount', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('et_status', sa.String(length=40), nullable=True),
    sa.Column('et_status_date', sa.Date(), nullable=True),
    sa.Column('staff_status', sa.String(length=40), nullable=True),
    sa.Column('staff_status_basis', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('individual_number')
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_enrollment_date'), ['enrollment_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_et_status'), ['et_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_snap_case_number'), ['snap_case_number'], unique=False)

    messaging_step(op, "0001_tables")

    op.create_table('earnfare_benefit_change',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('set_by', sa.String(length=100), nullable=False),
    sa.Column('monthly_benefit_hours', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('earnfare_benefit_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_earnfare_benefit_change_customer_id'), ['customer_id'], unique=False)

    op.create_table('enrollment',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('location', sa.String(length=40), nullable=False),
    sa.Column('program', sa.String(length=40), nullable=False),
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('referral_number', sa.Integer(), nullable=False),
    sa.Column('had_open_activity', sa.Boolean(), nullable=False),
    sa.Column('exited_on', sa.Date(), nullable=True),
    sa.Column('completion_status', sa.String(length=60), nullable=True),
    sa.Column('retention_tracked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_location'), ['location'], unique=False)

    op.create_table('et_status_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('et_status_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_et_status_history_customer_id'), ['customer_id'], unique=False)

    op.create_table('open_snap_activity',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('activity_id', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=40), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('open_snap_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open_snap_activity_customer_id'), ['customer_id'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('referred_to', sa.String(length=40), nullable=False),
    sa.Column('referred_from', sa.String(length=100), nullable=False),
    sa.Column('program', sa.String(length=40), nullable=False),
    sa.Column('date_submitted', sa.Date(), nullable=False),
    sa.Column('response', sa.String(length=20), nullable=False),
    sa.Column('responded_by', sa.String(length=100), nullable=True),
    sa.Column('response_date', sa.Date(), nullable=True),
    sa.Column('snap_et_eligible', sa.Boolean(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_id', 'number')
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_referred_to'), ['referred_to'], unique=False)

    op.create_table('resource_team_contact',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('added_by', sa.String(length=100), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resource_team_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_team_contact_customer_id'), ['customer_id'], unique=False)

    op.create_table('snap_eligibility_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('snap_eligibility_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_snap_eligibility_history_customer_id'), ['customer_id'], unique=False)

    op.create_table('referral_record',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('referred_to', sa.String(length=40), nullable=False),
    sa.Column('referred_from', sa.String(length=100), nullable=False),
    sa.Column('program', sa.String(length=40), nullable=False),
    sa.Column('date_submitted', sa.Date(), nullable=False),
    sa.Column('response', sa.String(length=20), nullable=False),
    sa.Column('form', sa.JSON(), nullable=False),
    sa.Column('submitted_by', sa.String(length=100), nullable=False),
    sa.Column('responded_by', sa.String(length=100), nullable=True),
    sa.Column('response_date', sa.Date(), nullable=True),
    sa.Column('snap_et_eligible', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('historical', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('referral_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_record_referral_id'), ['referral_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('referral_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_record_referral_id'))

    op.drop_table('referral_record')
    with op.batch_alter_table('snap_eligibility_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_snap_eligibility_history_customer_id'))

    op.drop_table('snap_eligibility_history')
    with op.batch_alter_table('resource_team_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_team_contact_customer_id'))

    op.drop_table('resource_team_contact')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_referred_to'))
        batch_op.drop_index(batch_op.f('ix_referral_customer_id'))

    op.drop_table('referral')
    with op.batch_alter_table('open_snap_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open_snap_activity_customer_id'))

    op.drop_table('open_snap_activity')
    with op.batch_alter_table('et_status_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_et_status_history_customer_id'))

    op.drop_table('et_status_history')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_location'))
        batch_op.drop_index(batch_op.f('ix_enrollment_customer_id'))

    op.drop_table('enrollment')
    with op.batch_alter_table('earnfare_benefit_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_earnfare_benefit_change_customer_id'))

    op.drop_table('earnfare_benefit_change')
    undo_messaging_step(op, "0001_tables")
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_snap_case_number'))
        batch_op.drop_index(batch_op.f('ix_customer_et_status'))
        batch_op.drop_index(batch_op.f('ix_customer_enrollment_date'))

    op.drop_table('customer')
