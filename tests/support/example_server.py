#!/usr/bin/env python3
"""paged_server.py plus what the examples' tests need, for examples/*: started and read like paged_server.py
("listening on <port>" first), with every endpoint of it and these additions:

  /repos/octo/demo/issues   GitHub's issue list: ?state (open, the default as on GitHub, closed or all) &per_page
                            (1..100, default 30) &page (from 1), a Link header (next, last, first, prev),
                            GitHub-shaped issues (every 3rd closed; every 4th a pull request, as GitHub's issues
                            endpoint mixes them in), and GitHub's primary rate limit (--rate-limit)
  --rate-limit N            the issues endpoint grants N requests per window; each response carries
                            X-RateLimit-Limit/-Remaining/-Used/-Reset (epoch seconds, the window's end, at most a
                            second away); a request with nothing remaining gets GitHub's 403 and is counted as rejected
  --token T                 with a token, an Authorization other than "Bearer T" gets GitHub's 401 (no Authorization:
                            anonymous, allowed)
  --delay-ms N              every request to a served endpoint waits N ms first, so that concurrent walks overlap
  /github-stats             {"rejected": n, "unauthorised": m}: the issues endpoint's refusals
  /arrivals                 {"seconds": [...]}: when each request to a served endpoint arrived (time.monotonic(),
                            before any delay), in arrival order: for checks of a rate over any span
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paged_server  # noqa: E402  (beside this script)

ISSUES_PATH = "/repos/octo/demo/issues"
SETTINGS = {"rate_limit": None, "token": None, "delay_ms": 0}


def issue(record):
    """The GitHub issue made of a server record: the test computes what the example must print from the same."""
    number = record["id"]
    made = {"number": number, "title": f"Issue {number}: {record['name']}",
            "state": "closed" if number % 3 == 0 else "open", "user": {"login": f"user{number % 7}"},
            "html_url": f"https://github.com/octo/demo/issues/{number}"}
    if number % 4 == 0:
        made["pull_request"] = {"url": f"https://api.github.com/repos/octo/demo/pulls/{number}"}
    return made


class RateWindow:
    """GitHub's primary limit, scaled down: `limit` requests until `reset` (epoch seconds), then a fresh window."""

    def __init__(self):
        self.lock = threading.Lock()
        self.remaining = 0
        self.reset = 0
        self.rejected = 0

    def take(self, limit):
        """(granted, remaining, reset) for one request now."""
        with self.lock:
            now = time.time()
            if now >= self.reset:
                self.remaining, self.reset = limit, int(now) + 1
            if self.remaining == 0:
                self.rejected += 1
                return False, 0, self.reset
            self.remaining -= 1
            return True, self.remaining, self.reset


WINDOW = RateWindow()
UNAUTHORISED = [0]


def rate_headers(limit, remaining, reset):
    return [("X-RateLimit-Limit", str(limit)), ("X-RateLimit-Remaining", str(remaining)),
            ("X-RateLimit-Used", str(limit - remaining)), ("X-RateLimit-Reset", str(reset)),
            ("X-RateLimit-Resource", "core")]


def issues(handler):
    token = SETTINGS["token"]
    given = handler.headers.get("Authorization")
    if token is not None and given is not None and given != f"Bearer {token}":
        UNAUTHORISED[0] += 1
        handler.send_json({"message": "Bad credentials", "status": "401"}, 401)
        return
    headers = []
    limit = SETTINGS["rate_limit"]
    if limit is not None:
        granted, remaining, reset = WINDOW.take(limit)
        headers = rate_headers(limit, remaining, reset)
        if not granted:
            handler.send_json({"message": "API rate limit exceeded for 127.0.0.1.", "status": "403"}, 403, headers)
            return
    items, links = issue_page(handler)
    if links:
        headers.append(("Link", ", ".join(links)))
    handler.send_json(items, headers=headers)


def issue_page(handler):
    """The issues of the requested page among those in the requested state, and the Link header's parts."""
    state = handler.query.get("state", "open")
    if state not in ("open", "closed", "all"):
        raise paged_server.BadRequest("state must be open, closed or all")
    listed = [made for made in map(issue, paged_server.RECORDS) if state in ("all", made["state"])]
    per_page, page = handler.page_size("per_page", 30, 100), handler.number("page", 1)
    if page == 0:
        raise paged_server.BadRequest("page starts at 1")
    last = max(1, -(-len(listed) // per_page))
    kept = {"state": state} if "state" in handler.query else {}  # GitHub's links repeat the filter asked for

    def link(to_page, rel):
        return f'<{handler.url_with(**kept, per_page=per_page, page=to_page)}>; rel="{rel}"'
    links = []
    if page < last:
        links += [link(page + 1, "next"), link(last, "last")]
    if page > 1:
        links += [link(page - 1, "prev"), link(1, "first")]
    return listed[(page - 1) * per_page:page * per_page], links


def github_stats(handler):
    handler.send_json({"rejected": WINDOW.rejected, "unauthorised": UNAUTHORISED[0]})


ARRIVALS = []
ARRIVALS_LOCK = threading.Lock()


def arrivals(handler):
    with ARRIVALS_LOCK:
        handler.send_json({"seconds": list(ARRIVALS)})


def timed_and_delayed(route):
    def noted_route(handler):
        if handler.endpoint not in paged_server.CONTROL:
            with ARRIVALS_LOCK:
                ARRIVALS.append(time.monotonic())
            time.sleep(SETTINGS["delay_ms"] / 1000)
        route(handler)
    return noted_route


def take_option(arguments, name, convert):
    """Removes `name value` from arguments and returns the converted value (None when absent)."""
    if name not in arguments:
        return None
    at = arguments.index(name)
    if at + 1 == len(arguments):
        sys.exit(f"example_server: {name} needs a value")
    value = arguments[at + 1]
    del arguments[at:at + 2]
    try:
        return convert(value)
    except ValueError:
        sys.exit(f"example_server: {name} {value!r} is not valid")


def main():
    arguments = sys.argv[1:]
    SETTINGS["rate_limit"] = take_option(arguments, "--rate-limit", int)
    SETTINGS["token"] = take_option(arguments, "--token", str)
    SETTINGS["delay_ms"] = take_option(arguments, "--delay-ms", int) or 0
    if SETTINGS["rate_limit"] is not None and SETTINGS["rate_limit"] < 1:
        sys.exit("example_server: --rate-limit must be at least 1")
    routes = paged_server.ROUTES
    routes[ISSUES_PATH] = issues
    routes["/github-stats"] = github_stats
    routes["/arrivals"] = arrivals
    paged_server.CONTROL += ("/github-stats", "/arrivals")
    paged_server.Handler.route = timed_and_delayed(paged_server.Handler.route)
    sys.argv = [sys.argv[0], *arguments]  # the rest is paged_server.py's own (--records, --port)
    return paged_server.main()


if __name__ == "__main__":
    sys.exit(main())
