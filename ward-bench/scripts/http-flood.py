#!/usr/bin/env python3
"""Drives one phase of the HTTP flood benchmark against a running ward runner and prints what it saw.

usage: http-flood.py PORT PHASE_SECONDS quiet|flood [CONNECTIONS]

Every 5 s it scrapes /metrics (from 127.0.0.2, retrying: a flooded runner may refuse it) and every
second it times GET /health from 127.0.0.3. In a flood phase it also runs, from other processes:
  - wrk -t2 -cCONNECTIONS GET /api/devices from 127.0.0.1 (keep-alive, as fast as it can);
  - 200 slowloris connections from 127.1.0.1-50 (4 each): a partial request line, then a byte a
    second, reconnecting whenever the server closes one;
  - 50 slow bodies from 127.2.0.1-10: headers with Content-Length: 4000, then nothing.
At the end it prints the deltas of the probe, schedule and HTTP meters over the phase.
Traffic goes to 127.0.0.1 only.
"""
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request

PORT = int(sys.argv[1])
SECONDS = int(sys.argv[2])
MODE = sys.argv[3]
CONNECTIONS = int(sys.argv[4]) if len(sys.argv) > 4 else 256
stop = threading.Event()


def http_get(path, source, timeout=5.0):
    """(status, seconds, body) of a GET from a given loopback source address; status 0 when refused."""
    t0 = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout, source_address=(source, 0))
    except OSError:
        return 0, time.monotonic() - t0, b""
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path).encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
        return status, time.monotonic() - t0, body
    except OSError:
        return 0, time.monotonic() - t0, b""
    finally:
        s.close()


def metrics():
    for _ in range(30):
        status, _, body = http_get("/metrics", "127.0.0.2", timeout=10)
        if status == 200:
            values = {}
            for line in body.decode().splitlines():
                if line and not line.startswith("#"):
                    name, _, value = line.rpartition(" ")
                    values[name] = float(value)
            return values
        time.sleep(0.5)
    return None


def total(m, prefix):
    return sum(v for k, v in m.items() if k == prefix or k.startswith(prefix + "{"))


def by_tag(m, prefix, tag):
    out = {}
    for k, v in m.items():
        if k.startswith(prefix + "{"):
            t = re.search(tag + '="([^"]*)"', k)
            if t:
                out[t.group(1)] = v
    return out


def slowloris(source):
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=5, source_address=(source, 0))
            s.sendall(b"GET /api/dev")
            while not stop.is_set():
                time.sleep(1)
                s.sendall(b"i")
        except OSError:
            time.sleep(0.2)


def slow_body(source):
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=5, source_address=(source, 0))
            s.sendall(b"POST /api/alerts/00000000-0000-0000-0000-000000000000/ack HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n")
            s.settimeout(None)
            s.recv(65536)  # returns when the server answers 408 or closes
        except OSError:
            time.sleep(0.2)


def health_sampler(samples):
    while not stop.is_set():
        t = time.monotonic()
        status, took, _ = http_get("/health", "127.0.0.3", timeout=5)
        samples.append((status, took))
        time.sleep(max(0.0, 1.0 - (time.monotonic() - t)))


def main():
    before = metrics()
    health = []
    lags = []
    threads = [threading.Thread(target=health_sampler, args=(health,), daemon=True)]
    wrk = None
    if MODE == "flood":
        for i in range(200):
            threads.append(threading.Thread(target=slowloris, args=("127.1.0.%d" % (i % 50 + 1),), daemon=True))
        for i in range(50):
            threads.append(threading.Thread(target=slow_body, args=("127.2.0.%d" % (i % 10 + 1),), daemon=True))
        wrk = subprocess.Popen(["wrk", "-t2", "-c%d" % CONNECTIONS, "-d%ds" % SECONDS, "--timeout", "10s",
                                "http://127.0.0.1:%d/api/devices" % PORT],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for t in threads:
        t.start()
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        time.sleep(5)
        m = metrics()
        if m:
            lags.append((m.get('ward_schedule_lag_seconds{quantile="0.99"}', 0), m.get("ward_schedule_lag_seconds_max", 0)))
    stop.set()
    wrk_out = wrk.communicate()[0] if wrk else ""
    after = metrics()

    def d(prefix):
        return total(after, prefix) - total(before, prefix)

    print("phase: %s, %d s" % (MODE, SECONDS))
    print("  probes completed:          %d" % d("ward_probes_total"))
    print("  checks skipped (overruns): %d" % d("ward_probes_skipped_total"))
    print("  schedule slots missed:     %d" % d("ward_schedule_missed_total"))
    count = d("ward_schedule_lag_seconds_count")
    mean = d("ward_schedule_lag_seconds_sum") / count * 1000 if count else float("nan")
    print("  schedule lag: mean %.2f ms, p99 (worst 5 s sample) %.1f ms, max %.1f ms"
          % (mean, max((l[0] for l in lags), default=0) * 1000, max((l[1] for l in lags), default=0) * 1000))
    print("  runner CPU: %.1f s in %d s" % (d("process_cpu_time_ns_total") / 1e9, SECONDS))
    ok = [t for s, t in health if s == 200]
    print("  /health from 127.0.0.3: %d of %d answered 200; slowest %.0f ms; statuses %s"
          % (len(ok), len(health), max(ok, default=0) * 1000,
             sorted({s for s, _ in health})))
    statuses = {k: v - by_tag(before, "ward_http_requests_total", "status").get(k, 0)
                for k, v in by_tag(after, "ward_http_requests_total", "status").items()}
    print("  HTTP answers by status: %s" % {k: int(v) for k, v in sorted(statuses.items()) if v})
    rejected = {k: v - by_tag(before, "ward_http_rejected_total", "reason").get(k, 0)
                for k, v in by_tag(after, "ward_http_rejected_total", "reason").items()}
    print("  HTTP rejected by reason: %s" % {k: int(v) for k, v in sorted(rejected.items()) if v})
    if wrk_out:
        for line in wrk_out.splitlines():
            if re.search(r"Requests/sec|requests in|Socket errors|Non-2xx|Latency ", line):
                print("  wrk: " + line.strip())


main()
