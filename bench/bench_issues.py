"""Submitting issues under load: 1,000 issues at a concurrency of 20, on SQLite and PostgreSQL.

Each submission goes through IssueService.report, the call the Slack modal makes: validation,
redaction, the issue row, its audit event and its outbox rows in one transaction. The baseline in the
same run is a bare single-row INSERT through the same Database (a once-key claim), so the ratio shows
what the domain costs over the database itself. It prints how many issues were stored (must be all),
whether every reference is unique, whether every issue has its triage post queued, and p50/p99 latency.

    python bench/bench_issues.py [--issues 1000] [--concurrency 20] [--pg-url URL | --no-pg]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.clock import SystemClock
from bot.config import Channels, OrgConfig
from bot.issues import notices
from bot.issues.model import Draft
from bot.issues.service import IssueService, Logged
from bot.store import issues as issue_store
from bot.store import once
from bot.store.database import Database, private_schema
from bot.store.issues import IssueRow
from bot.store.outbox import OutboxRow

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
AREAS = ("Login and access", "Prescribing and medicines", "Orders and results", "Printing and wristbands")
ORG = OrgConfig(
    system_areas=AREAS,
    channels=Channels(triage="#golive-triage", safety="#golive-patient-safety"),
)


@dataclass(frozen=True)
class Run:
    name: str
    seconds: float
    latencies: list[float]

    def line(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        p99 = ms[math.ceil(0.99 * len(ms)) - 1]  # nearest rank
        rate = len(ms) / self.seconds
        return f"  {self.name:<34} {statistics.median(ms):>8.2f} {p99:>8.2f} {rate:>9.0f}/s"


def timed(name: str, n: int, concurrency: int, job: Callable[[int], object]) -> Run:
    def one(i: int) -> float:
        start = time.perf_counter()
        job(i)
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(one, range(n)))
    return Run(name, time.perf_counter() - start, latencies)


def draft(i: int) -> Draft:
    severity = ("P1", "P2", "P3", "P3", "P4")[i % 5]
    return Draft(
        summary=f"Bench issue {i}: wristband printer prints blank labels",
        details=f"Reported in the benchmark; patient 999 000 0018 mentioned on purpose (run item {i}).",
        location=f"Ward {i % 12 + 1}",
        area=AREAS[i % len(AREAS)],
        severity=severity,
        contact=f"bleep {1000 + i}",
        patient_safety=i % 7 == 0,
    )


def bench(db: Database, n: int, concurrency: int) -> None:
    service = IssueService(db, ORG, ORG.redactor(), SystemClock())
    now = datetime.now(UTC)
    baseline = timed(
        "baseline: single-row INSERT", n, concurrency, lambda i: once.claim(db, f"bench:{i}", now)
    )
    logged: list[Logged] = []

    def submit(i: int) -> None:
        outcome = service.report(draft(i), f"U{i:06d}", key=f"view:{i}")
        assert isinstance(outcome, Logged), outcome
        logged.append(outcome)

    domain = timed("IssueService.report (issue+outbox)", n, concurrency, submit)
    print(f"  {'':<34} {'p50 ms':>8} {'p99 ms':>8} {'throughput':>10}")
    print(baseline.line())
    print(domain.line())
    ratio = statistics.median(domain.latencies) / statistics.median(baseline.latencies)
    print(f"  domain / baseline p50: {ratio:.1f}x")
    report(db, n, logged)


def report(db: Database, n: int, logged: list[Logged]) -> None:
    stored = issue_store.listing(db, issue_store.Filters(open_only=False))
    references = [i.reference for i in stored]
    with db.session() as session:
        triaged = session.scalar(
            select(func.count(func.distinct(OutboxRow.ref))).where(OutboxRow.kind == notices.TRIAGE)
        )
        leaked = session.scalar(select(func.count()).where(IssueRow.details.contains("999 000 0018")))
    missing = n - len(stored)
    print(f"  submitted {n}, stored {len(stored)}: {'all' if not missing else f'{missing} MISSING'}")
    print(f"  every reference unique: {'yes' if len(set(references)) == len(references) == n else 'NO'}")
    print(f"  triage post queued for every issue: {'yes' if triaged == n else f'NO ({triaged})'}")
    print(
        f"  created by the service: {sum(lg.created for lg in logged)}; NHS numbers in stored rows: {leaked}"
    )


def sqlite(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        db.migrate()
        print("SQLite (file, WAL)")
        try:
            bench(db, args.issues, args.concurrency)
        finally:
            db.dispose()


def postgres(args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        try:
            url = stack.enter_context(private_schema(args.pg_url, "bench"))
        except OperationalError as exc:
            print(f"PostgreSQL skipped: cannot reach {args.pg_url} ({exc.orig.__class__.__name__})")
            return
        db = Database(url)
        try:
            db.migrate()
            print("PostgreSQL (a fresh schema, dropped afterwards)")
            bench(db, args.issues, args.concurrency)
        finally:
            db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--pg-url", default=PG_URL, help=f"PostgreSQL to use (default {PG_URL})")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    print(f"Issue submission: {args.issues} issues at a concurrency of {args.concurrency}\n")
    sqlite(args)
    print()
    if args.no_pg:
        print("PostgreSQL skipped: --no-pg")
    else:
        postgres(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
