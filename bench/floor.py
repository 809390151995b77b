"""The floor: a bare WSGI app that parses the request with lxml and answers a
fixed data:Contact.  No framework, no database: what the HTTP server and XML
parsing alone cost, so every figure of the real server has a yardstick."""
from lxml import etree

_BODY = (b"<?xml version='1.0' encoding='UTF-8'?>\n"
         b'<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
         b'xmlns:data="http://api.callfire.com/data"><env:Body>'
         b'<data:Contact id="1" firstName="Ann" homePhone="13105551212"/>'
         b"</env:Body></env:Envelope>")
_HEADERS = [("Content-Type", "application/soap+xml; charset=utf-8"),
            ("Content-Length", str(len(_BODY)))]


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    etree.fromstring(environ["wsgi.input"].read(length))
    start_response("200 OK", _HEADERS)
    return [_BODY]
