"""The change stamp: one row per region and per agenda (and one global row).

Every write that can change what a page shows replaces the token of the stamps it touches, in
the same transaction (``dla.caching.stamps``). Pages, chart data and cache entries are keyed
by the tokens: a new token is a new key, so nothing stale is ever looked up. Tokens are random
(not counters), so a database that is restored or recreated never meets old cache entries
under the same key.
"""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dla.extensions import db

REGION = "region"
AGENDA = "agenda"
GLOBAL = "global"  # writes that cannot be attributed (bulk SQL): every page changes


class ChangeStamp(db.Model):
    __tablename__ = "change_stamps"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))
