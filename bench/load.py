"""Load: concurrent users browsing and updating cases against `casework serve`, on loopback.

Usage: python bench/load.py [--users 50] [--seconds 60] [--database sqlite|postgresql|both]
                            [--cases 300] [--think 0.5-1.5] [--write-share 0.15]
                            [--postgres-admin-url URL] [--json FILE]

For each database it makes a scratch CASEWORK_HOME (and, for PostgreSQL, a scratch database
that is dropped afterwards), loads the demo data with `casework demo --cases N`, starts
`casework serve` on 127.0.0.1 and drives it with an asyncio httpx client of its own: each
virtual user signs in as one of the case-working demo users (session cookie and CSRF token,
as a browser does), then, until the time is up, waits a think time and either reads (the
case list, a case, its victim panel, CPS file or suspect timeline, the deadlines due) or,
where the role may, writes (an event on the timeline, a contact with the victim).

It prints requests per second, p50/p95/p99 latency by kind (read, write) and by endpoint,
the CPU time the server and the load generator itself used per request (both share the
machine), and every error (any status other than the expected 2xx, or a failed
connection). Target on a 2-core machine: zero errors and p95 under 200 ms for reads; the
last line says whether it was met, and the exit status is 1 when it was not.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

READ_TARGET_P95_MS = 200.0
TEAM_USERS = ("investigator", "supervisor", "prosecutor", "victimcare")
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass
class Sample:
    kind: str  # read | write
    name: str
    status: int  # 0: the request failed before a response
    ms: float


@dataclass
class Run:
    database: str
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    server_cpu_s: float | None = None  # CPU time of the casework serve process(es) during the run
    client_cpu_s: float | None = None  # CPU time of this load generator during the run


def _process_cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by ``pid`` and its reaped children (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _tree_cpu_s(pid: int) -> float | None:
    """CPU seconds of ``pid`` and its live children (uvicorn workers, when there are any)."""
    total = _process_cpu_s(pid)
    if total is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        total += _process_cpu_s(int(child)) or 0.0
    return total


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _casework() -> list[str]:
    return [sys.executable, "-m", "casework"]


@contextmanager
def _postgres_database(admin_url: str) -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    name = f"casework_load_{secrets.token_hex(4)}"

    def execute(sql: str) -> None:
        with psycopg.connect(
            host=admin.host,
            port=admin.port or 5432,
            user=admin.username,
            password=admin.password,
            dbname=admin.database,
            autocommit=True,
        ) as connection:
            connection.execute(sql.encode())

    execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _server(env: dict[str, str], port: int) -> Iterator[tuple[str, int]]:
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [*_casework(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(process, base, log)
            yield base, process.pid
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_up(process: subprocess.Popen[bytes], base: str, log: Any) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit(f"casework serve exited:\n{log.read().decode(errors='replace')}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("casework serve did not answer within 60 s")
        time.sleep(0.2)


class VirtualUser:
    """One browser: signs in, then reads and writes with think time until told to stop."""

    def __init__(
        self, client: httpx.AsyncClient, username: str, password: str, run: Run, rng: random.Random
    ) -> None:
        self.client = client
        self.username = username
        self.password = password
        self.run = run
        self.rng = rng
        self.csrf = ""
        self.references: list[str] = []
        self.writes: list[str] = []

    async def _call(
        self, kind: str, name: str, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            ms = (time.perf_counter() - started) * 1000
            self.run.samples.append(Sample(kind, name, 0, ms))
            self.run.errors[f"{name}: {type(error).__name__}"] += 1
            return None
        ms = (time.perf_counter() - started) * 1000
        self.run.samples.append(Sample(kind, name, response.status_code, ms))
        if not 200 <= response.status_code < 300:
            self.run.errors[f"{name}: HTTP {response.status_code} {response.text[:120]}"] += 1
        return response

    async def sign_in(self) -> None:
        response = await self.client.post(
            "/api/auth/sign-in", json={"username": self.username, "password": self.password}
        )
        response.raise_for_status()
        body = response.json()
        self.csrf = body["csrf_token"]
        permissions = set(body["permissions"])
        if "case.record_event" in permissions:
            self.writes.append("event")
            if self.username == "victimcare":
                self.writes.append("contact")
        listed = await self.client.get("/api/cases", params={"limit": 100})
        listed.raise_for_status()
        self.references = [c["reference"] for c in listed.json()]

    async def browse(self, stop_at: float, think: tuple[float, float], write_share: float) -> None:
        while True:
            await asyncio.sleep(self.rng.uniform(*think))
            if time.monotonic() >= stop_at:
                return
            if self.references and self.writes and self.rng.random() < write_share:
                await self._write()
            else:
                await self._read()

    async def _read(self) -> None:
        choice = self.rng.random()
        if not self.references or choice < 0.15:
            await self._call("read", "GET /api/cases", "GET", "/api/cases", params={"limit": 50})
            return
        if choice < 0.22:
            await self._call(
                "read", "GET /api/deadlines", "GET", "/api/deadlines", params={"due_within": "14d"}
            )
            return
        reference = self.rng.choice(self.references)
        suffix = self.rng.choice(["", "", "/victim", "/cps", "/timeline", "/evidence"])
        await self._call(
            "read", f"GET /api/cases/{{ref}}{suffix}", "GET", f"/api/cases/{reference}{suffix}"
        )

    async def _write(self) -> None:
        reference = self.rng.choice(self.references)
        headers = {"X-CSRF-Token": self.csrf}
        now = datetime.now(UTC) - timedelta(minutes=1)
        if self.rng.choice(self.writes) == "contact":
            await self._call(
                "write",
                "POST /api/cases/{ref}/victim/contacts",
                "POST",
                f"/api/cases/{reference}/victim/contacts",
                headers=headers,
                json={"at": now.isoformat(), "method": "phone", "summary": "Load test call."},
            )
            return
        await self._call(
            "write",
            "POST /api/cases/{ref}/events",
            "POST",
            f"/api/cases/{reference}/events",
            headers=headers,
            json={
                "kind": "other",
                "occurred_at": now.isoformat(),
                "description": "Load test note.",
            },
        )


async def _drive(
    base: str,
    *,
    users: int,
    seconds: float,
    password: str,
    think: tuple[float, float],
    write_share: float,
    run: Run,
    seed: int,
    server_pid: int,
) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, timeout=30, limits=limits) for _ in range(users)]
    try:
        people = [
            VirtualUser(c, TEAM_USERS[i % len(TEAM_USERS)], password, run, random.Random(seed + i))
            for i, c in enumerate(clients)
        ]
        for person in people:  # one at a time: sign-in is deliberately slow (argon2)
            await person.sign_in()
        started = time.monotonic()
        server_cpu, client_cpu = _tree_cpu_s(server_pid), time.process_time()
        stop_at = started + seconds
        await asyncio.gather(*(p.browse(stop_at, think, write_share) for p in people))
        run.seconds = time.monotonic() - started
        run.client_cpu_s = time.process_time() - client_cpu
        server_after = _tree_cpu_s(server_pid)
        if server_cpu is not None and server_after is not None:
            run.server_cpu_s = server_after - server_cpu
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def _line(label: str, values: list[float], seconds: float) -> str:
    return (
        f"  {label:<42} {len(values):>7} {len(values) / seconds:>8.1f} "
        f"{_percentile(values, 0.50):>8.1f} {_percentile(values, 0.95):>8.1f} "
        f"{_percentile(values, 0.99):>8.1f}"
    )


def report(run: Run) -> dict[str, Any]:
    """Print the figures of one run; return them as data."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_name: dict[str, list[float]] = defaultdict(list)
    for sample in run.samples:
        by_kind[sample.kind].append(sample.ms)
        by_name[sample.name].append(sample.ms)
    total = [s.ms for s in run.samples]
    errors = sum(run.errors.values())
    print(
        f"\n{run.database}: {len(total)} requests in {run.seconds:.1f} s, "
        f"{len(total) / run.seconds:.1f} requests/s, {errors} error(s)"
    )
    print(f"  {'':<42} {'count':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in ("read", "write"):
        print(_line(kind.upper(), by_kind[kind], run.seconds))
    for name in sorted(by_name):
        print(_line(name, by_name[name], run.seconds))
    for what, count in run.errors.most_common(10):
        print(f"  error x{count}: {what}")
    cpu = _cpu_figures(run, len(total))
    if cpu:
        print(
            f"  CPU: server {cpu['server_ms_per_request']} ms/request "
            f"({cpu['server_cores']} cores), load generator "
            f"{cpu['client_ms_per_request']} ms/request ({cpu['client_cores']} cores) "
            f"of {os.cpu_count()} cores"
        )
    read_p95 = _percentile(by_kind["read"], 0.95)
    met = errors == 0 and read_p95 < READ_TARGET_P95_MS
    print(
        f"  target (0 errors, read p95 < {READ_TARGET_P95_MS:.0f} ms): "
        f"{'MET' if met else 'MISSED'} ({errors} errors, read p95 {read_p95:.1f} ms)"
    )
    return {
        "database": run.database,
        "seconds": round(run.seconds, 1),
        "requests": len(total),
        "rps": round(len(total) / run.seconds, 1),
        "errors": errors,
        "kinds": {
            k: {
                "count": len(v),
                "p50_ms": round(_percentile(v, 0.5), 1),
                "p95_ms": round(_percentile(v, 0.95), 1),
                "p99_ms": round(_percentile(v, 0.99), 1),
                "mean_ms": round(statistics.fmean(v), 1) if v else None,
            }
            for k, v in by_kind.items()
        },
        "cpu": cpu,
        "target_met": met,
    }


def _cpu_figures(run: Run, requests: int) -> dict[str, float] | None:
    if run.server_cpu_s is None or run.client_cpu_s is None or not requests:
        return None
    return {
        "server_ms_per_request": round(run.server_cpu_s * 1000 / requests, 1),
        "server_cores": round(run.server_cpu_s / run.seconds, 2),
        "client_ms_per_request": round(run.client_cpu_s * 1000 / requests, 1),
        "client_cores": round(run.client_cpu_s / run.seconds, 2),
    }


def one_database(database: str, args: argparse.Namespace) -> dict[str, Any]:
    password = os.environ.get("CASEWORK_DEMO_PASSWORD", "casework-demo")
    with tempfile.TemporaryDirectory(prefix="casework-load-") as home:
        env = {
            **os.environ,
            "CASEWORK_HOME": home,
            "CASEWORK_DEMO_PASSWORD": password,
            # every virtual user signs in from 127.0.0.1: lift the per-client sign-in limit
            "CASEWORK_SIGN_IN_RATE_LIMIT": str(max(100, args.users * 4)),
        }
        env.pop("CASEWORK_DATABASE_URL", None)
        with _scratch(database, args.postgres_admin_url) as url:
            if url:
                env["CASEWORK_DATABASE_URL"] = url
            started = time.monotonic()
            subprocess.run(
                [*_casework(), "demo", "--cases", str(args.cases)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(
                f"{database}: demo data ({args.cases} cases) loaded in "
                f"{time.monotonic() - started:.0f} s; {args.users} users for {args.seconds} s"
            )
            run = Run(database=database, seconds=float(args.seconds))
            with _server(env, _free_port()) as (base, pid):
                asyncio.run(
                    _drive(
                        base,
                        users=args.users,
                        seconds=args.seconds,
                        password=password,
                        think=args.think,
                        write_share=args.write_share,
                        run=run,
                        seed=args.seed,
                        server_pid=pid,
                    )
                )
            return report(run)


@contextmanager
def _scratch(database: str, admin_url: str) -> Iterator[str | None]:
    if database == "sqlite":
        yield None
        return
    with _postgres_database(admin_url) as url:
        yield url


def _think(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    try:
        pair = (float(low), float(high or low))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"--think: {value!r} is not e.g. 0.5-1.5") from error
    if pair[0] < 0 or pair[1] < pair[0]:
        raise argparse.ArgumentTypeError(f"--think: {value!r} is not e.g. 0.5-1.5")
    return pair


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--cases", type=int, default=300, help="demo cases to load")
    parser.add_argument("--think", type=_think, default=(0.5, 1.5), help="seconds, e.g. 0.5-1.5")
    parser.add_argument("--write-share", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres-admin-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = [one_database(d, args) for d in databases]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(r["target_met"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
