"""A list that changes while it is walked, for paged_server.py: the tests insert and delete rows between pages (or
between a stop and a resume) and check what each strategy hands out.

Rows are {"id", "created_at", "name"}, kept ordered by (created_at, id). /live/reset makes rows 1..N with created_at
1000 + (id - 1) // run, so `run` rows share each timestamp; inserted rows take the next unused id.

  /live/reset?records=N&run=R        the list as above (default 100 rows, run 3)
  /live/insert?created_at=C&count=K  K new rows at timestamp C (after the rows already there: their ids are larger)
  /live/delete?ids=3,17              those rows
  /live/offset       ?limit&offset                 top-level array, X-Total-Count
                     &total=range: Content-Range "items 0-9/100" instead; &total=none: no total at all
  /live/pages        ?per_page&page                top-level array, Link rel="next" while there is more
                     &stuck=1: the next link changes a parameter the server ignores, so every page is the first
                     &twice=1: each page's next link first points to the same page again (&again=1), then onward
  /live/keyset       ?limit&after_created_at&after_id   rows after the pair (strict)
                     ?limit&created_at_gte=C             rows with created_at >= C (inclusive, as json-server's _gte),
                                                         X-Total-Count: how many rows that filter matches
                     &cap=K: never more than K rows a page, whatever limit asks
"""

import bisect
import threading
from urllib.parse import urlencode

LOCK = threading.Lock()
ROWS = []  # ordered by (created_at, id)
NEXT_ID = [1]


def reset_rows(count, run):
    with LOCK:
        ROWS.clear()
        ROWS.extend({"id": i, "created_at": 1000 + (i - 1) // run, "name": f"record {i}"} for i in range(1, count + 1))
        NEXT_ID[0] = count + 1


def keys():
    return [(row["created_at"], row["id"]) for row in ROWS]


def register(routes, bad_request):
    def number(handler, name, default):
        text = handler.query.get(name)
        if text is None:
            return default
        if not text.isdigit():
            raise bad_request(f"{name} must be a non-negative integer")
        return int(text)

    def size(handler, name):
        value = number(handler, name, 10)
        if value == 0:
            raise bad_request(f"{name} must be positive")
        return min(value, number(handler, "cap", 1000))

    def reset(handler):
        run = number(handler, "run", 3)
        if run == 0:
            raise bad_request("run must be positive")
        reset_rows(number(handler, "records", 100), run)
        handler.send_json({"rows": len(ROWS)})

    def insert(handler):
        count = number(handler, "count", 1)
        with LOCK:
            created = number(handler, "created_at", None)
            if created is None:
                raise bad_request("send created_at")
            added = []
            for _ in range(count):
                row = {"id": NEXT_ID[0], "created_at": created, "name": f"inserted {NEXT_ID[0]}"}
                NEXT_ID[0] += 1
                ROWS.insert(bisect.bisect_right(keys(), (row["created_at"], row["id"])), row)
                added.append(row["id"])
        handler.send_json({"inserted": added})

    def delete(handler):
        text = handler.query.get("ids", "")
        try:
            ids = {int(part) for part in text.split(",") if part}
        except ValueError:
            raise bad_request("ids must be integers separated by commas")
        with LOCK:
            before = len(ROWS)
            ROWS[:] = [row for row in ROWS if row["id"] not in ids]
            removed = before - len(ROWS)
        handler.send_json({"deleted": removed})

    def offset(handler):
        limit, start = size(handler, "limit"), number(handler, "offset", 0)
        with LOCK:
            items, total = ROWS[start:start + limit], len(ROWS)
        style = handler.query.get("total", "count")
        if style == "count":
            headers = [("X-Total-Count", str(total))]
        elif style == "range":
            shown = f"{start}-{start + len(items) - 1}" if items else "*"
            headers = [("Content-Range", f"items {shown}/{total}")]
        elif style == "none":
            headers = []
        else:
            raise bad_request("total must be count, range or none")
        handler.send_json(items, headers=headers)

    def pages(handler):
        per_page, page = size(handler, "per_page"), number(handler, "page", 1)
        if page == 0:
            raise bad_request("page starts at 1")
        if handler.query.get("stuck") == "1":
            page = 1  # the link below moves `p`, which this server does not read
        with LOCK:
            items = ROWS[(page - 1) * per_page:page * per_page]
            more = page * per_page < len(ROWS)
        keep = {k: handler.query[k] for k in ("stuck", "twice", "cap") if k in handler.query}
        base = f"http://{handler.headers.get('Host', '127.0.0.1')}{handler.endpoint}?"
        following = None
        if handler.query.get("stuck") == "1":
            following = {**keep, "per_page": per_page, "page": 1, "p": number(handler, "p", 1) + 1}
        elif handler.query.get("twice") == "1" and handler.query.get("again") != "1":
            following = {**keep, "per_page": per_page, "page": page, "again": 1}
        elif more:
            following = {**keep, "per_page": per_page, "page": page + 1}
        headers = [("Link", f'<{base}{urlencode(following)}>; rel="next"')] if following and items else []
        handler.send_json(items, headers=headers)

    def keyset(handler):
        limit = size(handler, "limit")
        created, ident = handler.query.get("after_created_at"), handler.query.get("after_id")
        since = handler.query.get("created_at_gte")
        with LOCK:
            order = keys()
            start = 0
            if created is not None or ident is not None:
                if created is None or ident is None or not created.isdigit() or not ident.isdigit():
                    raise bad_request("send after_created_at and after_id together, as integers")
                start = bisect.bisect_right(order, (int(created), int(ident)))
            elif since is not None:
                if not since.isdigit():
                    raise bad_request("created_at_gte must be an integer")
                start = bisect.bisect_left(order, (int(since), -1))
            items, matching = ROWS[start:start + limit], len(ROWS) - start
        # Like json-server: the count of rows the filter matches, which tells an inclusive walk where the list ends.
        handler.send_json(items, headers=[("X-Total-Count", str(matching))] if since is not None else [])

    reset_rows(100, 3)
    routes.update({"/live/reset": reset, "/live/insert": insert, "/live/delete": delete, "/live/offset": offset,
                   "/live/pages": pages, "/live/keyset": keyset})
    return ("/live/reset", "/live/insert", "/live/delete")  # control endpoints: not counted, not faultable
