"""Time the main pages of DLA-werkplaats on the small and the large dataset.

    python benchmarks/pages.py [--database-url URL] [--runs 30] [--no-cache | --after-comment]
                               [--verbose]

For each size (generated first when its database is missing) the Flask test client requests,
for one agenda of region 1: the agenda page, the compare page (first → last published
version, and two adjacent published versions), the question page of a long-lived thread, the
latest published version, the concept version and the region page. Per page: a few warm-up
requests, then ``--runs`` timed requests (median and p95 of the time around
``client.get``), and the number of SQL statements of one request. The same session asks
again, so after the warm-up the pages come from the cache (``dla.caching``); ``--no-cache``
builds every page and everything on it, which is what the first reader after a version was
published waits for; ``--after-comment`` changes the region's and its agendas' stamps before
every request, as a comment or a question added to a concept does: the page is built again,
the data computed from published versions (persistence figures, chart data) stays cached.

Targets: the SQL count of every page is the same at both sizes, and at the large size the
median of the agenda, compare and question pages is at most 30 ms.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generate import SIZES, dataset_ready, dataset_url, generate
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from dla import create_app
from dla.agendas.models import PUBLISHED, Agenda, Version, Wording
from dla.extensions import db
from dla.regions.models import Region

WARMUP = 3
ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 30.0
# Pages that must meet the time target at the large size.
TIMED_PAGES = ("agenda", "compare first→last", "compare adjacent", "question")

PAGE_ORDER = (
    "agenda",
    "compare first→last",
    "compare adjacent",
    "question",
    "version (published)",
    "version (concept)",
    "region",
    "persistent barriers",
    "system analysis",
    "charts (agenda)",
    "charts (region)",
)


@dataclass
class Result:
    page: str
    size: str
    path: str
    median_ms: float
    p95_ms: float
    statements: list[str] = field(default_factory=list)
    # Where each statement came from (only with --verbose): "file:line <- file:line".
    origins: list[str] = field(default_factory=list)

    @property
    def sql(self) -> int:
        return len(self.statements)


def pick_pages() -> dict[str, str]:
    """The pages to time: a mid-sized agenda of region 1 and its versions and threads.

    Must run inside an application context.
    """
    region = db.session.scalar(select(Region).order_by(Region.id).limit(1))
    sizes = db.session.execute(
        select(Agenda.id, func.count(func.distinct(Wording.thread_id)))
        .join(Version, Version.agenda_id == Agenda.id)
        .join(Wording, Wording.version_id == Version.id)
        .where(Agenda.region_id == region.id)
        .group_by(Agenda.id)
        .order_by(func.count(func.distinct(Wording.thread_id)), Agenda.id)
    ).all()
    agenda_id = sizes[len(sizes) // 2][0]
    versions = db.session.scalars(
        select(Version).where(Version.agenda_id == agenda_id).order_by(Version.number)
    ).all()
    published = [v for v in versions if v.status == PUBLISHED]
    concept = next(v for v in versions if v.status != PUBLISHED)
    thread_id = db.session.scalar(
        select(Wording.thread_id)
        .join(Version, Version.id == Wording.version_id)
        .where(Version.agenda_id == agenda_id)
        .group_by(Wording.thread_id)
        .order_by(func.count(Wording.id).desc(), Wording.thread_id)
        .limit(1)
    )
    first, before_last, last = published[0], published[-2], published[-1]
    return {
        "agenda": f"/agendas/{agenda_id}",
        "compare first→last": f"/agendas/{agenda_id}/vergelijken?van={first.id}&naar={last.id}",
        "compare adjacent": f"/agendas/{agenda_id}/vergelijken?van={before_last.id}&naar={last.id}",
        "question": f"/leervragen/{thread_id}",
        "version (published)": f"/versies/{last.id}",
        "version (concept)": f"/versies/{concept.id}",
        "region": f"/regios/{region.id}",
        "persistent barriers": f"/regios/{region.id}/hardnekkige-barrieres?alle=1",
        "system analysis": f"/regios/{region.id}/systeemanalyse",
        "charts (agenda)": f"/agendas/{agenda_id}/grafieken",
        "charts (region)": f"/regios/{region.id}/grafieken",
    }


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def origin(app) -> str:
    """The innermost application and template frames that ran the current statement."""
    places = []
    for frame in reversed(traceback.extract_stack()):
        path = Path(frame.filename).resolve()
        if (
            not path.is_relative_to(ROOT)
            or not path.is_relative_to(ROOT / "dla")
            and (path.suffix != ".html")
        ):
            continue
        line = frame.lineno
        if path.suffix == ".html":
            name = path.relative_to(ROOT / "templates").as_posix()
            line = app.jinja_env.get_template(name).get_corresponding_lineno(line)
            where = f"templates/{name}:{line}"
        else:
            where = f"{path.relative_to(ROOT).as_posix()}:{line} {frame.name}"
        if not places or places[-1] != where:
            places.append(where)
        if len(places) == 3:
            break
    return " <- ".join(places)


def bench_user() -> str:
    """The login key of a projectleider in every region (created once per database)."""
    from sqlalchemy import select

    from dla.auth import services as auth_services
    from dla.auth.models import User
    from dla.regions.models import Region

    user = db.session.scalar(select(User).where(User.email == "bench@bench.dla"))
    if user is None:
        user = auth_services.create_user(
            "bench@bench.dla", "Benchmark", "grote-rode-zeilboot-loper"
        )
        for region_id in db.session.scalars(select(Region.id)):
            auth_services.set_membership(user, region_id, "projectleider")
        db.session.commit()
    return user.get_id()


def bump_stamps() -> None:
    """What a comment does to the stamps: new tokens for every region and agenda (through
    ``dla.caching.stamps``, in a transaction of its own)."""
    from dla.caching import stamps
    from dla.caching.models import AGENDA, REGION

    scopes = {(REGION, r) for r in db.session.scalars(select(Region.id))}
    scopes |= {(AGENDA, a) for a in db.session.scalars(select(Agenda.id))}
    stamps.note(db.session, scopes)
    db.session.commit()


def measure(
    size: str,
    url: str,
    runs: int,
    verbose: bool = False,
    cache: bool = True,
    after_comment: bool = False,
) -> list[Result]:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "DLA_CACHE": cache,
        }
    )
    with app.app_context():
        pages = pick_pages()
        engine = db.engine
        user_key = bench_user()
        db.session.remove()
    client = app.test_client()
    # Pages need a login: a projectleider of every region, like the heaviest real user.
    with client.session_transaction() as session:
        session["_user_id"] = user_key
    results = []

    def before_request() -> None:
        if after_comment:
            with app.app_context():
                bump_stamps()

    for page, path in pages.items():
        for _ in range(WARMUP):
            before_request()
            check(client.get(path), path)
        timings = []
        for _ in range(runs):
            before_request()
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            check(response, path)
        statements: list[str] = []
        origins: list[str] = []

        def count(_conn, _cursor, statement, _parameters, _context, _executemany):
            statements.append(statement)  # noqa: B023 (removed before the next page)
            if verbose:
                origins.append(origin(app))  # noqa: B023

        before_request()
        event.listen(engine, "before_cursor_execute", count)
        try:
            check(client.get(path), path)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        results.append(
            Result(
                page,
                size,
                path,
                statistics.median(timings),
                percentile(timings, 0.95),
                statements,
                origins,
            )
        )
    engine.dispose()
    return results


def check(response, path: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}, expected 200")


def shape(statement: str) -> str:
    """A statement with its literal lists collapsed, to group repeated queries."""
    text = " ".join(statement.split())
    text = re.sub(r"\((?:\s*(?:\?|%\(\w+\)s|\$\d+|__\[POSTCOMPILE_\w+\]),?)+\)", "(…)", text)
    return text if len(text) <= 160 else text[:157] + "…"


def report(results: list[Result], verbose: bool) -> bool:
    header = (
        f"{'page':<22} | {'size':<5} | {'median ms':>9} | {'p95 ms':>7} | {'SQL statements':>14}"
    )
    print(header)
    print("-" * len(header))
    for r in sorted(results, key=lambda r: (list(PAGE_ORDER).index(r.page), r.size != "small")):
        print(f"{r.page:<22} | {r.size:<5} | {r.median_ms:>9.1f} | {r.p95_ms:>7.1f} | {r.sql:>14}")
    by_key = {(r.page, r.size): r for r in results}
    sizes = sorted({r.size for r in results}, key=list(SIZES).index)
    print()
    growing = []
    for page in PAGE_ORDER:
        counts = [by_key[(page, s)].sql for s in sizes if (page, s) in by_key]
        if len(set(counts)) > 1:
            growing.append(page)
    if growing:
        print("SQL count constant across sizes: NO, it changes on: " + ", ".join(growing))
    else:
        print("SQL count constant across sizes: yes, for every page")
    ok = not growing
    slow = []
    if "large" in sizes:
        for page in TIMED_PAGES:
            r = by_key.get((page, "large"))
            if r is not None and r.median_ms > TARGET_MS:
                slow.append(f"{page} ({r.median_ms:.1f} ms)")
        if slow:
            print(f"Large-size median ≤ {TARGET_MS:.0f} ms: NO for " + ", ".join(slow))
        else:
            print(
                f"Large-size median ≤ {TARGET_MS:.0f} ms: yes for the agenda, compare and "
                "question pages"
            )
        others = [
            f"{r.page} ({r.median_ms:.1f} ms)"
            for r in results
            if r.size == "large" and r.page not in TIMED_PAGES and r.median_ms > TARGET_MS
        ]
        if others:
            print(f"(also above {TARGET_MS:.0f} ms at the large size: {', '.join(others)})")
        ok = ok and not slow
    if verbose:
        for page in PAGE_ORDER:
            keys = [(page, s) for s in sizes if (page, s) in by_key]
            shapes = {
                key: Counter(
                    (shape(q)[:100], where)
                    for q, where in zip(by_key[key].statements, by_key[key].origins, strict=True)
                )
                for key in keys
            }
            lines = []
            for text, where in sorted(set().union(*shapes.values())):
                counts = [shapes[key][(text, where)] for key in keys]
                if len(set(counts)) > 1 or max(counts) > 1:
                    label = ", ".join(f"{s} {n}×" for (_p, s), n in zip(keys, counts, strict=True))
                    lines.append(f"  [{label}] {text}\n      from {where}")
            if lines:
                print(f"\n{page}: statements repeated, or differing between the sizes:")
                print("\n".join(lines))
    return ok


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL (schemas bench_small and bench_large are used), or an SQLite "
        "URL with {size} in it; default benchmarks/out/<size>.sqlite3",
    )
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--sizes", nargs="+", choices=list(SIZES), default=list(SIZES), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="build every page (DLA_CACHE off): the time after a change, not a cache hit",
    )
    parser.add_argument(
        "--after-comment",
        action="store_true",
        help="change the region's stamps before every request, as a comment does: pages are "
        "built again, data computed from published versions comes from the cache",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="list the statements that repeat or whose count differs, and where they run",
    )
    args = parser.parse_args(argv)
    results: list[Result] = []
    for size in args.sizes:
        url = dataset_url(size, args.database_url)
        if not dataset_ready(size, args.database_url):
            print(f"generating the {size} dataset …")
            generate(size, args.database_url)
        shown = make_url(url).render_as_string(hide_password=True)
        print(f"measuring {size} on {shown} ({args.runs} runs per page) …")
        results.extend(
            measure(
                size,
                url,
                args.runs,
                args.verbose,
                cache=not args.no_cache,
                after_comment=args.after_comment,
            )
        )
    print()
    report(results, args.verbose)


if __name__ == "__main__":
    main()
