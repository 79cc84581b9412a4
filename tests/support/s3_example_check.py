#!/usr/bin/env python3
"""Runs examples/s3_list against the local server's S3-shaped bucket (more_apis.py) and checks what it prints.

    s3_example_check.py <path to s3_list>

Starts paged_server.py on a free port of 127.0.0.1, lists /s3/bucket 7 keys a page, and expects one "key<TAB>size"
line per object in the bucket's order, then "N objects, B bytes in P requests". Then points the example at a JSON
endpoint and expects a clear body_error (exit status 1), not a crash. The server is stopped by its PID either way.
"""

import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import more_apis  # noqa: E402  (beside this script)
from server_process import ServerProcess  # noqa: E402

PAGE = 7


def check_listing(example, base):
    result = subprocess.run([example, f"{base}/s3/bucket", str(PAGE)], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return f"exit status {result.returncode}; stderr: {result.stderr.strip()}"
    objects = more_apis.S3_OBJECTS
    expected = [f"{entry['key']}\t{entry['size']}" for entry in objects]
    total = sum(entry["size"] for entry in objects)
    expected.append(f"{len(objects)} objects, {total} bytes in {math.ceil(len(objects) / PAGE)} requests")
    printed = result.stdout.splitlines()
    if printed != expected:
        for index, (got, want) in enumerate(zip(printed, expected)):
            if got != want:
                return f"line {index + 1}: printed {got!r}, expected {want!r}"
        return f"printed {len(printed)} lines, expected {len(expected)}; last: {printed[-1:]!r}"
    return None


def check_not_xml(example, base):
    result = subprocess.run([example, f"{base}/offset?x=1", "5"], capture_output=True, text=True, timeout=60)
    if result.returncode != 1 or "expected a <ListBucketResult> document" not in result.stderr:
        return f"a JSON answer gave exit status {result.returncode} and stderr {result.stderr.strip()!r}"
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with ServerProcess("paged_server.py", "--records", "10") as server:
        problems = [problem for problem in (check_listing(sys.argv[1], server.base),
                                            check_not_xml(sys.argv[1], server.base)) if problem]
    for problem in problems:
        print(f"s3_example_check: {problem}", file=sys.stderr)
    if not problems:
        print(f"s3_list printed all {len(more_apis.S3_OBJECTS)} objects of the bucket, in order")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
