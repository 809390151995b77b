"""The request log: one line per request, flushed in the background."""
import io
import time

from callfire_soap.accesslog import FLUSH_INTERVAL, AccessLog


def test_one_line_per_request_reaches_the_stream_within_the_flush_interval():
    sink = io.StringIO()
    log = AccessLog(io.TextIOWrapper(io.BufferedWriter(RawCollector(sink)), encoding="utf-8"))
    log.request("POST", "/api/1.1/soap12/contact", "200", 7, 1.234)
    log.request("GET", "/api/1.1/wsdl/callfire-data.xsd", "200", "-", 0.1)
    deadline = time.monotonic() + 10 * FLUSH_INTERVAL
    while sink.getvalue().count("\n") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    first, second = sink.getvalue().splitlines()
    assert first.endswith(" POST /api/1.1/soap12/contact 200 account=7 1.2ms")
    assert time.strptime(first[:19], "%Y-%m-%d %H:%M:%S")
    assert second.endswith(" GET /api/1.1/wsdl/callfire-data.xsd 200 account=- 0.1ms")


class RawCollector(io.RawIOBase):
    """Bytes written through the log's buffer land in ``sink`` as text."""

    def __init__(self, sink):
        self.sink = sink

    def writable(self):
        return True

    def write(self, data):
        self.sink.write(bytes(data).decode())
        return len(data)
