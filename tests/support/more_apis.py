"""API shapes beyond plain GET pagination, for paged_server.py: request bodies and methods, a GraphQL relay
connection, a search that takes its cursor in a POSTed body, and S3's ListObjectsV2 (XML).

  /echo              any method (HEAD too): {"method", "headers": {lower-case name: value}, "body_hex", "length"}
                     (bodies up to 8 MiB);
                     HEAD gets the same head without the body
  /redirect-with     ?status=S&to=P: status S (301, 302, 303, 307, 308) with Location P, whatever the method
  /graphql           POST {"query": str, "variables": {"first": 1..1000, "after": null | endCursor, ...}} ->
                     {"data": {"repository": {"issues": {"nodes": [...], "pageInfo": {"endCursor", "hasNextPage"}}}}}
                     over the server's records; a bad cursor or missing variables: {"errors": [{"message"}], "data": null}
  /search            POST {"page_size": 1..100, "start_cursor"?: str, "query"?, "filter"?, "sort"?} (Notion) ->
                     {"object": "list", "results": [...], "next_cursor": str | null, "has_more": bool}
  /s3/bucket         GET ?list-type=2&max-keys=N&continuation-token=T: ListObjectsV2 XML over S3_OBJECTS, whose keys
                     include characters XML must escape (& < > " ')
"""

import base64
import binascii
import hashlib
import json
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
SEARCH_FIELDS = {"page_size", "start_cursor", "query", "filter", "sort"}


def s3_objects():
    """The bucket's objects in S3's listing order (by the key's UTF-8 bytes); sizes and ETags follow from the key."""
    names = [f"logs/2024/day-{day:03}.log" for day in range(1, 41)]
    names += ["a&b/report.csv", "docs/<draft>.md", "docs/it's \"quoted\".txt", "docs/x > y & z.txt", "plain.txt"]
    names += [f"photos/img-{n:04}.jpg" for n in range(1, 13)]
    objects = []
    for name in sorted(names, key=lambda key: key.encode()):
        digest = hashlib.md5(name.encode()).hexdigest()
        objects.append({"key": name, "size": 100 + len(name) * 7, "etag": f'"{digest}"'})
    return objects


S3_OBJECTS = s3_objects()


def opaque(prefix, position):
    """A cursor clients must not read: base64 of "prefix:position"."""
    return base64.b64encode(f"{prefix}:{position}".encode()).decode()


