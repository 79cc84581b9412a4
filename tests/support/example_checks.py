#!/usr/bin/env python3
"""Runs one example of examples/ against the local server and checks what it printed and what the server saw.

    example_checks.py <example> <path to its program>      example: http_demo, github_issues, db_sync, fan_out

Each check starts example_server.py (paged_server.py and GitHub's issue list) on a free port of 127.0.0.1, runs the
program as a user would (URL and token on the command line and in the environment), and stops the server by its PID.
"""

import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import example_server  # noqa: E402  (beside this script)
import paged_server  # noqa: E402
from server_process import ServerProcess  # noqa: E402

TIMEOUT = 60


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


class Server(ServerProcess):
    """example_server.py with `arguments`, from `with` to its end."""

    def __init__(self, *arguments):
        try:
            super().__init__("example_server.py", *arguments)
        except RuntimeError as failure:
            raise CheckFailed(str(failure)) from None

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=TIMEOUT) as reply:
            return json.loads(reply.read())

    def reset(self):
        self.get("/reset")

    def faults(self, plan):
        expect(self.get("/faults?plan=" + urllib.parse.quote(json.dumps(plan)))["installed"], f"plan refused: {plan}")

    def requests(self, endpoint):
        return self.get("/stats")["endpoints"].get(endpoint, {}).get("requests", 0)


def run(program, *arguments, environment=None, status=0):
    result = subprocess.run([program, *arguments], capture_output=True, text=True, timeout=TIMEOUT,
                            env={**os.environ, **(environment or {})})
    expect(result.returncode == status, f"{os.path.basename(program)} {' '.join(arguments)}: exit status "
                                        f"{result.returncode}, expected {status}; stderr: {result.stderr.strip()!r}")
    # Sanitizers exit with status 1 too, which some runs expect: their report must not pass for the example's error.
    expect("Sanitizer" not in result.stderr and "runtime error:" not in result.stderr,
           f"a sanitizer report from {os.path.basename(program)}: {result.stderr}")
    return result


def same_lines(printed, expected, what):
    lines = printed.splitlines()
    for index, (got, want) in enumerate(zip(lines, expected)):
        expect(got == want, f"{what}: line {index + 1} is {got!r}, expected {want!r}")
    expect(len(lines) == len(expected), f"{what}: {len(lines)} lines, expected {len(expected)}; last {lines[-1:]!r}")


# --- http_demo: the four scenarios' records and requests, and streaming's heap against collecting first's.
def check_http_demo(program):
    run(program, status=2)
    with Server("--records", "2000") as server:
        printed = run(program, server.base + "/pages?per_page=50").stdout
    rows = {match[1]: (int(match[2]), int(match[3]), float(match[4]))
            for match in re.finditer(r"^(\S.*?)\s+(\d+)\s+(\d+)\s+([\d.]+) MB\s+[\d.]+ s$", printed, re.MULTILINE)}
    expected = {"all records (stream)": (2000, 40), "first 10": (10, 1), "first 5 even (filter|take)": (5, 1),
                "all records (collect first)": (2000, 40)}
    for scenario, (records, requests) in expected.items():
        expect(scenario in rows, f"no row for {scenario!r} in:\n{printed}")
        expect(rows[scenario][:2] == (records, requests),
               f"{scenario}: {rows[scenario][:2]} records and requests, expected {(records, requests)}")
    streamed, collected = rows["all records (stream)"][2], rows["all records (collect first)"][2]
    expect(streamed * 3 < collected, f"streaming peaked at {streamed} MB, collecting first at {collected} MB")
    return "http_demo: 4 scenarios with the expected records and requests; streaming's peak heap " \
           f"{streamed} MB against {collected} MB"


# --- github_issues: every issue, paced by the rate-limit headers, through a scripted 403, with the token.
ISSUE_RECORDS = 20
TOKEN = "test-token-7f3a"


def expected_issues(per_page):
    made = [example_server.issue(record) for record in paged_server.make_records(ISSUE_RECORDS)]
    shown = [i for i in made if "pull_request" not in i]
    lines = [f"#{i['number']}\t{i['state']}\t{i['user']['login']}\t{i['title']}" for i in shown]
    return lines + [f"{len(shown)} issues ({len(made) - len(shown)} pull requests left out) in "
                    f"{math.ceil(len(made) / per_page)} pages"]


