"""The change stamp: one row per region and per agenda (and one global row), and per region
one for each kind of content that data computed from it depends on.

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
# Kinds of content in a region (``dla.caching.stamps.topics_of``): data computed from one kind
# only (persistence figures, chart data) keys on its stamp instead of the region's, so it
# survives the comments, questions and decisions being added to concept versions meanwhile.
PUBLISHED = "published"  # published versions, their questions and decisions; agendas, threads
ANALYSIS = "analysis"  # the system analysis: matrix, items, links, milestones, decisions, metingen


class ChangeStamp(db.Model):
    __tablename__ = "change_stamps"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))
