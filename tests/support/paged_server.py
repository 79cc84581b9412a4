#!/usr/bin/env python3
"""A local paginated API for paged's integration tests and demo: python3's standard library only.

Serves the same records (id 1..N, created_at repeating in runs of three, name) through every pagination style paged
walks, counts requests and connections per endpoint, can delay responses (?delay_ms=) and injects scripted faults. It
binds 127.0.0.1 on a free port and prints "listening on <port>" as its first line, then serves until killed or until its
parent exits. Every response carries exactly one Date header.

  /offset          ?limit&offset            X-Total-Count, top-level array
  /offset-range    ?limit&offset            Content-Range: items a-b/N
  /pages           ?per_page&page (from 1)  Link: rel next/prev/first/last (absolute URLs), top-level array
  /cursor          ?limit&cursor            {"data": [...], "next_cursor": "..." | null}
  /stripe          ?limit&starting_after    {"object": "list", "data": [...], "has_more": bool}
  /keyset          ?limit&after_created_at&after_id   top-level array, a short page ends it
  /next-in-body    ?per_page&page           {"data": [...], "links": {"next": url | null}}
  /stats, /reset   the counters (and injected fault counts) as JSON; zero them and drop every fault plan
  /faults?plan=P   install the JSON fault plan P for one endpoint, replacing its previous plan and restarting its count:
                     {"endpoint": "/offset", "faults": [{"request": 2, "kind": "status", "status": 429}, ...]}
                       faults the 2nd request to /offset since the plan was installed (every request counts)
                     {"endpoint": "/offset", "random": {"rate": 0.2, "seed": 7, "kinds": [{"kind": "reset"}, ...]}}
                       faults each request with probability rate, random.Random(seed) drawing in arrival order
                   kinds, each with optional "headers": {name: value} ("{date+N}" in a value: the Date's epoch + N)
                     status               {"status": 503} JSON error body; "retry_after": sent verbatim,
                                          "retry_after_date": N sends the Date + N seconds as an IMF-fixdate
                     reset                the real response's head and half its body, then a TCP RST
                     short_body           the real response's head and half its body, then a normal close
                     slow                 {"delay_ms": 1000} sleep, then the real response
                     rate_limit_headers   the real response with the extra headers
  /echo-headers    the request's headers as JSON
  /gzip            a gzip-encoded JSON array
  /big?bytes=N     N bytes of JSON string (&unsized=1: without Content-Length)
  /truncated       announces more bytes than it sends, then closes
  /hang-up         closes the connection without answering
  /redirect?to=P   302 to P;  /redirect-loop  302 to itself
  ?redirect_base=O on any endpoint: 302 to the same request at origin O;  ?next_base=O on /pages, /next-in-body:
                   next links at origin O;  ?fold=1 on /pages: the Link field folded over lines (obs-fold)
  /status?code=C   that status with a JSON body
  /live/...        a list that the tests change between pages: see live_data.py
  /echo, /redirect-with, /graphql, /search, /s3/bucket   request bodies and methods, GraphQL, a POSTed search and
                   S3 ListObjectsV2 XML: see more_apis.py (which also answers HEAD)
POST, PUT, PATCH and DELETE reach the same endpoints, with the body in self.body.
"""

import argparse
import bisect
import gzip
import json
import os
import random
import re
import socket
import ssl
import struct
import subprocess
import tempfile
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import live_data  # beside this script
import more_apis


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.endpoints = {}
            self.in_flight = getattr(self, "in_flight", 0)  # requests of earlier tests may still be in progress
            self.max_in_flight = self.in_flight
            # Per endpoint too, so that a slow request left over from an earlier test does not count.
            self.endpoint_in_flight = {}

    def request(self, endpoint, new_connection, credentials):
        with self.lock:
            entry = self.endpoints.setdefault(endpoint, {"requests": 0, "connections": 0, "max_in_flight": 0,
                                                         "with_credentials": 0})
            entry["requests"] += 1
            if credentials:
                entry["with_credentials"] += 1
            if new_connection:
                entry["connections"] += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            now = self.endpoint_in_flight[endpoint] = self.endpoint_in_flight.get(endpoint, 0) + 1
            entry["max_in_flight"] = max(entry["max_in_flight"], now)
            return self.endpoint_in_flight

    def done(self, endpoint, generation):
        with self.lock:
            self.in_flight -= 1
            generation[endpoint] -= 1  # the generation it was counted in, even if /reset came meanwhile

    def snapshot(self):
        with self.lock:
            return {"endpoints": json.loads(json.dumps(self.endpoints)), "max_in_flight": self.max_in_flight}