def check_github_issues(program):
    run(program, "not-a-repository", status=2)
    with Server("--records", str(ISSUE_RECORDS), "--rate-limit", "3", "--token", TOKEN) as server:
        environment = {"GITHUB_API_URL": server.base, "GITHUB_TOKEN": TOKEN}
        # 4 pages under 3 requests a window: the 3rd response says none remain, so the 4th waits for the reset.
        paced = run(program, "octo/demo", "5", environment=environment)
        same_lines(paced.stdout, expected_issues(5), "paced walk")
        expect("rate limit spent" in paced.stderr, f"no word of the pause on stderr: {paced.stderr!r}")
        refusals = server.get("/github-stats")
        expect(refusals["rejected"] == 0, f"{refusals['rejected']} requests went past the rate limit and got a 403")
        issues = server.get("/stats")["endpoints"][example_server.ISSUES_PATH]
        expect(issues["requests"] == 4 and issues["with_credentials"] == 4, f"requests and credentials: {issues}")

        # GitHub's primary-limit 403 arriving anyway (another client spent the budget): waited out, nothing lost.
        server.reset()
        server.faults({"endpoint": example_server.ISSUES_PATH, "faults": [
            {"request": 1, "kind": "status", "status": 403,
             "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "{date+1}"}}]})
        throttled = run(program, "octo/demo", "10", environment=environment)
        same_lines(throttled.stdout, expected_issues(10), "walk after a 403")
        injected = server.get("/stats")["faults"][example_server.ISSUES_PATH]
        expect(injected["injected"] == 1 and injected["requests"] == 3, f"the 403 was not retried once: {injected}")
        expect(server.get("/github-stats")["rejected"] == 0, "a request after the 403 went past the rate limit")

        refused = run(program, "octo/demo", environment={**environment, "GITHUB_TOKEN": "wrong"}, status=1)
        expect("401" in refused.stderr, f"a wrong token should say 401: {refused.stderr!r}")
    return f"github_issues: all {ISSUE_RECORDS} issues, closed ones too, and pull requests sorted, paced without a " \
           "403, a 403 waited out"


# --- db_sync: an interrupted and a failed run, then the rest: every record stored exactly once.
SYNC_RECORDS, BATCH, PAGE = 1000, 70, 30


def stored_ids(database):
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT id, created_at, name FROM records ORDER BY id").fetchall()
        checkpoints = db.execute("SELECT count(*) FROM sync_checkpoint").fetchone()[0]
    wanted = {r["id"]: (r["id"], r["created_at"], r["name"]) for r in paged_server.make_records(SYNC_RECORDS)}
    for row in rows:
        expect(wanted.get(row[0]) == row, f"stored row {row} is not the server's {wanted.get(row[0])}")
    ids = [row[0] for row in rows]
    expect(ids == list(range(1, len(ids) + 1)), f"the stored ids are not 1..{len(ids)} once each (a gap or a repeat)")
    expect(checkpoints == (1 if ids else 0), f"{checkpoints} checkpoint rows for {len(ids)} records")
    return len(ids)


def check_db_sync(program):
    with Server("--records", str(SYNC_RECORDS)) as server, tempfile.TemporaryDirectory() as directory:
        database = os.path.join(directory, "sync.db")
        sync = [program, server.base + "/keyset", database, "--batch", str(BATCH), "--page-size", str(PAGE)]
        run(*sync, "--stop-after", "3")
        expect(stored_ids(database) == 3 * BATCH, "--stop-after 3 should leave exactly 3 batches")

        # A request that fails for good mid-walk: the batch being gathered is lost, the committed ones are kept.
        server.faults({"endpoint": "/keyset", "faults": [{"request": 5, "kind": "status", "status": 400}]})
        failed = run(*sync, status=1)
        expect("400" in failed.stderr, f"the failure should name the status: {failed.stderr!r}")
        after_failure = stored_ids(database)
        expect(3 * BATCH < after_failure < SYNC_RECORDS and after_failure % BATCH == 0,
               f"{after_failure} records after the failed run: whole batches past the first 3 expected")

        server.reset()
        run(*sync)
        expect(stored_ids(database) == SYNC_RECORDS, "the resumed run did not complete the table")
        resumed_requests = server.requests("/keyset")
        fresh_pages = math.ceil((SYNC_RECORDS - after_failure) / PAGE)
        expect(resumed_requests <= fresh_pages + 1, f"the resumed run made {resumed_requests} requests for "
                                                    f"{fresh_pages} pages it had not stored: it did not resume")

        server.reset()
        again = run(*sync)
        expect("0 records in 0 batches" in again.stdout and server.requests("/keyset") == 1,
               f"a finished sync run again should fetch one empty page and store nothing: {again.stdout!r}")
        expect(stored_ids(database) == SYNC_RECORDS, "the table changed on a run with nothing new")

        other = run(*sync[:-1], str(PAGE + 1), status=1)
        expect("checkpoint is refused" in other.stderr, f"another page size should be refused: {other.stderr!r}")
    return f"db_sync: {SYNC_RECORDS} records exactly once after a stop, a failed request and two resumes"


# --- fan_out: four concurrent walks complete, their requests together within the shared budget.
FAN_RECORDS, RATE, BURST, DELAY_MS = 200, 10, 2, 200
FAN_ENDPOINTS = ("/offset", "/cursor", "/stripe", "/pages")


def check_fan_out(program):
    run(program, status=2)
    with Server("--records", str(FAN_RECORDS), "--delay-ms", str(DELAY_MS)) as server:
        launched = time.monotonic()
        printed = run(program, server.base, str(RATE), str(BURST)).stdout
        elapsed = time.monotonic() - launched
        stats = server.get("/stats")
        arrived = server.get("/arrivals")["seconds"]
    pages = math.ceil(FAN_RECORDS / 50)
    for name in ("offset", "cursor", "keyset", "link"):
        line = f"{name:<8} {FAN_RECORDS:6} records, ids 1-{FAN_RECORDS}, {pages:3} pages,"
        expect(any(printed_line.startswith(line) for printed_line in printed.splitlines()),
               f"no line starting {line!r} in:\n{printed}")
    served = sum(stats["endpoints"].get(endpoint, {}).get("requests", 0) for endpoint in FAN_ENDPOINTS)
    expect(f"4 walks, {served} requests in" in printed, f"the example counted other requests than the {served} served")
    expect(len(arrived) == served, f"{len(arrived)} arrival times for {served} requests")
    # A bucket that starts full grants its k-th token no sooner than (k - burst) / rate after the first could be
    # asked for, and a request reaches the server after its grant: on the one monotonic clock of this machine, the
    # k-th arrival comes at least that long after the launch. A busy machine only makes grants and arrivals later, so
    # this cannot fail by chance (comparing arrivals with each other could: a descheduled server notes several at
    # once). Walks with a limiter each, or none, send 4 at once from the start.
    for count, arrival in enumerate(sorted(arrived), start=1):
        since_launch = arrival - launched
        expect(count <= BURST + RATE * since_launch + 1e-6,
               f"request {count} arrived {since_launch:.3f} s after the launch: over the shared budget of {RATE}/s, "
               f"burst {BURST}")
    expect(stats["max_in_flight"] >= 2, f"the walks never overlapped (max {stats['max_in_flight']} in flight)")
    return f"fan_out: 4 walks of {FAN_RECORDS} records, {served} requests in {elapsed:.2f} s within {RATE}/s " \
           f"(burst {BURST}) from the launch on, up to {stats['max_in_flight']} at once"


CHECKS = {"http_demo": check_http_demo, "github_issues": check_github_issues, "db_sync": check_db_sync,
          "fan_out": check_fan_out}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in CHECKS:
        sys.exit(__doc__)
    try:
        print(CHECKS[sys.argv[1]](sys.argv[2]))
    except CheckFailed as failure:
        print(f"example_checks: {sys.argv[1]}: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
