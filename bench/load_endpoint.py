"""Load test for ``kg serve``: concurrent clients on loopback, throughput and latency.

A measurement, not a test: it prints numbers and asserts nothing about time.

    python bench/load_endpoint.py [GRAPH] [--clients 8] [--queries 300] [--workers 2]

It starts ``kg serve`` as a subprocess on a free loopback port, runs the
bundled example queries round-robin from each client over keep-alive HTTP
connections, then stops the server with SIGTERM.
"""

from __future__ import annotations

import argparse
import http.client
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GRAPH = ROOT / "tests" / "fixtures" / "sparql_small.ttl"
ACCEPTS = ("application/sparql-results+json", "text/csv", "text/tab-separated-values",
           "application/sparql-results+xml")


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(graph: Path, port: int, workers: int) -> subprocess.Popen:
    """Start ``kg serve`` and wait until it answers."""
    cmd = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())", "serve", str(graph),
           "--port", str(port), "--workers", str(workers), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}))
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def client(port: int, queries: list[str], count: int, offset: int, latencies: list[float],
           errors: list[int]) -> None:
    """Send ``count`` queries over one keep-alive connection, recording latencies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in range(count):
        query = queries[(offset + i) % len(queries)]
        body = urlencode({"query": query}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Accept": ACCEPTS[(offset + i) % len(ACCEPTS)]}
        start = time.perf_counter()
        try:
            conn.request("POST", "/sparql", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            ok = False
        latencies.append(time.perf_counter() - start)
        if not ok:
            errors.append(1)
    conn.close()


def main() -> None:
    """Run the load test and print throughput and p50/p99 latency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path, default=DEFAULT_GRAPH)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--queries", type=int, default=300, help="queries per client")
    parser.add_argument("--workers", type=int, default=2, help="kg serve worker processes")
    args = parser.parse_args()

    from exports.sparql import example_queries

    queries = [text for _name, _title, text in example_queries()]
    port = free_port()
    server = start_server(args.graph, port, args.workers)
    try:
        latencies: list[float] = []
        errors: list[int] = []
        threads = [threading.Thread(target=client, args=(port, queries, args.queries, i, latencies, errors))
                   for i in range(args.clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(20)
    latencies.sort()
    total = len(latencies)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(total - 1, int(total * 0.99))] * 1000
    print(f"graph: {args.graph}")
    print(f"{args.clients} clients x {args.queries} queries = {total} requests, "
          f"{args.workers} workers, {len(errors)} errors")
    print(f"throughput: {total / elapsed:.0f} queries/s over {elapsed:.1f} s")
    print(f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