COUNTERS = Counters()
SCHEME = ["http"]
CREDENTIAL_HEADERS = ("Authorization", "X-Api-Key", "Cookie")
RECORDS = []
KEYS = []  # (created_at, id) of each record, in order: keyset pages start by binary search


def make_records(count):
    return [{"id": i, "created_at": 1_700_000_000 + i // 3, "name": f"record {i}"} for i in range(1, count + 1)]


class BadRequest(Exception):
    pass


CONTROL = ("/stats", "/reset", "/faults")  # neither counted nor faultable
FAULT_FIELDS = {"kind", "request", "status", "retry_after", "retry_after_date", "headers", "delay_ms"}
FAULT_KINDS = ("status", "reset", "short_body", "slow", "rate_limit_headers")


def checked_fault(fault, scripted):
    """`fault` with its defaults, or BadRequest: a typo in a plan must fail the test, not silently inject nothing."""
    if not isinstance(fault, dict) or fault.get("kind") not in FAULT_KINDS:
        raise BadRequest(f"every fault needs a kind among {', '.join(FAULT_KINDS)}: {json.dumps(fault)}")
    unknown = set(fault) - (FAULT_FIELDS if scripted else FAULT_FIELDS - {"request"})
    if unknown:
        raise BadRequest(f"unknown fault fields {', '.join(sorted(unknown))}: {json.dumps(fault)}")
    given, fault = fault, {"status": 503, "delay_ms": 1000, "headers": {}, **fault}
    checks = [
        ("request", not scripted or isinstance(fault.get("request"), int) and fault["request"] >= 1,
         "a positive integer: the n-th request to the endpoint since the plan was installed"),
        ("status", isinstance(fault["status"], int) and 100 <= fault["status"] <= 599, "an HTTP status code"),
        ("retry_after", isinstance(fault.get("retry_after", ""), (str, int)), "a string, sent verbatim"),
        ("retry_after_date", isinstance(fault.get("retry_after_date", 0), int), "an integer number of seconds"),
        ("delay_ms", isinstance(fault["delay_ms"], (int, float)) and fault["delay_ms"] >= 0, "a non-negative number"),
        ("headers", isinstance(fault["headers"], dict)
         and all(isinstance(value, (str, int)) for value in fault["headers"].values()), "an object of header values"),
    ]
    for name, ok, meaning in checks:
        if not ok:
            raise BadRequest(f"fault field {name} must be {meaning}: {json.dumps(given)}")
    return fault


class Faults:
    """The fault plan of each endpoint, its request count since installed, and what it injected."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.plans = {}

    def install(self, text):
        try:
            plan = json.loads(text)
        except json.JSONDecodeError as problem:
            raise BadRequest(f"plan is not JSON: {problem}")
        if not isinstance(plan, dict) or plan.get("endpoint") not in ROUTES or plan["endpoint"] in CONTROL:
            raise BadRequest("plan needs an endpoint: the path of a served endpoint other than /stats, /reset, /faults")
        if not {"faults", "random"} & set(plan) or set(plan) - {"endpoint", "faults", "random"}:
            raise BadRequest('plan takes an endpoint and "faults": [...] and/or "random": {...}, nothing else')
        scripted = plan.get("faults", [])
        if not isinstance(scripted, list):
            raise BadRequest('"faults" must be a list of faults, each with a "request" number')
        script = {}
        for fault in scripted:
            fault = checked_fault(fault, scripted=True)
            if script.setdefault(fault["request"], fault) is not fault:
                raise BadRequest(f"two faults for request {fault['request']}")
        rng = None
        if "random" in plan:
            spec = plan["random"]
            if (not isinstance(spec, dict) or set(spec) - {"rate", "seed", "kinds"}
                    or not isinstance(spec.get("rate"), (int, float)) or not 0 <= spec["rate"] <= 1
                    or not isinstance(spec.get("seed", 0), int)
                    or not isinstance(spec.get("kinds"), list) or not spec["kinds"]):
                raise BadRequest('"random" must be {"rate": 0..1, "seed": integer, "kinds": [fault, ...] (not empty)}')
            rng = (random.Random(spec.get("seed", 0)), spec["rate"],
                   [checked_fault(fault, scripted=False) for fault in spec["kinds"]])
        with self.lock:
            self.plans[plan["endpoint"]] = {"script": script, "random": rng, "requests": 0, "injected": 0,
                                            "by_kind": {}}

    def next(self, endpoint):
        """The fault for this request to `endpoint`, or None."""
        with self.lock:
            plan = self.plans.get(endpoint)
            if plan is None:
                return None
            plan["requests"] += 1
            fault = None
            if plan["random"]:
                rng, rate, kinds = plan["random"]
                if rng.random() < rate:  # drawn for every request, so the sequence depends only on the seed
                    fault = rng.choice(kinds)
            fault = plan["script"].get(plan["requests"], fault)
            if fault:
                plan["injected"] += 1
                plan["by_kind"][fault["kind"]] = plan["by_kind"].get(fault["kind"], 0) + 1
            return fault

    def snapshot(self):
        with self.lock:
            return {endpoint: {"requests": plan["requests"], "injected": plan["injected"],
                               "by_kind": dict(plan["by_kind"])} for endpoint, plan in self.plans.items()}


FAULTS = Faults()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves a whole walk

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm holds the body back until the
        # client's delayed ACK (40 ms a page).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.endpoints_seen = set()  # a connection counts once for each endpoint it serves

    def log_message(self, format, *args):
        pass

    def send_response(self, code, message=None):
        # The base class's version reads the clock for its Date header itself: this one keeps the second it sent, so
        # Retry-After dates and {date+N} values agree with the response's one and only Date header.
        self.log_request(code)
        self.send_response_only(code, message)
        self.date = int(time.time())
        self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string(self.date))

    def do_POST(self):
        # The request's body, for the endpoints that read one (self.command tells them the method).
        length = self.headers.get("Content-Length", "0")
        self.body = self.rfile.read(int(length)) if length.isdigit() and int(length) <= 1 << 20 else b""
        self.do_GET()

    do_PUT = do_PATCH = do_DELETE = do_POST

    def do_GET(self):
        if not hasattr(self, "body") or self.command == "GET":
            self.body = b""
        parts = urlsplit(self.path)
        self.endpoint = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        counted = self.endpoint not in CONTROL
        if counted:
            credentials = any(name in self.headers for name in CREDENTIAL_HEADERS)
            self.generation = COUNTERS.request(self.endpoint, self.endpoint not in self.endpoints_seen, credentials)
            self.endpoints_seen.add(self.endpoint)
        fault = FAULTS.next(self.endpoint) if counted else None
        self.captured = [] if fault else None  # a faulted response is built first, then sent as the fault has it
        try:
            if fault and fault["kind"] == "slow":
                time.sleep(fault["delay_ms"] / 1000)
            if fault and fault["kind"] == "status":
                self.send_json({"error": f"injected fault: status {fault['status']}"}, fault["status"])
            elif "redirect_base" in self.query:
                self.redirect_elsewhere()
            else:
                self.route()
            if self.captured:
                self.send_faulted(fault, *self.captured[0])
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up on this response (a size cap, a cancelled walk)
        finally:
            if counted:
                COUNTERS.done(self.endpoint, self.generation)

    def route(self):
        try:
            delay = self.number("delay_ms", 0)
            if delay:
                time.sleep(delay / 1000)
            route = ROUTES.get(self.endpoint)
            if route is None:
                self.send_json({"error": "no such endpoint"}, 404)
            else:
                route(self)
        except BadRequest as problem:
            self.send_json({"error": str(problem)}, 400)

    def send_faulted(self, fault, status, headers, body):
        self.send_response(status)
        extra = list(fault["headers"].items())
        if "retry_after" in fault:
            extra.append(("Retry-After", fault["retry_after"]))
        if "retry_after_date" in fault:
            extra.append(("Retry-After", self.date_time_string(self.date + fault["retry_after_date"])))
        for name, value in headers + extra:
            self.send_header(name, re.sub(r"\{date([+-]\d+)\}", lambda m: str(self.date + int(m[1])), str(value)))
        self.end_headers()
        if fault["kind"] not in ("reset", "short_body"):
            self.wfile.write(body)
            return
        self.wfile.write(body[:len(body) // 2])
        self.close_connection = True
        if fault["kind"] == "reset":
            # Linger 0 turns close() into an RST. Close now: shutdown_request() would send a FIN first. The socket
            # object only closes its descriptor once rfile, a makefile() of it, is closed too.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()

    # --- helpers
    def number(self, name, default):
        text = self.query.get(name)
        if text is None:
            return default
        if not text.isdigit():
            raise BadRequest(f"{name} must be a non-negative integer")
        return int(text)

    def page_size(self, name, default=10, maximum=1000):
        size = self.number(name, default)
        if size == 0:
            raise BadRequest(f"{name} must be positive")
        return min(size, maximum)

    def url_with(self, **params):
        """This endpoint's absolute URL with `params`, keeping delay_ms (a slow walk stays slow), fold, and next_base
        (links that lead to another origin: "http://127.0.0.1:PORT")."""
        keep = {k: self.query[k] for k in ("delay_ms", "fold", "next_base") if k in self.query}
        base = self.query.get("next_base") or f"{SCHEME[0]}://{self.headers.get('Host', '127.0.0.1')}"
        return f"{base}{self.endpoint}?{urlencode({**keep, **params})}"

    def send_body(self, body, status=200, headers=(), content_type="application/json"):
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers]
        if self.captured is not None:
            self.captured.append((status, headers, body))
            return
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, value, status=200, headers=()):
        self.send_body(json.dumps(value).encode(), status, headers)

    # --- pagination styles
    def offset(self):
        limit, offset = self.page_size("limit"), self.number("offset", 0)
        self.send_json(RECORDS[offset:offset + limit], headers=[("X-Total-Count", str(len(RECORDS)))])

    def offset_range(self):
        limit, offset = self.page_size("limit"), self.number("offset", 0)
        items = RECORDS[offset:offset + limit]
        span = f"{offset}-{offset + len(items) - 1}" if items else "*"
        self.send_json(items, headers=[("Content-Range", f"items {span}/{len(RECORDS)}")])

    def numbered_page(self):
        per_page, page = self.page_size("per_page", 30, 100), self.number("page", 1)
        if page == 0:
            raise BadRequest("page starts at 1")
        last = max(1, -(-len(RECORDS) // per_page))
        return RECORDS[(page - 1) * per_page:page * per_page], page, per_page, last

    def pages(self):
        items, page, per_page, last = self.numbered_page()
        links = []
        if page > 1:
            links.append(f'<{self.url_with(per_page=per_page, page=page - 1)}>; rel="prev"')
        if page < last:
            links.append(f'<{self.url_with(per_page=per_page, page=page + 1)}>; rel="next"')
        links.append(f'<{self.url_with(per_page=per_page, page=last)}>; rel="last"')
        links.append(f'<{self.url_with(per_page=per_page, page=1)}>; rel="first"')
        # fold=1 folds the field over several lines (obs-fold, RFC 9112 5.2), as some old servers do.
        separator = ",\r\n " if self.query.get("fold") == "1" else ", "
        self.send_json(items, headers=[("Link", separator.join(links))])

    def next_in_body(self):
        items, page, per_page, last = self.numbered_page()
        following = self.url_with(per_page=per_page, page=page + 1) if page < last else None
        self.send_json({"data": items, "links": {"next": following}})

    def cursor(self):
        limit = self.page_size("limit")
        token = self.query.get("cursor", "c0")
        if not token.startswith("c") or not token[1:].isdigit() or int(token[1:]) > len(RECORDS):
            raise BadRequest("invalid cursor")
        start = int(token[1:])
        end = min(start + limit, len(RECORDS))
        self.send_json({"data": RECORDS[start:end], "next_cursor": f"c{end}" if end < len(RECORDS) else None})

    def stripe(self):
        limit = self.page_size("limit", 10, 100)
        after = self.query.get("starting_after")
        start = 0
        if after is not None:
            if not after.isdigit() or not 1 <= int(after) <= len(RECORDS):
                raise BadRequest("no such object")
            start = int(after)  # ids are positions + 1
        items = RECORDS[start:start + limit]
        self.send_json({"object": "list", "url": self.endpoint, "data": items,
                        "has_more": start + len(items) < len(RECORDS)})

    def keyset(self):
        limit = self.page_size("limit")
        created, ident = self.query.get("after_created_at"), self.query.get("after_id")
        if (created is None) != (ident is None):
            raise BadRequest("send after_created_at and after_id together")
        start = 0
        if created is not None:
            if not created.isdigit() or not ident.isdigit():
                raise BadRequest("keys must be integers")
            mark = (int(created), int(ident))
            start = bisect.bisect_right(KEYS, mark)
        self.send_json(RECORDS[start:start + limit])

    # --- control and failure modes
    def stats(self):
        self.send_json({**COUNTERS.snapshot(), "faults": FAULTS.snapshot()})

    def reset(self):
        COUNTERS.reset()
        FAULTS.reset()
        self.send_json({"reset": True})

    def faults(self):
        if "plan" not in self.query:
            raise BadRequest("send the fault plan as ?plan=<url-encoded JSON>")
        FAULTS.install(self.query["plan"])
        self.send_json({"installed": True})

    def echo_headers(self):
        self.send_json({name.lower(): value for name, value in self.headers.items()})

    def gzipped(self):
        self.send_body(gzip.compress(json.dumps(RECORDS[:5]).encode()), headers=[("Content-Encoding", "gzip")])

    def big(self):
        size = self.number("bytes", 1000)
        body = b'"' + b"x" * max(0, size - 2) + b'"'
        if self.query.get("unsized") == "1":
            # No Content-Length: the body ends when the connection closes, so only counting bytes can stop it.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        else:
            self.send_body(body)

    def truncated(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b'[{"id": 1}')
        self.close_connection = True

    def hang_up(self):
        self.close_connection = True

    def redirect(self):
        self.send_body(b"", 302, headers=[("Location", self.query.get("to", "/offset"))])

    def redirect_elsewhere(self):
        """?redirect_base=ORIGIN on any endpoint: 302 to the same request at ORIGIN, without that parameter."""
        rest = {k: v for k, v in self.query.items() if k != "redirect_base"}
        location = f"{self.query['redirect_base']}{self.endpoint}?{urlencode(rest)}"
        self.send_body(b"", 302, headers=[("Location", location)])

    def redirect_loop(self):
        self.send_body(b"", 302, headers=[("Location", "/redirect-loop")])

    def status(self):
        code = self.number("code", 500)
        self.send_json({"status": code}, code)


ROUTES = {
    "/offset": Handler.offset, "/offset-range": Handler.offset_range, "/pages": Handler.pages,
    "/next-in-body": Handler.next_in_body, "/cursor": Handler.cursor, "/stripe": Handler.stripe,
    "/keyset": Handler.keyset, "/stats": Handler.stats, "/reset": Handler.reset, "/faults": Handler.faults,
    "/echo-headers": Handler.echo_headers, "/gzip": Handler.gzipped, "/big": Handler.big,
    "/truncated": Handler.truncated, "/hang-up": Handler.hang_up, "/redirect": Handler.redirect,
    "/redirect-loop": Handler.redirect_loop, "/status": Handler.status,
}
CONTROL += live_data.register(ROUTES, BadRequest)
CONTROL += more_apis.register(ROUTES, BadRequest, RECORDS, Handler)


class QuietServer(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a walk that opens 8 connections at once (walk_options().concurrency)
    # had its 6th SYN dropped and retried by the kernel a second later.
    request_queue_size = 64

    def handle_error(self, request, client_address):
        """A client that drops a kept-alive connection (a cancelled walk, a test's end) is not a server error."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def exit_with_parent(parent):
    """Never outlive the test or demo that started this server, even if it crashed."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def self_signed_context(cert_file):
    """A fresh certificate for 127.0.0.1; written to cert_file too when given, for a client to trust (ca_file)."""
    with tempfile.TemporaryDirectory() as directory:
        key, cert = os.path.join(directory, "key.pem"), os.path.join(directory, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if cert_file:
            with open(cert, "rb") as source, open(cert_file, "wb") as target:
                target.write(source.read())
        return context


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls", action="store_true", help="HTTPS with a self-signed certificate")
    parser.add_argument("--cert-file", help="with --tls: where to write the certificate (PEM) for clients to trust")
    options = parser.parse_args()
    RECORDS.extend(make_records(options.records))
    KEYS.extend((r["created_at"], r["id"]) for r in RECORDS)
    server = QuietServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    if options.tls:
        server.socket = self_signed_context(options.cert_file).wrap_socket(server.socket, server_side=True)
        SCHEME[0] = "https"
    threading.Thread(target=exit_with_parent, args=(os.getppid(),), daemon=True).start()
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
