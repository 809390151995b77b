"""The request log: one line per request, flushed in the background."""
import io
import json
import logging
import re
import time

from callfire_soap.accesslog import FLUSH_INTERVAL, AccessLog, LineFormatter

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def _collect(log_format: str = "text"):
    sink = io.StringIO()
    return sink, AccessLog(io.TextIOWrapper(io.BufferedWriter(RawCollector(sink)),
                                            encoding="utf-8"), log_format)


def _lines(sink, count: int) -> list[str]:
    deadline = time.monotonic() + 10 * FLUSH_INTERVAL
    while sink.getvalue().count("\n") < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return sink.getvalue().splitlines()


def test_one_line_per_request_reaches_the_stream_within_the_flush_interval():
    sink, log = _collect()
    log.request("POST", "/api/1.1/soap12/contact", "400", "GetContact", "ann", "NOT_FOUND",
                1.234)
    log.request("GET", "/api/1.1/wsdl/callfire-data.xsd", "200", None, None, None, 0.1)
    first, second = _lines(sink, 2)
    assert first.endswith(" INFO POST /api/1.1/soap12/contact 400 operation=GetContact "
                          "login=ann fault=NOT_FOUND 1.2ms")
    assert STAMP.fullmatch(first.split(" ")[0])
    assert second.endswith(" INFO GET /api/1.1/wsdl/callfire-data.xsd 200 operation=- "
                           "login=- fault=- 0.1ms")


def test_a_fault_is_not_an_error_but_a_failure_of_the_server_is():
    sink, log = _collect()
    log.request("POST", "/api/1.1/soap12/text", "500", "SendText", "ann", "NOT_IMPLEMENTED", 1)
    log.request("POST", "/api/1.1/soap12/text", "500", "SendText", "ann", "UNAVAILABLE", 1)
    log.request("POST", "/api/1.1/soap12/text", "500", None, None, None, 1)
    assert [line.split(" ")[1] for line in _lines(sink, 3)] == ["INFO", "ERROR", "ERROR"]


def test_json_lines_carry_the_same_fields():
    sink, log = _collect("json")
    log.request("POST", "/api/1.1/soap12/contact", "400", "GetContact", "ann", "NOT_FOUND",
                1.234)
    (line,) = _lines(sink, 1)
    fields = json.loads(line)
    assert STAMP.fullmatch(fields.pop("time"))
    assert fields == {"level": "INFO", "method": "POST", "path": "/api/1.1/soap12/contact",
                      "status": 400, "operation": "GetContact", "login": "ann",
                      "fault": "NOT_FOUND", "duration_ms": 1.2}


def test_logging_module_lines_share_the_timestamp_and_shape():
    record = logging.LogRecord("_granian", logging.INFO, __file__, 1, "Listening at: %s",
                               ("http://127.0.0.1:8080",), None)
    stamp, level, rest = LineFormatter().format(record).split(" ", 2)
    assert STAMP.fullmatch(stamp) and level == "INFO"
    assert rest == "granian: Listening at: http://127.0.0.1:8080"
    fields = json.loads(LineFormatter("json").format(record))
    assert STAMP.fullmatch(fields["time"])
    assert fields["message"] == "Listening at: http://127.0.0.1:8080"


class RawCollector(io.RawIOBase):
    """Bytes written through the log's buffer land in ``sink`` as text."""

    def __init__(self, sink):
        self.sink = sink

    def writable(self):
        return True

    def write(self, data):
        self.sink.write(bytes(data).decode())
        return len(data)
