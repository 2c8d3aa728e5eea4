"""Bump the change stamps in the same transaction as every write (installed by ``create_app``).

One place, not calls scattered over the services: session listeners next to the immutability
guard.

- ``after_flush`` looks at every object the flush inserted, updated or deleted (relationship
  changes included, e.g. the targets of a *samengevoegd* transition) and notes the stamps it
  touches: the region (every write in a region), and the agenda when the object belongs to one
  (through its version, wording, werksessie agenda or target agenda; old and new values of a
  moved row both count). Memberships, participants and version members are writes too: they
  change what a person may read.
- ``do_orm_execute`` notes bulk SQL (``session.execute(insert/update/delete(...))``: version
  members, agenda participants, a restore) as a global change, since its rows are not objects.
- ``before_commit`` writes the noted stamps with fresh random tokens, as the last statements
  of the transaction (short row locks, always in the same order: no deadlocks), so that the
  change and its stamp become visible together. A rollback forgets them.

Reading them (``tokens``) is part of every cache key. The statement that loads the person
with their rights reads the global stamp and their regions' stamps ahead (``read_ahead``,
``remember``): a page of their own region needs no statement for its stamps, until a commit
or rollback in the request forgets them.

Objects of a class that cannot be attributed bump the global stamp: a new kind of row is
never silently left out. The user's own row (name, last login) does not: pages key on the
person's own name and rights directly (``dla.caching.pages``).

Besides its location a write has a kind (``topics_of``): a change to published content (a
version being published or restricted, a question or decision of a published version, an
agenda, thread or the region itself) also bumps the region's ``published`` stamp, a change to
the system analysis (its measurements included) its ``analysis`` stamp. Data computed from
those kinds only keys on their stamps: the persistence figures of a region are computed again
when a version is published, not after every comment. A class of the agendas package that is
not named below counts as published content, so a new kind of row there is never left out
either.
"""

from __future__ import annotations

import secrets

from sqlalchemy import and_, bindparam, event, inspect, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from dla.caching.models import AGENDA, ANALYSIS, GLOBAL, PUBLISHED, REGION, ChangeStamp

PENDING = "dla_stamps"
SEEN = "dla_stamps_seen"  # tokens read ahead in this request (``read_ahead``)
_STAMPS = ChangeStamp.__table__


