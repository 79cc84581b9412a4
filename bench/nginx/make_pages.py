#!/usr/bin/env python3
"""Writes the static pages that bench/run's nginx serves: PAGES files <dir>/<n>.json (n from 1), each a top-level JSON
array of PER_PAGE records with ids running on from page to page. A stamp file records what was written, so a rerun with
the same shape writes nothing."""

import json
import os
import sys


def main():
    directory, pages, per_page = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    stamp = os.path.join(directory, "stamp")
    shape = f"v1 pages={pages} per_page={per_page}\n"
    if os.path.exists(stamp) and open(stamp).read() == shape:
        return
    os.makedirs(directory, exist_ok=True)
    for page in range(1, pages + 1):
        first = (page - 1) * per_page + 1
        records = [{
            "id": i,
            "name": f"customer {i:07d}",
            "email": f"customer.{i:07d}@example.com",
            "created_at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
            "active": i % 3 != 0,
            "balance": round((i * 7919 % 100000) / 100, 2),
        } for i in range(first, first + per_page)]
        # Written whole then renamed: an interrupted run never leaves a half page for the next one to serve.
        path = os.path.join(directory, f"{page}.json")
        with open(path + ".tmp", "w") as out:
            json.dump(records, out, separators=(",", ":"))
        os.replace(path + ".tmp", path)
    with open(stamp, "w") as out:
        out.write(shape)


if __name__ == "__main__":
    main()
