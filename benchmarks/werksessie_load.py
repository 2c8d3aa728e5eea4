"""Load test of werksessie mode: 30 phones, a control view and an audience view against gunicorn.

    python benchmarks/werksessie_load.py [--seconds 120] [--participants 30] [--workers 4]
                                         [--database-url URL]

Builds a small dataset through the services (a region, three agendas with three published
versions each, a projectleider, and an open werksessie that allows joining without an
account), starts gunicorn on 127.0.0.1 and then, for ``--seconds``:

- every simulated participant joins with the code (CSRF token and signed cookie like a
  browser), polls the question in focus every 2 s like the phone page does, votes on it
  every third poll and sends a new question every fifth poll;
- a facilitator, logged in, polls the live panel (the control view) every second
  (``hx-trigger="every 1s"``), accepts every question that waits in the moderation queue as
  soon as it sees it, and moves the focus to the next question every 20 s;
- the audience view (the projector) is open the whole time and polls every 500 ms like the
  page does.

It reports the errors (5xx, unexpected 4xx, connection failures; must be 0), the lost
questions (answered 200 but not in the database, never shown in the moderation queue, or
accepted but never counted on the audience view; must be 0), the poll latencies and how long
a question took: submit → control view, acceptance → audience view (must be p95 ≤ 1 s) and
submit → audience view (includes the facilitator's reaction, up to a second of polling).
Votes refused because the focus moved a moment earlier are counted apart: the phone shows
that message to the person.

SQLite by default (``benchmarks/out/werksessie-load.sqlite3``). With a PostgreSQL URL the
data lives in the schema ``bench_werksessie`` (dropped and recreated first).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html import unescape

from _loadkit import (
    CSRF_RE,
    HX_CSRF_RE,
    OUT,
    Client,
    dialect_name,
    percentile,
    reset_database,
    server_errors,
    start_gunicorn,
    stop_gunicorn,
)
from _loadkit import database_url as _database_url

SCHEMA = "bench_werksessie"
PASSWORD = "bench-vuurtoren-kompas-7"
SECRET = "werksessie-load-test-secret"
STAND_RE = re.compile(r"stand=([^\"&]+)")
FOCUS_RE = re.compile(r'name="wording_id" value="(\d+)"')
WAITING_RE = re.compile(
    r'<li class="incoming-item[^"]*" id="c-(\d+)">.*?<p class="incoming-text">(.*?)</p>.*?'
    r'name="lock_version" value="(\d+)"',
    re.S,
)
AUDIENCE_COUNT_RE = re.compile(r"Nieuwe vragen uit de zaal \((\d+)\)")


# --- dataset -------------------------------------------------------------------------------


def database_url(argument: str | None) -> str:
    return _database_url(argument, schema=SCHEMA, sqlite_name="werksessie-load.sqlite3")


def build_dataset(url: str) -> dict:
    """Region, agendas and versions through the services; an open session on one agenda."""
    from dla import create_app
    from dla.agendas import questions, transitions
    from dla.agendas import services as agendas
    from dla.auth import services as auth
    from dla.extensions import db
    from dla.regions import services as regions
    from dla.werksessies import planning
    from dla.werksessies import services as sessions

    reset_database(url, SCHEMA)
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(7)
    goals = ["regie houden", "informatie delen", "snel opschalen", "samen plannen"]
    barriers = ["het mandaat ontbreekt", "de systemen verschillen", "de tijd ontbreekt"]
    with app.app_context():
        db.create_all()
        region = regions.create_region("Loadregio")
        agenda_list = []
        for index, level in enumerate(("operationeel", "tactisch", "strategisch")):
            agenda = agendas.create_agenda(
                region, level=level, audience=f"Doelgroep {index}", title=f"Agenda {index + 1}"
            )
            for number in range(3):
                version = agendas.create_version(agenda, document_date=date(2025, 1 + number, 1))
                if number == 0:
                    for q in range(12):
                        goal, barrier = rng.choice(goals), rng.choice(barriers)
                        questions.add_wording(
                            version, text=f"Hoe kan ik {goal} {q + 1}, terwijl {barrier}?"
                        )
                else:
                    for source in agendas.missing_transitions(version):
                        transitions.set_transition(version, source, "blijft_staan")
                agendas.publish_version(version)
            agenda_list.append(agenda)
        leader = auth.create_user("pl@load.test", "Projectleider", PASSWORD)
        auth.set_membership(leader, region.id, "projectleider")
        ws = planning.plan_session(
            region,
            agenda_ids=[agenda_list[0].id],
            title="Load-test werksessie",
            session_date=date(2026, 3, 12),
            allow_anonymous=True,
            max_participants=200,
        )
        sessions.open_session(ws)
        db.session.commit()
        result = {"werksessie": ws.id, "code": ws.code}
        db.session.remove()
        db.engine.dispose()
    return result


# --- HTTP client ---------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    stale_votes: int = 0
    facilitator_ms: list[float] = field(default_factory=list)
    participant_ms: list[float] = field(default_factory=list)
    appear_ms: list[float] = field(default_factory=list)
    # text -> time the participant's submit returned 200 (not yet seen by the facilitator)
    pending: dict[str, float] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    # The audience view: the n-th accepted question (time accepted, time sent).
    accepted: list[tuple[float, float]] = field(default_factory=list)
    audience_count: int = 0
    audience_ms: list[float] = field(default_factory=list)
    accept_to_audience_ms: list[float] = field(default_factory=list)
    submit_to_audience_ms: list[float] = field(default_factory=list)
    sent_at: dict[str, float] = field(default_factory=dict)
    queued: set[str] = field(default_factory=set)
    moderated: threading.Event = field(default_factory=threading.Event)
    to_accept: list = field(default_factory=list)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


# --- the simulated people -------------------------------------------------------------------


def participant(index: int, base: str, code: str, deadline: float, stats: Stats) -> None:
    rng = random.Random(index)
    client = Client(base)
    try:
        status, page, _ = client.request("GET", f"/w/{code}", htmx=False)
        client.csrf = CSRF_RE.search(page).group(1)
        roles = ["professional", "manager", "beleid", "ervaringsdeskundige"]
        status, _, _ = client.request(
            "POST",
            f"/w/{code}/aanmelden",
            {"role": roles[index % 4], "display_name": f"Deelnemer {index}"},
            htmx=False,
        )
        if status != 303:
            stats.error(f"participant {index}: join answered {status}")
            return
        status, page, _ = client.request("GET", f"/w/{code}", htmx=False)
        client.csrf = HX_CSRF_RE.search(page).group(1)
        focus = FOCUS_RE.search(page)
        focus_id = focus.group(1) if focus else ""
        stand = STAND_RE.search(page.split('id="phone-focus"', 1)[1]).group(1)
    except Exception as exc:  # noqa: BLE001 - any failure to join is an error to report
        stats.error(f"participant {index}: could not join: {exc!r}")
        return
    tick = index  # spread the questions and votes over the participants
    sent = 0
    time.sleep(rng.uniform(0, 2))
    while time.monotonic() < deadline:
        tick += 1
        try:
            status, text, ms = client.request("GET", f"/w/{code}/stand?stand={stand}")
            _count(stats, "phone poll", status, ms, (200, 204))
            if status == 200:
                stand = STAND_RE.search(text).group(1)
                focus = FOCUS_RE.search(text)
                focus_id = focus.group(1) if focus else ""
            if tick % 3 == 0 and focus_id:
                value = rng.choice(["staat_nog", "opgelost"])
                status, text, ms = client.request(
                    "POST", f"/w/{code}/stem", {"wording_id": focus_id, "value": value}
                )
                if status == 422 and "andere vraag" in text:
                    with stats.lock:
                        stats.stale_votes += 1
                    status = 200
                _count(stats, "vote", status, ms, (200,))
            if tick % 5 == 0:
                sent += 1
                goal = f"Hoe kan ik als deelnemer {index} punt {sent} beter samenwerken"
                barrier = f"het overleg {index}-{sent} steeds vol zit"
                status, text, ms = client.request(
                    "POST", f"/w/{code}/vragen", {"goal": goal, "barrier": barrier}
                )
                _count(stats, "add question", status, ms, (200,))
                if status == 200:
                    question = f"{goal}, terwijl {barrier}?"
                    with stats.lock:
                        stats.sent.append(question)
                        stats.pending[question] = time.monotonic()
                        stats.sent_at[question] = stats.pending[question]
        except Exception as exc:  # noqa: BLE001
            stats.error(f"participant {index}: {exc!r}")
        time.sleep(max(0.0, 2.0 + rng.uniform(-0.3, 0.3)))


def _count(stats: Stats, name: str, status: int, ms: float, ok: tuple[int, ...]) -> None:
    with stats.lock:
        stats.requests[name] += 1
        stats.participant_ms.append(ms)
        if status not in ok:
            stats.errors.append(f"{name} answered {status}")


def facilitator(base: str, werksessie: int, deadline: float, stats: Stats, ready) -> None:
    client = Client(base)
    status = client.login("pl@load.test", PASSWORD)
    if status != 302:
        stats.error(f"facilitator login answered {status}")
        ready.set()
        return
    status, page, _ = client.request("GET", f"/werksessies/{werksessie}/leiden", htmx=False)
    client.csrf = HX_CSRF_RE.search(page).group(1)
    walk = list(dict.fromkeys(FOCUS_RE.findall(page)))
    stand = STAND_RE.search(page.split('id="live"', 1)[1]).group(1)
    clicks = threading.Thread(target=moderator, args=(client, werksessie, deadline, stats))
    clicks.start()
    ready.set()
    next_move = time.monotonic() + 20
    position = 0
    while time.monotonic() < deadline + 10:  # more polls to see (and accept) the last ones
        start = time.monotonic()
        try:
            status, text, ms = client.request(
                "GET", f"/werksessies/{werksessie}/live?stand={stand}"
            )
            now = time.monotonic()
            with stats.lock:
                stats.requests["facilitator poll"] += 1
                stats.facilitator_ms.append(ms)
                if status not in (200, 204):
                    stats.errors.append(f"facilitator poll answered {status}")
            if status == 200:
                stand = STAND_RE.search(text).group(1)
                shown = unescape(text)
                with stats.lock:
                    for question, sent_at in list(stats.pending.items()):
                        if question in shown:
                            stats.appear_ms.append((now - sent_at) * 1000)
                            stats.seen.add(question)
                            del stats.pending[question]
                with stats.lock:
                    for item in WAITING_RE.findall(text):
                        if item[0] not in stats.queued:
                            stats.queued.add(item[0])
                            stats.to_accept.append(item)
            if walk and time.monotonic() >= next_move and time.monotonic() < deadline:
                position = (position + 1) % len(walk)
                status, _, ms = client.request(
                    "POST", f"/werksessies/{werksessie}/focus", {"wording_id": walk[position]}
                )
                with stats.lock:
                    stats.requests["facilitator focus"] += 1
                    if status != 200:
                        stats.errors.append(f"facilitator focus answered {status}")
                next_move += 20
        except Exception as exc:  # noqa: BLE001
            stats.error(f"facilitator: {exc!r}")
        time.sleep(max(0.0, 1.0 - (time.monotonic() - start)))
    clicks.join()


def moderator(client: Client, werksessie: int, deadline: float, stats: Stats) -> None:
    """Moderation: accept every question the control view showed in the queue, as the
    facilitator clicks ‘Overnemen’ (the facilitator's browser; the polls go on meanwhile)."""
    while True:
        with stats.lock:
            batch, stats.to_accept = stats.to_accept, []
        if not batch:
            if time.monotonic() >= deadline + 10:
                break
            time.sleep(0.1)
            continue
        _accept(client, werksessie, batch, stats)
    stats.moderated.set()


def _accept(client: Client, werksessie: int, batch: list, stats: Stats) -> None:
    for contribution_id, text, lock in batch:
        status, _, _ = client.request(
            "POST",
            f"/werksessies/{werksessie}/inbreng/{contribution_id}",
            {"action": "overnemen", "lock_version": lock},
        )
        done = time.monotonic()
        with stats.lock:
            stats.requests["facilitator accept"] += 1
            if status != 200:
                stats.errors.append(f"facilitator accept answered {status}")
                continue
            stats.accepted.append((done, stats.sent_at.get(unescape(text), done)))


def audience(base: str, werksessie: int, deadline: float, stats: Stats) -> None:
    """The projector: the audience view, polled every 500 ms (``hx-trigger``)."""
    client = Client(base)
    if client.login("pl@load.test", PASSWORD) != 302:
        stats.error("audience view: login failed")
        return
    status, page, _ = client.request("GET", f"/werksessies/{werksessie}/zaalscherm", htmx=False)
    if status != 200:
        stats.error(f"audience view answered {status}")
        return
    stand = STAND_RE.search(page.split('id="audience"', 1)[1]).group(1)
    finished = None  # a few polls more after the last acceptance
    while (finished is None and time.monotonic() < deadline + 120) or (
        finished is not None and time.monotonic() < finished + 3
    ):
        if finished is None and stats.moderated.is_set():
            finished = time.monotonic()
        start = time.monotonic()
        try:
            status, text, ms = client.request(
                "GET", f"/werksessies/{werksessie}/zaalscherm/stand?stand={stand}"
            )
            now = time.monotonic()
            with stats.lock:
                stats.requests["audience poll"] += 1
                stats.audience_ms.append(ms)
                if status not in (200, 204):
                    stats.errors.append(f"audience poll answered {status}")
            if status == 200:
                stand = STAND_RE.search(text).group(1)
                found = AUDIENCE_COUNT_RE.search(text)
                count = int(found.group(1)) if found else 0
                with stats.lock:
                    while stats.audience_count < min(count, len(stats.accepted)):
                        accepted_at, sent_at = stats.accepted[stats.audience_count]
                        stats.accept_to_audience_ms.append((now - accepted_at) * 1000)
                        stats.submit_to_audience_ms.append((now - sent_at) * 1000)
                        stats.audience_count += 1
        except Exception as exc:  # noqa: BLE001
            stats.error(f"audience view: {exc!r}")
        time.sleep(max(0.0, 0.5 - (time.monotonic() - start)))


# --- results -------------------------------------------------------------------------------


def stored_questions(url: str, werksessie: int) -> set[str]:
    from sqlalchemy import create_engine, select

    from dla.werksessies.models import Contribution

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Contribution.original_text).where(Contribution.werksessie_id == werksessie)
        ).all()
    engine.dispose()
    return {row[0] for row in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)

    url = database_url(args.database_url)
    dialect = dialect_name(url)
    print(f"Dataset on {dialect} …", flush=True)
    data = build_dataset(url)
    OUT.mkdir(exist_ok=True)
    log_path = OUT / "werksessie-load-gunicorn.log"
    process, base = start_gunicorn(url, args.workers, args.threads, log_path, SECRET)
    print(
        f"gunicorn: {args.workers} workers × {args.threads} threads on {base}; "
        f"{args.participants} participants + 1 facilitator for {args.seconds:.0f} s",
        flush=True,
    )
    stats = Stats()
    try:
        deadline = time.monotonic() + args.seconds
        ready = threading.Event()
        lead = threading.Thread(
            target=facilitator, args=(base, data["werksessie"], deadline, stats, ready)
        )
        lead.start()
        ready.wait(30)
        projector = threading.Thread(
            target=audience, args=(base, data["werksessie"], deadline, stats)
        )
        projector.start()
        phones = [
            threading.Thread(
                target=participant, args=(i, base, data["code"], deadline, stats), daemon=True
            )
            for i in range(args.participants)
        ]
        for phone in phones:
            phone.start()
        for phone in phones:
            phone.join()
        lead.join()
        projector.join()
    finally:
        stop_gunicorn(process)
    logged_errors = server_errors(log_path)
    stored = stored_questions(url, data["werksessie"])
    lost_in_db = [q for q in stats.sent if q not in stored]
    not_shown = list(stats.pending)
    not_on_audience = len(stats.accepted) - stats.audience_count
    errors = len(stats.errors) + len(logged_errors)

    print()
    print("requests: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.requests.items())))
    print(f"questions sent (200): {len(stats.sent)}; stored: {len(stored)}")
    print(
        f"votes refused because the focus had just moved (shown to the person): {stats.stale_votes}"
    )
    print(f"errors: {errors}")
    for message in (stats.errors + logged_errors)[:10]:
        print(f"  {message}")
    lost = len(lost_in_db) + len(not_shown) + not_on_audience
    print(
        f"lost questions: {lost} (not stored {len(lost_in_db)}, never in the moderation queue "
        f"{len(not_shown)}, accepted but never on the audience view {not_on_audience})"
    )
    fac = stats.facilitator_ms
    print(
        f"facilitator poll latency: median {statistics.median(fac):.1f} ms, "
        f"p95 {percentile(fac, 95):.1f} ms, max {max(fac):.1f} ms ({len(fac)} polls)"
    )
    appear = stats.appear_ms
    if appear:
        print(
            f"question visible on the facilitator screen after submit: median "
            f"{statistics.median(appear):.0f} ms, p95 {percentile(appear, 95):.0f} ms, "
            f"max {max(appear):.0f} ms"
        )
    seen = stats.audience_ms
    print(
        f"audience view poll latency: median {statistics.median(seen):.1f} ms, "
        f"p95 {percentile(seen, 95):.1f} ms ({len(seen)} polls)"
    )
    to_audience = stats.accept_to_audience_ms
    if to_audience:
        print(
            f"accepted question on the audience view after acceptance: median "
            f"{statistics.median(to_audience):.0f} ms, p95 {percentile(to_audience, 95):.0f} ms, "
            f"max {max(to_audience):.0f} ms ({len(to_audience)} questions)"
        )
        total = stats.submit_to_audience_ms
        print(
            f"submit → audience view (incl. moderation): median {statistics.median(total):.0f} "
            f"ms, p95 {percentile(total, 95):.0f} ms"
        )
    phone = stats.participant_ms
    print(
        f"participant request latency: median {statistics.median(phone):.1f} ms, "
        f"p95 {percentile(phone, 95):.1f} ms"
    )
    audience_p95 = percentile(to_audience, 95) if to_audience else float("inf")
    ok = errors == 0 and lost == 0 and audience_p95 <= 1000
    print("RESULT: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
