"""How late scheduled announcements reach Slack: 100 due in the same instant, with one and two replicas.

Each replica is the bot's real wiring (build_services) with its production timings: its APScheduler
ticks the communications plan every 15 s (bot/runtime.COMMS_TICK_SECONDS) and wakes at the next due
time, claims each due (announcement, time) pair in the database, and delivers through the outbox to a
local fake Slack Web API that records when each post arrives. Lateness is arrival time minus due time.
The baseline in the same run is a bare APScheduler date job per announcement, firing in-process with
no database and no HTTP: the floor any scheduler could reach.

    python bench/bench_schedule.py [--announcements 100] [--pg-url URL | --no-pg]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError

from bot.config import Channels, OrgConfig, Settings
from bot.runtime import COMMS_TICK_SECONDS, Services, build_services
from bot.slack.announcements import render
from bot.slack.delivery import TICK_SECONDS as DELIVERY_TICK_SECONDS
from bot.slack.delivery import Delivery
from bot.store.comms import ANNOUNCEMENT_KIND
from bot.store.database import private_schema

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
ORG = OrgConfig(channels=Channels(announcements="C0BENCH"))
LEAD = timedelta(seconds=4)  # replicas start, sync the plan and tick idly before the due time


class FakeSlack:
    """Answers chat.postMessage like Slack and records when each text arrived."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[str, float]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                params = json.loads(body) if body.startswith("{") else dict(parse_qsl(body))
                if self.path.endswith("chat.postMessage"):
                    with fake.lock:
                        fake.arrivals.append((str(params.get("text")), time.time()))
                reply = json.dumps({"ok": True, "channel": "C0BENCH", "ts": f"{time.time():.6f}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                return

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def figures(lateness: list[float]) -> str:
    ms = sorted(x * 1000 for x in lateness)
    p99 = ms[math.ceil(0.99 * len(ms)) - 1]  # nearest rank
    return f"{statistics.median(ms):>9.0f} {p99:>9.0f} {ms[-1]:>9.0f}"


def baseline(n: int) -> list[float]:
    """Bare APScheduler date jobs, all due at one instant, recording when each fires."""
    due = datetime.now(UTC) + timedelta(seconds=1)
    fired: list[float] = []
    done = threading.Event()
    scheduler = BackgroundScheduler(timezone=UTC)

    def fire() -> None:
        fired.append(time.time())
        if len(fired) == n:
            done.set()

    for i in range(n):
        scheduler.add_job(fire, "date", run_date=due, id=f"job-{i}", misfire_grace_time=None)
    scheduler.start()
    done.wait(30)
    scheduler.shutdown()
    return [t - due.timestamp() for t in fired]


def write_plan(folder: Path, n: int, due: datetime) -> None:
    local = due.astimezone(ORG.timezone).replace(tzinfo=None).isoformat()
    items = "".join(
        f"  - id: bench-{i:03d}\n    channels: [announcements]\n    at: {local}\n    text: Bench {i:03d}\n"
        for i in range(n)
    )
    folder.mkdir(exist_ok=True)
    (folder / "plan.yaml").write_text("announcements:\n" + items)


def start_replica(settings: Settings, fake: FakeSlack) -> Services:
    """The bot's services, with the comms tick (from build_services) and outbox delivery running as
    `serve` runs them."""
    services = build_services(settings)
    services.renderers[ANNOUNCEMENT_KIND] = lambda item: render(services, item)
    delivery = Delivery(services.db, WebClient(token="xoxb-bench", base_url=fake.url), services.clock,
                        services.renderers)  # fmt: skip
    services.deliver_soon = delivery.kick
    services.on_close.append(delivery.close)
    services.background.every(DELIVERY_TICK_SECONDS, "outbox-delivery", delivery.drain)
    services.background.start()
    return services


def run_bot(database_url: str, replicas: int, n: int) -> tuple[list[float], int]:
    """Lateness of each post, and how many posts Slack received (exactly n when none is doubled)."""
    fake = FakeSlack()
    with tempfile.TemporaryDirectory() as folder:
        due = (datetime.now(UTC) + LEAD).replace(microsecond=0)
        write_plan(Path(folder), n, due)
        settings = Settings(org=ORG, knowledge_dir=ROOT / "knowledge", schedules_dir=Path(folder),
                            database_url=database_url)  # fmt: skip
        running = [start_replica(settings, fake) for _ in range(replicas)]
        deadline = time.time() + LEAD.total_seconds() + 30
        while len(fake.arrivals) < n and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(3)  # anything doubled would arrive now
        for services in running:
            services.close()
    fake.close()
    return [t - due.timestamp() for _, t in fake.arrivals], len(fake.arrivals)


@contextmanager
def fresh_database(kind: str, pg_url: str) -> Iterator[str]:
    """A new SQLite file, or a private schema on PostgreSQL dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    with private_schema(pg_url, "bench") as url:
        yield url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--announcements", type=int, default=100)
    parser.add_argument("--pg-url", default=PG_URL, help=f"PostgreSQL to use (default {PG_URL})")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    n = args.announcements
    print(f"Scheduled posts: {n} announcements due in the same instant; the bot ticks every "
          f"{COMMS_TICK_SECONDS} s and wakes at the next due time\n")  # fmt: skip
    print(f"  {'lateness after the due time':<44} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}  posted")
    print(f"  {'baseline: bare APScheduler date jobs':<44} {figures(baseline(n))}  {n}")
    for kind in ("sqlite", "postgresql"):
        if kind == "postgresql" and args.no_pg:
            print("  PostgreSQL skipped: --no-pg")
            continue
        for replicas in (1, 2):
            try:
                with fresh_database(kind, args.pg_url) as url:
                    lateness, posted = run_bot(url, replicas, n)
            except OperationalError as exc:
                print(f"  PostgreSQL skipped: cannot reach {args.pg_url} ({exc.orig.__class__.__name__})")
                break
            label = f"bot on {kind}, {replicas} replica{'s' if replicas > 1 else ''}"
            verdict = "exactly once" if posted == n else f"WRONG: {posted} posts for {n}"
            print(f"  {label:<44} {figures(lateness)}  {posted} ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
