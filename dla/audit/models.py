"""The audit log: one row per change of an audited object."""

import json
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dla.agendas.models import WORDING_TEXT_FIELDS
from dla.db import utcnow
from dla.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A snapshot of who it was, kept when the account is removed.
    actor: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    # JSON list of {"field", "old", "new"}.
    changes: Mapped[str] = mapped_column(Text, default="[]")
    # What the entry is about, for the visibility rule (no foreign keys: the log outlives
    # the rows): the version of a version's row, the question thread of a thread's row (a
    # wording, a comment, a link), the werksessie of a session's row.
    version_id: Mapped[int | None] = mapped_column(Integer)
    thread_id: Mapped[int | None] = mapped_column(Integer)
    werksessie_id: Mapped[int | None] = mapped_column(Integer)

    @property
    def change_list(self) -> list[dict]:
        return json.loads(self.changes or "[]")

    @property
    def shown_changes(self) -> list[dict]:
        """Updates show every field; creations and deletions only the telling ones."""
        changes = self.change_list
        if self.action == "gewijzigd":
            return changes
        main = MAIN_FIELDS.get(self.entity, ())
        return [c for c in changes if c["field"] in main]

    def changes_for(self, *, show_codes: bool, copied_text_hidden: bool = False) -> list[dict]:
        """``shown_changes`` with a werksessie's join code hidden unless ``show_codes``, and
        a question's text hidden when ``copied_text_hidden`` (it may have been copied from
        a previous version the reader may not read)."""
        changes = self.shown_changes
        secret: tuple[str, ...] = ()
        if not show_codes:
            secret += SECRET_FIELDS.get(self.entity, ())
        if copied_text_hidden:
            secret += COPIED_TEXT_FIELDS.get(self.entity, ())
        if not secret:
            return changes
        return [
            {
                "field": c["field"],
                "old": HIDDEN if c["field"] in secret and c["old"] is not None else c["old"],
                "new": HIDDEN if c["field"] in secret and c["new"] is not None else c["new"],
            }
            for c in changes
        ]


# Entities whose rows belong to one version: an entry about one is hidden from those who may
# not read that version (and, for entries from before the log recorded the version, from
# everyone but the projectleiders).
VERSIONED_ENTITIES = ("versie", "groep", "vraag", "deelvraag", "overgang")
# Fields only the people who lead the session may see.
SECRET_FIELDS = {"sessie": ("code",)}
# Text a new version copies from the previous one: hidden in entries about a version whose
# previous version the reader may not read.
COPIED_TEXT_FIELDS = {"vraag": WORDING_TEXT_FIELDS, "deelvraag": ("text",), "groep": ("title",)}
HIDDEN = "(verborgen)"


# The fields that say what a created or deleted object was.
MAIN_FIELDS = {
    "regio": ("name",),
    "agenda": ("title", "level", "audience"),
    "versie": ("number", "status", "document_date"),
    "groep": ("title",),
    "vraag": ("label", "full_text"),
    "deelvraag": ("label", "text"),
    "overgang": ("kind", "reason", "note"),
    "reactie": ("body",),
    "lidmaatschap": ("user_id", "role"),
    "uitnodiging": ("email", "role"),
    "gebruiker": ("email", "name"),
    "matrixkop": ("axis", "name"),
    "barrière-item": ("kind", "description", "status"),
    "koppeling": ("thread_id", "item_id", "note"),
    "mijlpaal": ("title", "status"),
    "randvoorwaarde": ("text",),
    "actie": ("text", "owner", "status"),
    "mijlpaalkoppeling": ("milestone_id", "thread_id", "item_id"),
    "besluit": ("kind", "text", "status"),
}