def install() -> None:
    """Register the listeners on every session (once; calling it again changes nothing)."""
    for name, listener in (
        ("before_flush", load_keys_of_deleted),
        ("after_flush", note_flushed_changes),
        ("do_orm_execute", note_bulk_sql),
        ("before_commit", write_stamps),
        ("after_commit", forget),
        ("after_rollback", forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def forget(session) -> None:
    """After a commit or rollback: nothing is pending, and tokens read ahead are old."""
    session.info.pop(PENDING, None)
    session.info.pop(SEEN, None)


def note(session, scopes) -> None:
    session.info.setdefault(PENDING, set()).update(scopes)


# --- what a flushed object touches -------------------------------------------------------------


def _values(session, obj, key: str) -> set:
    """Every value the attribute had or has in this flush: the old one from the history, the
    current one loaded if need be (a deleted row's keys were loaded before the flush)."""
    state = inspect(obj)
    if key not in state.mapper.column_attrs:
        return set()
    history = state.attrs[key].history
    values = {*history.added, *history.unchanged, *history.deleted}
    if obj in session.deleted:
        values.add(state.dict.get(key))
    else:
        values.add(getattr(obj, key))
    return {v for v in values if v is not None}


def _get(session, model_name: str, ident):
    """An object by primary key: from the identity map (deleted objects are still there
    during ``after_flush``), else from the database."""
    model = _models()[model_name]
    obj = session.identity_map.get(identity_key(model, ident))
    if obj is None:
        obj = session.get(model, ident)
    return obj


def _models() -> dict:
    from dla.agendas.models import Agenda, Version, Wording
    from dla.werksessies.models import Werksessie

    return {"Agenda": Agenda, "Version": Version, "Wording": Wording, "Werksessie": Werksessie}


def _agenda_scopes(session, agenda_id) -> set:
    agenda = _get(session, "Agenda", agenda_id)
    scopes = {(AGENDA, agenda_id)}
    if agenda is not None:
        scopes.add((REGION, inspect(agenda).dict.get("region_id") or agenda.region_id))
    return scopes


def _version_scopes(session, version_id) -> set:
    version = _get(session, "Version", version_id)
    if version is None:
        return {(GLOBAL, 0)}
    return _agenda_scopes(session, inspect(version).dict.get("agenda_id") or version.agenda_id)


def _wording_scopes(session, wording_id) -> set:
    wording = _get(session, "Wording", wording_id)
    if wording is None:
        return {(GLOBAL, 0)}
    return _version_scopes(session, inspect(wording).dict.get("version_id") or wording.version_id)


def _session_scopes(session, session_id) -> set:
    werksessie = _get(session, "Werksessie", session_id)
    if werksessie is None:
        return {(GLOBAL, 0)}
    return {(REGION, inspect(werksessie).dict.get("region_id") or werksessie.region_id)}


# Foreign keys that tie a row to an agenda, in every table that has them.
_AGENDA_KEYS = ("agenda_id", "target_agenda_id")
_VERSION_KEYS = ("version_id", "source_version_id", "concept_version_id")
_WORDING_KEYS = ("wording_id", "from_wording_id")
_ALL_KEYS = ("region_id", *_AGENDA_KEYS, *_VERSION_KEYS, *_WORDING_KEYS, "werksessie_id")


def load_keys_of_deleted(session, _context, _instances) -> None:
    """``before_flush``: load the keys of rows about to be deleted (after the flush their
    rows are gone, so an expired key could not be loaded any more)."""
    for obj in session.deleted:
        state = inspect(obj)
        for key in _ALL_KEYS:
            if key in state.mapper.column_attrs and key not in state.dict:
                getattr(obj, key)


def scopes_of(session, obj) -> set:
    """The stamps a change to ``obj`` touches."""
    from dla.agendas.models import Agenda
    from dla.auth.models import User
    from dla.regions.models import Region

    if isinstance(obj, ChangeStamp | User):
        return set()
    state = inspect(obj)
    if isinstance(obj, Region):
        return {(REGION, state.identity[0] if state.identity else obj.id)}
    if isinstance(obj, Agenda):
        return _agenda_scopes(session, obj.id) | {
            (REGION, r) for r in _values(session, obj, "region_id")
        }
    scopes: set = set()
    attributed = False
    for key in ("region_id",):
        if key in state.mapper.column_attrs:
            attributed = True
            scopes |= {(REGION, r) for r in _values(session, obj, key)}
    for keys, resolve in (
        (_AGENDA_KEYS, _agenda_scopes),
        (_VERSION_KEYS, _version_scopes),
        (_WORDING_KEYS, _wording_scopes),
        (("werksessie_id",), _session_scopes),
    ):
        for key in keys:
            if key in state.mapper.column_attrs:
                attributed = True
                for value in _values(session, obj, key):
                    scopes |= resolve(session, value)
    if not attributed:
        return {(GLOBAL, 0)}
    return scopes


# Rows of the agendas package by what they are: part of a version (published content when
# that version is published: for a decision, the version it is taken in), always published
# content (what every published version hangs from), or never (a remark about it).
_VERSION_CONTENT = {
    "Version": ("id", "Version"),
    "VersionGroup": ("version_id", "Version"),
    "Wording": ("version_id", "Version"),
    "Transition": ("version_id", "Version"),
    "SubQuestion": ("wording_id", "Wording"),
}
_NOT_CONTENT = {"Comment"}
# The system analysis with what hangs from it: barrier items, links, milestones, decisions and
# the meaningful measurements linked to them.
_ANALYSIS_MODULES = ("dla.analysis.models", "dla.measurements.models")


def _published(session, model_name: str, ident) -> bool:
    """Whether the version ``ident`` (or a wording's version) is or was published in this
    flush."""
    from dla.agendas.models import PUBLISHED as STATUS

    obj = _get(session, model_name, ident)
    if obj is None:
        return True  # gone before we could look: count it
    if model_name == "Wording":
        return _published(session, "Version", inspect(obj).dict.get("version_id") or obj.version_id)
    return STATUS in _values(session, obj, "status")


def _columns_changed(obj) -> bool:
    state = inspect(obj)
    return any(state.attrs[key].history.has_changes() for key in state.mapper.column_attrs.keys())


def topics_of(session, obj, scopes: set) -> set:
    """The region stamps of the kind of content ``obj`` is (see the module's docstring)."""
    cls = type(obj)
    regions = {key for scope, key in scopes if scope == REGION}
    if not regions:
        return set()
    if cls.__module__ in _ANALYSIS_MODULES:
        return {(ANALYSIS, region) for region in regions}
    if cls.__module__ != "dla.agendas.models" or cls.__name__ in _NOT_CONTENT:
        return set()
    if cls.__name__ == "Thread" and obj in session.new:
        return set()  # a new question: published content once its version is published
    if obj in session.dirty and not _columns_changed(obj):
        return set()  # only a relationship changed: the row holding the key says what
    content = _VERSION_CONTENT.get(cls.__name__)
    if content is not None:
        key, model_name = content
        if not any(_published(session, model_name, i) for i in _values(session, obj, key)):
            return set()
    return {(PUBLISHED, region) for region in regions}


def note_flushed_changes(session, _context) -> None:
    """``after_flush``: new objects have their ids and foreign keys now, and the session's
    new/dirty/deleted lists still show what this flush wrote."""
    scopes: set = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        touched = scopes_of(session, obj)
        scopes |= touched | topics_of(session, obj, touched)
    if scopes:
        note(session, scopes)


def note_bulk_sql(execute_state) -> None:
    """``do_orm_execute``: an INSERT, UPDATE or DELETE statement through the session."""
    if not (execute_state.is_insert or execute_state.is_update or execute_state.is_delete):
        return
    table = getattr(execute_state.statement, "table", None)
    if table is not None and table.name == ChangeStamp.__tablename__:
        return
    note(execute_state.session, {(GLOBAL, 0)})


# --- writing them -------------------------------------------------------------------------------


def write_stamps(session) -> None:
    """``before_commit``: flush what is pending, then give every touched stamp a new token."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    scopes = session.info.pop(PENDING, None)
    if not scopes:
        return
    rows = [
        {"scope": scope, "key": key, "token": secrets.token_hex(8)}
        for scope, key in sorted(scopes, key=lambda s: (s[0], s[1] or 0))
        if key is not None
    ]
    connection = session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for row in rows:
        statement = dialect.insert(_STAMPS).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=[_STAMPS.c.scope, _STAMPS.c.key], set_={"token": row["token"]}
        )
        connection.execute(statement)


# --- reading them -------------------------------------------------------------------------------


# A region's own stamps: what the pages of the region and their data key on.
REGION_SCOPES = (REGION, PUBLISHED, ANALYSIS)
READ_AHEAD = "stamp:"  # the kind of the rows of ``read_ahead`` in the person's rights query


def read_ahead(region_ids):
    """Rows ``("stamp:<scope>", key, token)`` of the global stamp and the region stamps of
    ``region_ids`` (a sub-select): part of the statement that loads the person and their
    rights (``dla.auth.permissions.load_user``), so that a page of their regions needs no
    statement of its own for its stamps. Read at the start of the request, so before any
    data a page reads, as :func:`tokens` must be."""
    return select(
        (literal(READ_AHEAD) + _STAMPS.c.scope).label("kind"),
        _STAMPS.c.key.label("key"),
        _STAMPS.c.token.label("role"),
    ).where(
        or_(
            and_(_STAMPS.c.scope == GLOBAL, _STAMPS.c.key == 0),
            and_(_STAMPS.c.scope.in_(REGION_SCOPES), _STAMPS.c.key.in_(region_ids)),
        )
    )


def remember(session, region_ids, rows) -> None:
    """Keep the tokens of :func:`read_ahead` for this request (until a commit or rollback):
    every region scope of ``region_ids`` and the global stamp count as known, ``-`` where
    no stamp was written yet (as :func:`tokens` says it)."""
    seen = {(GLOBAL, 0): "-"}
    seen.update({(scope, region): "-" for region in region_ids for scope in REGION_SCOPES})
    seen.update({(kind.removeprefix(READ_AHEAD), key): token for kind, key, token in rows})
    session.info[SEEN] = seen


# Built once: every page asks it (only the values change).
_TOKENS = select(_STAMPS.c.scope, _STAMPS.c.key, _STAMPS.c.token).where(
    _STAMPS.c.key.in_(bindparam("keys", expanding=True)),
    _STAMPS.c.scope.in_(bindparam("scopes", expanding=True)),
)


def tokens(
    session,
    *,
    region_id: int | None = None,
    agenda_id: int | None = None,
    topics: tuple[str, ...] = (),
) -> str:
    """The current tokens of the region's (and agenda's) stamps and the global one, as one
    string: part of every cache key and ETag of the region's pages. With ``topics``
    (``PUBLISHED``, ``ANALYSIS``) the region's stamps of those kinds of content replace its
    own: for data computed from those kinds only."""
    wanted = [(GLOBAL, 0)]
    if region_id is not None:
        wanted += [(topic, region_id) for topic in topics] or [(REGION, region_id)]
    if agenda_id is not None:
        wanted.append((AGENDA, agenda_id))
    seen = session.info.get(SEEN)
    if seen is not None and all(pair in seen for pair in wanted):
        return ".".join(seen[pair] for pair in wanted)
    rows = session.execute(
        _TOKENS,
        {
            "keys": sorted({key for _scope, key in wanted}),
            "scopes": sorted({scope for scope, _key in wanted}),
        },
    ).all()
    found = {(scope, key): token for scope, key, token in rows}
    return ".".join(found.get(pair, "-") for pair in wanted)
