"""Slack traffic through `golive-bot serve` against a minimal Bolt app that only acks, in the same run.

300 signed app_mention events at a concurrency of 10 go to each server; both are waitress with the
same thread count, in their own processes, with a fake Slack Web API on localhost. Printed: throughput
and ack latency p50/p99 for both, the throughput ratio, and whether every question was answered
exactly once (chat.postMessage calls per event, counted at the fake).
Targets: at least 0.9 times the minimal app's throughput, and ack p99 under 50 ms.

    python bench/bench_serve.py [--events 300] [--concurrency 10] [--knowledge DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from fake_slack import FakeSlack  # noqa: E402  (the same fake the end-to-end tests use)

SECRET = "bench-signing-secret"
THREADS = 8
WARM_UP = 20
QUESTIONS = (
    "what is snomed", "wot is BAU", "how do i get a login", "who do i ring at night", "what's a floorwalker",
    "what does CNIO stand for", "how do I log an issue", "what is big bang", "where is the training",
    "what happens in downtime", "when does the canteen open", "what is a superuser",
)  # fmt: skip
TARGET_RATIO, TARGET_P99_MS = 0.9, 50.0


@dataclass(frozen=True)
class Run:
    name: str
    seconds: float
    latencies_ms: list[float]
    statuses: Counter[int]

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def serve_minimal(port_file: str) -> None:
    """The baseline server: Bolt that acks app_mention and does nothing else, on waitress."""
    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient
    from waitress import create_server

    client = WebClient(token="xoxb-bench", base_url=os.environ["SLACK_API_URL"])
    app = App(client=client, signing_secret=SECRET, token_verification_enabled=False)
    app.event("app_mention")(lambda: None)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" is expected here
    server = create_server(SlackRequestHandler(app), host="127.0.0.1", port=0, threads=THREADS)
    Path(port_file).write_text(str(server.effective_port))
    server.run()


def start_minimal(fake: FakeSlack, workdir: Path) -> tuple[subprocess.Popen, str]:
    port_file = workdir / "minimal.port"
    env = {**os.environ, "SLACK_API_URL": fake.url}
    proc = subprocess.Popen([sys.executable, __file__, "--serve-minimal", str(port_file)], env=env)
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("the minimal Bolt app did not start")
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port_file.read_text()}"


def start_golive(fake: FakeSlack, workdir: Path, knowledge: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOLIVE_", "DATABASE_URL"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "GOLIVE_KNOWLEDGE_DIR": str(knowledge),
        "GOLIVE_SCHEDULES_DIR": str(workdir / "schedules"),
        "GOLIVE_CONFIG": str(workdir / "golive.yaml"),
        "PYTHONPATH": str(REPO),
        "LOG_LEVEL": "INFO",
    }  # fmt: skip  (the "serving on" line has the port)
    (workdir / "golive.yaml").write_text("organisation: Bench Trust\n")
    command = [sys.executable, "-m", "bot.cli.main", "serve", "--host", "127.0.0.1", "--port", "0",
               "--threads", str(THREADS)]  # fmt: skip
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if found := re.search(r"serving Slack on (http://\S+)/slack/events", line):
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()  # keep draining
            return proc, found[1]
    raise SystemExit("golive-bot serve did not start")


def mention(n: int, prefix: str) -> bytes:
    event = {"type": "app_mention", "user": "U0BENCH", "channel": "C0BENCH", "ts": f"{n}.000001",
             "text": f"<@U0BOT> {QUESTIONS[n % len(QUESTIONS)]}"}  # fmt: skip
    envelope = {"type": "event_callback", "team_id": "T0TEST", "api_app_id": "A0",
                "event_id": f"Ev{prefix}{n}", "event": event}  # fmt: skip
    return json.dumps(envelope).encode()


def signed(body: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


def load(name: str, url: str, bodies: list[bytes], concurrency: int) -> Run:
    host, port = url.removeprefix("http://").split(":")
    chunks = [bodies[i::concurrency] for i in range(concurrency)]

    def worker(chunk: list[bytes]) -> list[tuple[float, int]]:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        results = []
        for body in chunk:
            started = time.perf_counter()
            conn.request("POST", "/slack/events", body=body, headers=signed(body))
            response = conn.getresponse()
            response.read()
            results.append(((time.perf_counter() - started) * 1000, response.status))
        conn.close()
        return results

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = [r for rs in pool.map(worker, chunks) for r in rs]
    seconds = time.perf_counter() - started
    return Run(name, seconds, [ms for ms, _ in results], Counter(status for _, status in results))


def answered_once(fake: FakeSlack, expected: list[str], timeout: float = 60) -> tuple[int, int, int]:
    """(answered once, more than once, not answered) for the events whose threads are `expected`."""
    deadline = time.monotonic() + timeout
    while len(fake.calls_to("chat.postMessage")) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.1)
    fake.wait_quiet(0.5)
    per_event = Counter(c.params.get("thread_ts") for c in fake.calls_to("chat.postMessage"))
    counts = [per_event.get(ts, 0) for ts in expected]
    return sum(c == 1 for c in counts), sum(c > 1 for c in counts), sum(c == 0 for c in counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds; medians are compared")
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    parser.add_argument("--serve-minimal", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_minimal:
        serve_minimal(args.serve_minimal)
        return 0
    fake = FakeSlack()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        minimal, golive = start_minimal(fake, workdir), start_golive(fake, workdir, args.knowledge)
        try:
            runs, threads = measure(fake, minimal[1], golive[1], args)
            once, twice, missing = answered_once(fake, threads)
        finally:
            for proc, _ in (minimal, golive):
                proc.terminate()
                proc.wait(30)
    fake.close()
    return report(runs, args, once, twice, missing)


def measure(
    fake: FakeSlack, minimal: str, golive: str, args: argparse.Namespace
) -> tuple[list[Run], list[str]]:
    """Warm both up, then alternate them round by round so a busy moment on the host hits both alike."""
    batches = iter(range(10_000))

    def events(count: int) -> list[bytes]:
        start = next(batches) * 100_000
        return [mention(start + n, "B") for n in range(count)]

    for url in (minimal, golive):
        load("warm-up", url, events(WARM_UP), args.concurrency)
    fake.wait_for("chat.postMessage", count=WARM_UP, timeout=30)  # measure once the warm-up replies are out
    runs, threads = [], [c.params["thread_ts"] for c in fake.calls_to("chat.postMessage")]
    for _ in range(args.rounds):
        runs.append(load("minimal Bolt (ack only)", minimal, events(args.events), args.concurrency))
        bodies = events(args.events)
        threads += [json.loads(b)["event"]["ts"] for b in bodies]
        runs.append(load("golive-bot serve", golive, bodies, args.concurrency))
        # Replies finish before the next round, so they never slow the other server's measurement.
        fake.wait_for("chat.postMessage", count=len(threads), timeout=60)
    return runs, threads


def report(runs: list[Run], args: argparse.Namespace, once: int, twice: int, missing: int) -> int:
    print(f"{args.events} signed app_mention events per round, concurrency {args.concurrency}, "
          f"{args.rounds} alternating rounds, {THREADS} server threads each")  # fmt: skip
    print(f"{'server':<26}{'req/s':>9}{'ack p50 ms':>12}{'ack p99 ms':>12}  statuses")
    for run in runs:
        print(f"{run.name:<26}{run.throughput:>9.0f}{run.percentile(50):>12.1f}{run.percentile(99):>12.1f}"
              f"  {dict(run.statuses)}")  # fmt: skip
    baseline, ours = runs[0::2], runs[1::2]
    ratio = statistics.median(r.throughput for r in ours) / statistics.median(r.throughput for r in baseline)
    p99 = statistics.median(r.percentile(99) for r in ours)
    print(f"median throughput ratio golive/minimal: {ratio:.2f} (target >= {TARGET_RATIO})")
    print(f"median ack p99, golive-bot serve: {p99:.1f} ms (target < {TARGET_P99_MS:.0f} ms)")
    total = len(ours) * args.events + WARM_UP
    print(f"answered exactly once: {once}/{total} (with {WARM_UP} warm-up); more than once: {twice}; "
          f"not answered: {missing}")  # fmt: skip
    ok = ratio >= TARGET_RATIO and p99 < TARGET_P99_MS and once == total
    ok = ok and all(set(r.statuses) == {200} for r in runs)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
