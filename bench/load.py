"""Load generators: wrk where installed, otherwise Python processes, each
holding one keep-alive connection.  Both report requests/s and latency
percentiles for one (URL, body) pair."""
from __future__ import annotations

import http.client
import multiprocessing
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

CONTENT_TYPE = "application/soap+xml; charset=utf-8"


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def post(url: str, body: str, auth: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    conn.request("POST", parts.path or "/", body=body.encode(),
                 headers={"Content-Type": CONTENT_TYPE, "Authorization": auth})
    response = conn.getresponse()
    return response.status, response.read()


def run(url: str, body: str, auth: str, connections: int, duration: int) -> Result:
    if shutil.which("wrk"):
        return _wrk(url, body, auth, connections, duration)
    return _python(url, body, auth, connections, duration)


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def _wrk(url, body, auth, connections, duration) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write('wrk.method = "POST"\nwrk.body = %s\n'
                     'wrk.headers["Content-Type"] = "%s"\nwrk.headers["Authorization"] = "%s"\n'
                     % (_lua_string(body), CONTENT_TYPE, auth))
        script.flush()
        out = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections),
                              "-d", "%ds" % duration, "--latency", "-s", script.name, url],
                             capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return Result(rps, _wrk_ms(out, "50%"), _wrk_ms(out, "99%"), errors)


def _wrk_ms(out: str, percentile: str) -> float:
    value, unit = re.search(r"\s%s\s+([\d.]+)(us|ms|s)" % percentile, out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _worker(args) -> tuple[int, list[float], int]:
    url, body, auth, deadline = args
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port)
    headers = {"Content-Type": CONTENT_TYPE, "Authorization": auth}
    latencies, errors, payload = [], 0, body.encode()
    while time.monotonic() < deadline:
        started = time.perf_counter()
        conn.request("POST", parts.path or "/", body=payload, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        errors += response.status != 200
    return len(latencies), latencies, errors


def _python(url, body, auth, connections, duration) -> Result:
    deadline = time.monotonic() + duration
    with multiprocessing.Pool(connections) as pool:
        results = pool.map(_worker, [(url, body, auth, deadline)] * connections)
    latencies = sorted(l for _, ls, _ in results for l in ls)
    count = sum(n for n, _, _ in results)
    return Result(count / duration, latencies[len(latencies) // 2],
                  latencies[int(len(latencies) * 0.99)], sum(e for _, _, e in results))
