"""Slack traffic through `golive-bot serve` against a minimal Bolt app that only acks, in the same run.

300 signed app_mention events at a concurrency of 10 go to each server; both are waitress with the
same thread count, in their own processes, with a fake Slack Web API on localhost. Printed: throughput
and ack latency p50/p99 for both, the throughput ratio, and whether every question was answered
exactly once (chat.postMessage calls per event, counted at the fake).
Targets: at least 0.9 times the minimal app's throughput, and ack p99 under 50 ms.

On a shared host a single short run swings widely, so after a warm-up the two servers run in rounds
of mirrored runs (M G G M, G M M G...); each round gives its own ratio, the median of those is
checked, and their spread is shown.

    python bench/bench_serve.py [--events 300] [--concurrency 10] [--rounds 9] [--knowledge DIR]
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
WARM_UP = 100  # events per server before measuring: connections, caches and the matcher warm
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
    (workdir / "golive.yaml").write_text("organisation: Bench Trust\nchannels:\n  triage: C0TRIAGE\n")
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
    parser.add_argument("--rounds", type=int, default=9, help="mirrored rounds; the median ratio is checked")
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    parser.add_argument("--serve-minimal", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_minimal:
        serve_minimal(args.serve_minimal)
        return 0
    fake = FakeSlack()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        servers: list[subprocess.Popen] = []
        try:  # both servers are stopped however the run ends, a failed start included
            minimal = start_minimal(fake, workdir)
            servers.append(minimal[0])
            golive = start_golive(fake, workdir, args.knowledge)
            servers.append(golive[0])
            rounds, threads = measure(fake, minimal[1], golive[1], args)
            once, twice, missing = answered_once(fake, threads)
        finally:
            for proc in servers:
                proc.terminate()
                proc.wait(30)
    fake.close()
    return report(rounds, args, once, twice, missing)


@dataclass(frozen=True)
class Round:
    baseline: Run
    ours: Run
    order: str  # "MGGM" or "GMMG": M the minimal app, G golive-bot serve

    @property
    def ratio(self) -> float:
        return self.ours.throughput / self.baseline.throughput


def merged(first: Run, second: Run) -> Run:
    return Run(first.name, first.seconds + second.seconds, first.latencies_ms + second.latencies_ms,
               first.statuses + second.statuses)  # fmt: skip


def measure(
    fake: FakeSlack, minimal: str, golive: str, args: argparse.Namespace
) -> tuple[list[Round], list[str]]:
    """Warm both up, then compare them round by round, so a busy moment on a shared host hits both alike.

    A round runs each server twice, mirrored (M G G M, then G M M G in the next round), so whatever
    drifts during a round (the host's other work) weighs on both alike; each round gives its own
    ratio. Replies to golive's events are waited for as soon as its run ends, so they never slow the
    minimal app's run.
    """
    batches = iter(range(10_000))
    threads: list[str] = []

    def events(count: int) -> list[bytes]:
        start = next(batches) * 100_000
        return [mention(start + n, "B") for n in range(count)]

    def run(server: str, count: int, name: str) -> Run:
        bodies = events(count)
        if server == "M":
            return load(name, minimal, bodies, args.concurrency)
        threads.extend(json.loads(b)["event"]["ts"] for b in bodies)
        result = load(name, golive, bodies, args.concurrency)
        fake.wait_for("chat.postMessage", count=len(threads), timeout=60)
        return result

    run("M", WARM_UP, "warm-up")
    run("G", WARM_UP, "warm-up")
    names = {"M": "minimal Bolt (ack only)", "G": "golive-bot serve"}
    rounds = []
    for n in range(args.rounds):
        order = "GMMG" if n % 2 else "MGGM"
        runs = [(server, run(server, args.events, names[server])) for server in order]
        baseline, ours = ([r for s, r in runs if s == server] for server in "MG")
        rounds.append(Round(merged(*baseline), merged(*ours), order))
    return rounds, threads


def report(rounds: list[Round], args: argparse.Namespace, once: int, twice: int, missing: int) -> int:
    print(f"{args.events} signed app_mention events per run, concurrency {args.concurrency}, {args.rounds} "
          f"rounds of two runs per server in mirrored order, after {WARM_UP} warm-up events each, "
          f"{THREADS} server threads")  # fmt: skip
    header = f"{'round':<10}{'server':<26}{'req/s':>9}{'ack p50 ms':>12}{'ack p99 ms':>12}{'ratio':>7}"
    print(f"{header}  statuses")
    for n, r in enumerate(rounds, 1):
        for run, ratio in ((r.baseline, ""), (r.ours, f"{r.ratio:.2f}")):
            print(f"{n:<4}{r.order:<6}{run.name:<26}{run.throughput:>9.0f}{run.percentile(50):>12.1f}"
                  f"{run.percentile(99):>12.1f}{ratio:>7}  {dict(run.statuses)}")  # fmt: skip
    ratios = sorted(r.ratio for r in rounds)
    p99s = sorted(r.ours.percentile(99) for r in rounds)
    ratio, p99 = statistics.median(ratios), statistics.median(p99s)
    print(f"median throughput: minimal {statistics.median(r.baseline.throughput for r in rounds):.0f} req/s, "
          f"golive {statistics.median(r.ours.throughput for r in rounds):.0f} req/s")  # fmt: skip
    print(f"throughput ratio golive/minimal: median {ratio:.2f} (target >= {TARGET_RATIO}); spread over "
          f"rounds {ratios[0]:.2f}-{ratios[-1]:.2f}, middle half {_middle_half(ratios)}")  # fmt: skip
    print(f"ack p99, golive-bot serve: median {p99:.1f} ms (target < {TARGET_P99_MS:.0f} ms); "
          f"spread over rounds {p99s[0]:.1f}-{p99s[-1]:.1f} ms")  # fmt: skip
    total = 2 * len(rounds) * args.events + WARM_UP
    print(f"answered exactly once: {once}/{total} (with {WARM_UP} warm-up); more than once: {twice}; "
          f"not answered: {missing}")  # fmt: skip
    ok = ratio >= TARGET_RATIO and p99 < TARGET_P99_MS and once == total
    ok = ok and all(set(run.statuses) == {200} for r in rounds for run in (r.baseline, r.ours))
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def _middle_half(ordered: list[float]) -> str:
    """The interquartile range: how far a typical round strays from the median."""
    if len(ordered) < 4:
        return "n/a (fewer than 4 rounds)"
    q1, _, q3 = statistics.quantiles(ordered, n=4)
    return f"{q1:.2f}-{q3:.2f}"


if __name__ == "__main__":
    sys.exit(main())
