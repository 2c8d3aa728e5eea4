"""What the export document holds: the fields of every table, in insert order, and the
JSON Schema that describes the document (``schema/dla-export-v1.schema.json``).

Shared by the export (``services``) and the restore (``restore``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dla.agendas.models import (
    WORDING_TEXT_FIELDS,
    Agenda,
    Comment,
    SubQuestion,
    Thread,
    Transition,
    Version,
    VersionGroup,
    Wording,
)
from dla.analysis.models import (
    BarrierItem,
    BarrierLink,
    Decision,
    DecisionFollowUp,
    MatrixHeading,
    Milestone,
    MilestoneAction,
    MilestoneLink,
    Precondition,
)
from dla.measurements.models import Indicator, IndicatorLink, Observation
from dla.regions.models import Region
from dla.werksessies.models import (
    Contribution,
    Participant,
    SessionAgenda,
    SessionDecision,
    Vote,
    Werksessie,
)

SCHEMA_NAME = "dla-export-v1.schema.json"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / SCHEMA_NAME

REGION_FIELDS = (
    "name",
    "description",
    "municipalities",
    "persist_min_run",
    "persist_max_months",
    "stop_words",
)
AGENDA_FIELDS = ("level", "audience", "title", "ambition")
VERSION_FIELDS = (
    "number",
    "label",
    "document_date",
    "session_date",
    "status",
    "origin",
    "context_line",
    "distribution",
    "themes",
    "author",
    "recipient",
    "reference",
    "report_reference",
    "published_at",
)
GROUP_FIELDS = ("position", "title", "label_style")
WORDING_FIELDS = ("thread_id", "position", "label", *WORDING_TEXT_FIELDS)
SUB_FIELDS = ("position", "label", "text")
TRANSITION_FIELDS = ("version_id", "kind", "note", "reason", "target_agenda_id", "decided_at")
COMMENT_FIELDS = ("thread_id", "version_id", "author_name", "body", "created_at")
# System analysis and measurements: flat lists per region, linked by id.
HEADING_FIELDS = ("axis", "name", "position")
ITEM_FIELDS = (
    "aspect_id",
    "actor_id",
    "kind",
    "description",
    "source",
    "status",
    "noted_on",
    "status_on",
)
BARRIER_LINK_FIELDS = ("thread_id", "item_id", "note")
MILESTONE_FIELDS = ("title", "description", "term", "status", "due_on")
PRECONDITION_FIELDS = ("milestone_id", "position", "text")
ACTION_FIELDS = ("milestone_id", "position", "text", "owner", "term", "status")
MILESTONE_LINK_FIELDS = ("milestone_id", "thread_id", "item_id")
DECISION_FIELDS = (
    "item_id",
    "milestone_id",
    "decided_on",
    "kind",
    "text",
    "follow_up",
    "status",
    "author_name",
    "owner",
    "due_on",
)
FOLLOW_UP_FIELDS = ("decision_id", "written_on", "text", "status", "author_name")
# Fields added after format version 1 was first published: an older document may lack them
# (and the ``decision_follow_ups`` list); the restore then uses these values.
ADDED_FIELDS = {"due_on": None, "owner": "", "target": None}
ADDED_TABLES = frozenset({"decision_follow_ups"})
INDICATOR_FIELDS = (
    "name",
    "description",
    "concerns",
    "horizon",
    "audiences",
    "kind",
    "unit",
    "target",
)
OBSERVATION_FIELDS = ("indicator_id", "observed_on", "period_end", "value", "narrative", "source")
INDICATOR_LINK_FIELDS = ("indicator_id", "thread_id", "item_id", "note")
# Region-level lists of the document: key, model, fields, order, in insert order.
REGION_TABLES = (
    (
        "matrix_headings",
        MatrixHeading,
        HEADING_FIELDS,
        (MatrixHeading.axis, MatrixHeading.position, MatrixHeading.id),
    ),
    ("barrier_items", BarrierItem, ITEM_FIELDS, (BarrierItem.id,)),
    ("barrier_links", BarrierLink, BARRIER_LINK_FIELDS, (BarrierLink.id,)),
    ("milestones", Milestone, MILESTONE_FIELDS, (Milestone.id,)),
    (
        "preconditions",
        Precondition,
        PRECONDITION_FIELDS,
        (Precondition.milestone_id, Precondition.position, Precondition.id),
    ),
    (
        "milestone_actions",
        MilestoneAction,
        ACTION_FIELDS,
        (MilestoneAction.milestone_id, MilestoneAction.position, MilestoneAction.id),
    ),
    ("milestone_links", MilestoneLink, MILESTONE_LINK_FIELDS, (MilestoneLink.id,)),
    ("decisions", Decision, DECISION_FIELDS, (Decision.id,)),
    (
        "decision_follow_ups",
        DecisionFollowUp,
        FOLLOW_UP_FIELDS,
        (DecisionFollowUp.decision_id, DecisionFollowUp.id),
    ),
    ("indicators", Indicator, INDICATOR_FIELDS, (Indicator.id,)),
    (
        "observations",
        Observation,
        OBSERVATION_FIELDS,
        (Observation.indicator_id, Observation.observed_on, Observation.id),
    ),
    ("indicator_links", IndicatorLink, INDICATOR_LINK_FIELDS, (IndicatorLink.id,)),
)
# Werksessies: sessions with the agendas they reviewed, participants (by role; the name
# only when names are exported), incoming questions, votes and decisions. Join codes,
# participant secrets and accounts are not exported.
SESSION_FIELDS = (
    "kind",
    "title",
    "session_date",
    "notes",
    "status",
    "allow_anonymous",
    "max_participants",
    "focus_wording_id",
    "opened_at",
    "closed_at",
)
SESSION_AGENDA_FIELDS = (
    "werksessie_id",
    "agenda_id",
    "position",
    "source_version_id",
    "concept_version_id",
)
PARTICIPANT_FIELDS = ("werksessie_id", "display_name", "role", "joined_at")
CONTRIBUTION_FIELDS = (
    "werksessie_id",
    "participant_id",
    "original_text",
    "text",
    "status",
    "agenda_id",
    "merged_into_id",
    "merged_into_wording_id",
    "wording_id",
)
VOTE_FIELDS = ("werksessie_id", "participant_id", "wording_id", "value")
SESSION_DECISION_FIELDS = (
    "werksessie_id",
    "wording_id",
    "kind",
    "note",
    "reason",
    "text",
    "merge_wording_id",
    "merge_contribution_id",
    "target_agenda_id",
)
# key, model, fields, order; in insert order. Rows belong to a region through their session.
SESSION_TABLES = (
    ("werksessies", Werksessie, SESSION_FIELDS, (Werksessie.id,)),
    ("session_agendas", SessionAgenda, SESSION_AGENDA_FIELDS, (SessionAgenda.id,)),
    ("session_participants", Participant, PARTICIPANT_FIELDS, (Participant.id,)),
    ("session_contributions", Contribution, CONTRIBUTION_FIELDS, (Contribution.id,)),
    ("session_votes", Vote, VOTE_FIELDS, (Vote.id,)),
    ("session_decisions", SessionDecision, SESSION_DECISION_FIELDS, (SessionDecision.id,)),
)
# Free-text fields of those tables that may hold a person's name: blanked without names.
NAME_FIELDS = {
    "milestone_actions": ("owner",),
    "decisions": ("author_name", "owner"),
    "decision_follow_ups": ("author_name",),
    "session_participants": ("display_name",),
}
# Tables with an id sequence on PostgreSQL, in insert order.
ID_TABLES = (
    Region,
    Agenda,
    Version,
    VersionGroup,
    Thread,
    Wording,
    SubQuestion,
    Transition,
    Comment,
    *(model for _key, model, _fields, _order in REGION_TABLES),
    *(model for _key, model, _fields, _order in SESSION_TABLES),
)


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


# Columns holding dates or timestamps; every other column is already a plain JSON value.
DATES = frozenset(
    (
        "document_date",
        "session_date",
        "noted_on",
        "status_on",
        "decided_on",
        "due_on",
        "written_on",
        "observed_on",
        "period_end",
    )
)
TEMPORAL = DATES | {
    "published_at",
    "decided_at",
    "created_at",
    "opened_at",
    "closed_at",
    "joined_at",
}
# Timestamps of the region-level tables (restored as datetimes).
STAMPS = frozenset(("opened_at", "closed_at", "joined_at"))
