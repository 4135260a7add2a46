"""Load the shipped regulated price table (db/data/regulated_prices.csv).

Plausible figures, marked as such in their ``source``; an operator replaces them with the
official ones through ``sentinella prices import FILE``. Downgrade removes only the rows
this revision added that still carry the shipped source.

Revision ID: 0002
Revises: 0001
"""
from typing import Sequence, Union

from alembic import op
from sqlalchemy.orm import Session

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from db.regulated_prices import SHIPPED_FILE, load_into
    from protocol.regulated_prices import parse_regulated_prices

    rows = parse_regulated_prices(SHIPPED_FILE.read_text(encoding="utf-8"), source_name=str(SHIPPED_FILE))
    session = Session(bind=op.get_bind())
    load_into(session, rows=rows, source=str(SHIPPED_FILE))
    session.flush()


def downgrade() -> None:
    op.execute("DELETE FROM regulated_prices WHERE source LIKE '(default) Sentinella''s plausible figures%'")
