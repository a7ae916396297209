"""What review decisions a copy was planned from: ``case_documents.decisions_sha256``.

A copy is planned from the upload's decisions as read before it is rendered, and recorded
afterwards; a decision taken in between is not in it although the copy's date is later. The
copy keeps a fingerprint of the decisions it followed, so a disclosure bundle compares that
with the decisions there are now rather than dates. Copies made before this step have none
(NULL) and are judged by date as before.

Follows ``0002_documents`` on a branch of its own (it changes only ``case_documents``).

Revision ID: 0009_copy_decisions
Revises: 0002_documents
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_copy_decisions"
down_revision: str | None = "0002_documents"
branch_labels: str | Sequence[str] | None = ("copy_decisions",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "case_documents", sa.Column("decisions_sha256", sa.String(length=64), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("case_documents", "decisions_sha256")