def position_of(prefix, token, limit):
    """The position a cursor of ours names, or None for anything we did not issue."""
    try:
        text = base64.b64decode(token.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    head, _, number = text.partition(":")
    if head != prefix or not number.isdigit() or int(number) > limit:
        return None
    return int(number)


def register(routes, bad_request, records, handler_class):
    """Adds the endpoints to `routes` (records: the server's list, filled in later by main) and HEAD to the handler.
    Returns the control endpoints (none)."""

    def json_body(handler):
        if handler.command != "POST":
            return None, "use POST"
        if handler.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return None, "Content-Type must be application/json"
        try:
            return json.loads(handler.body.decode()), None
        except (UnicodeDecodeError, ValueError):
            return None, "the body is not JSON"

    def echo(handler):
        length = handler.headers.get("Content-Length", "0")
        if not handler.body and length.isdigit() and 0 < int(length) <= 8 << 20:
            # paged_server.py reads bodies up to 1 MiB; a larger one (past libcurl's "Expect: 100-continue" threshold)
            # is still waiting on the socket.
            handler.body = handler.rfile.read(int(length))
        reply = {"method": handler.command, "headers": {name.lower(): value for name, value in handler.headers.items()},
                 "body_hex": handler.body.hex(), "length": len(handler.body)}
        text = json.dumps(reply).encode()
        if handler.command != "HEAD":
            handler.send_body(text)
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(text)))
        handler.end_headers()

    def redirect_with(handler):
        status = handler.number("status", 302)
        if status not in REDIRECT_STATUSES:
            raise bad_request(f"status must be one of {REDIRECT_STATUSES}")
        handler.send_body(b"", status, headers=[("Location", handler.query.get("to", "/echo"))])

    def graphql_errors(handler, message, status=200):
        handler.send_json({"errors": [{"message": message}], "data": None}, status)

    def graphql(handler):
        request, problem = json_body(handler)
        if problem:
            graphql_errors(handler, problem, 405 if handler.command != "POST" else 400)
            return
        if not isinstance(request, dict) or not isinstance(request.get("query"), str) or not request["query"]:
            graphql_errors(handler, "the body needs a query string", 400)
            return
        variables = request.get("variables")
        if not isinstance(variables, dict):
            graphql_errors(handler, "Variable $first of type Int! was not provided (no variables object)")
            return
        first, after = variables.get("first"), variables.get("after", "missing")
        if not isinstance(first, int) or isinstance(first, bool) or not 1 <= first <= 1000:
            graphql_errors(handler, "Variable $first must be an integer between 1 and 1000")
            return
        start = 0
        if after == "missing":
            graphql_errors(handler, "Variable $after was not provided")
            return
        if after is not None:
            start = position_of("cursor", after, len(records)) if isinstance(after, str) else None
            if start is None:
                graphql_errors(handler, f"`{after}` does not appear to be a valid cursor.")
                return
        nodes = records[start:start + first]
        end = start + len(nodes)
        info = {"endCursor": opaque("cursor", end) if nodes else None, "hasNextPage": end < len(records)}
        handler.send_json({"data": {"repository": {"issues": {"nodes": nodes, "pageInfo": info}}}})

    def search(handler):
        request, problem = json_body(handler)
        if problem:
            raise bad_request(problem)
        if not isinstance(request, dict) or set(request) - SEARCH_FIELDS:
            raise bad_request(f"body must be an object with fields among {sorted(SEARCH_FIELDS)}")
        size = request.get("page_size")
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 100:
            raise bad_request("page_size must be an integer between 1 and 100")
        start = 0
        if "start_cursor" in request:
            cursor = request["start_cursor"]
            start = position_of("search", cursor, len(records)) if isinstance(cursor, str) else None
            if start is None:
                raise bad_request("start_cursor is not a cursor this API gave out")
        results = records[start:start + size]
        end = start + len(results)
        more = end < len(records)
        handler.send_json({"object": "list", "results": results, "next_cursor": opaque("search", end) if more else None,
                           "has_more": more})

    def s3_error(handler, code, message):
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                f"<Message>{escape(message)}</Message></Error>").encode()
        handler.send_body(body, 400, content_type="application/xml")

    def s3_bucket(handler):
        if handler.query.get("list-type") != "2":
            s3_error(handler, "InvalidArgument", "this bucket only answers ListObjectsV2 (list-type=2)")
            return
        max_keys = handler.number("max-keys", 1000)
        if max_keys == 0 or max_keys > 1000:
            s3_error(handler, "InvalidArgument", "max-keys must be between 1 and 1000")
            return
        start = 0
        token = handler.query.get("continuation-token")
        if token is not None:
            start = position_of("s3", token, len(S3_OBJECTS))
            if start is None:
                s3_error(handler, "InvalidArgument", "The continuation token provided is incorrect")
                return
        page = S3_OBJECTS[start:start + max_keys]
        end = start + len(page)
        truncated = end < len(S3_OBJECTS)
        entities = {'"': "&quot;", "'": "&apos;"}
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
                 '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
                 f"<Name>bucket</Name><Prefix></Prefix><KeyCount>{len(page)}</KeyCount>",
                 f"<MaxKeys>{max_keys}</MaxKeys><IsTruncated>{'true' if truncated else 'false'}</IsTruncated>"]
        if token is not None:
            parts.append(f"<ContinuationToken>{escape(token)}</ContinuationToken>")
        for entry in page:
            parts.append(f"<Contents><Key>{escape(entry['key'], entities)}</Key>"
                         "<LastModified>2024-05-01T12:00:00.000Z</LastModified>"
                         f"<ETag>{escape(entry['etag'], entities)}</ETag><Size>{entry['size']}</Size>"
                         "<StorageClass>STANDARD</StorageClass></Contents>")
        if truncated:
            parts.append(f"<NextContinuationToken>{escape(opaque('s3', end))}</NextContinuationToken>")
        parts.append("</ListBucketResult>")
        handler.send_body("".join(parts).encode(), content_type="application/xml")

    head_endpoints = ("/echo",)

    def do_head(handler):
        """HEAD for the endpoints that know to leave the body out; 405 for the others, which would write one."""
        handler.body = b""
        if urlsplit(handler.path).path in head_endpoints:
            handler.do_GET()
            return
        handler.send_response(405)
        handler.send_header("Allow", "GET, POST")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    handler_class.do_HEAD = do_head
    routes.update({"/echo": echo, "/redirect-with": redirect_with, "/graphql": graphql, "/search": search,
                   "/s3/bucket": s3_bucket})
    return ()
