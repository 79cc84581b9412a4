#!/usr/bin/env python3
"""Runs tools/paged-export against real HTTP servers and checks everything it writes.

    paged_export_check.py <path to paged-export> [check name ...]

Starts tests/support/paged_server.py (RECORDS records) on a free port of 127.0.0.1, and an in-process server of this
script for records with awkward text (CSV quoting) or keys (starting with '/'), for the exact Authorization header
received and for error bodies that quote it; both are stopped at the end, the first by its PID. Each check returns a
list of problems; the script fails if any check has one.

The SIGKILL checks kill an export with --checkpoint, restart it with the same command and expect every record exactly
once, in order. Two ways, neither timed by a sleep:
  * from outside: the server holds one chosen request for seconds (a "slow" fault); the script waits until the
    checkpoint shows every page before it committed (the export is then waiting for that request) and kills -9;
  * from inside: PAGED_EXPORT_CRASH_AT=<point>:<n> makes the export SIGKILL itself at the n-th pass through a step
    of its commit (mid-page, output synced, checkpoint written but not renamed, renamed).
"""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from server_process import ServerProcess  # noqa: E402  (tests/support)
RECORDS = 600
TOKEN = "tok-3f9a7c1e-secret"
TIMEOUT = 60

USAGE, WALK_FAILED, CHECKPOINT_REFUSED, OUTPUT_FAILED = 2, 1, 3, 4


def record(i):
    """paged_server.py's record i (its make_records)."""
    return {"id": i, "created_at": 1_700_000_000 + i // 3, "name": f"record {i}"}


def ndjson_line(value):
    """What the tool writes for a record: compact JSON, keys sorted (nlohmann::json's order)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


EXPECTED_NDJSON = "".join(ndjson_line(record(i)) for i in range(1, RECORDS + 1))

# Text that CSV must quote, for the in-process server's /awkward.
AWKWARD = [
    {"id": 1, "text": "comma, inside", "quote": 'say "hi"', "lines": "one\r\ntwo\nthree", "nested": {"a": [1, 2]},
     "none": None, "flag": True, "unicode": "caf\u00e9 \u2713"},
    {"id": 2, "text": "plain", "quote": "", "lines": "", "nested": [], "none": None, "flag": False, "unicode": "x"},
]


SLASHED_PAGES = 3


def slashed(i):
    """Record i of /slashed: its key "/k" is a name, not a JSON Pointer to "k"."""
    return {"/k": f"slash {i}", "id": i, "k": f"plain {i}"}


# The library quotes at most 200 bytes of an error body, then "...": /echo?shape=cut makes that cut fall 10 bytes into
# the credential.
EXCERPT_LIMIT, CUT_INTO_CREDENTIAL = 200, 10


def echoed_body(shape, credential):
    """An error body quoting the credential the request carried, as servers do."""
    if shape == "json":
        return json.dumps({"error": "bad credential", "seen": credential})
    if shape == "cut":
        lead = "rejected credential: "
        return lead.rjust(EXCERPT_LIMIT - CUT_INTO_CREDENTIAL, "x") + credential + " (expired)"
    if shape == "bearer-cut":  # only 4 bytes of it, after the header's scheme
        return "Authorization: Bearer ".rjust(EXCERPT_LIMIT - 4, "x") + credential
    return f"rejected credential {credential} (expired)"


class LocalHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    authorizations = []

    def log_message(self, format, *args):
        pass

    def send(self, status, body, headers=()):
        body = body.encode()
        self.send_response(status)
        for name, value in [("Content-Type", "application/json"), *headers]:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        LocalHandler.authorizations.append(self.headers.get("Authorization"))
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        if parts.path == "/slashed":  # 2 records a page, linked by Link headers
            page = int(query.get("page", "1"))
            more = [("Link", f'<{parts.path}?page={page + 1}>; rel="next"')] if page < SLASHED_PAGES else []
            self.send(200, json.dumps([slashed(i) for i in (2 * page - 1, 2 * page)]), more)
        elif parts.path == "/echo":
            credential = self.headers.get("Authorization", "").removeprefix("Bearer ")
            self.send(400, echoed_body(query.get("shape"), credential))
        else:
            self.send(200, json.dumps(AWKWARD))


class Context:
    def __init__(self, tool, base, local_base, work):
        self.tool, self.base, self.local_base, self.work = tool, base, local_base, work
        self.env = {**os.environ, "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"}
        self.env.pop("PAGED_EXPORT_CRASH_AT", None)
        self.sanitizer_reports = []  # a sanitizer's report fails the check, whatever the exit status expected

    def screened(self, args, stderr):
        if any(sign in stderr for sign in ("Sanitizer", "runtime error:")):
            self.sanitizer_reports.append(f"{list(args)!r}: {stderr[-2000:]}")

    def path(self, name):
        return os.path.join(self.work, name)

    def run(self, *args, env=None, timeout=TIMEOUT):
        result = subprocess.run([self.tool, *args], capture_output=True, text=True, timeout=timeout,
                                env={**self.env, **(env or {})})
        self.screened(args, result.stderr)
        return result

    def start(self, *args):
        return subprocess.Popen([self.tool, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env)

    def control(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as reply:
            return json.load(reply)

    def faults(self, endpoint, *faults):
        plan = json.dumps({"endpoint": endpoint, "faults": list(faults)})
        self.control("/faults?plan=" + urllib.parse.quote(plan))

    def requests(self, endpoint):
        return self.control("/stats")["endpoints"].get(endpoint, {}).get("requests", 0)


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def outcome(result, status=0):
    """Problems with an exit status and its stderr."""
    if result.returncode != status:
        return [f"exit status {result.returncode}, expected {status}; stderr: {result.stderr.strip()[-600:]}"]
    return []


def same_text(got, expected, what):
    if got == expected:
        return []
    got_lines, expected_lines = got.splitlines(True), expected.splitlines(True)
    for n, (a, b) in enumerate(zip(got_lines, expected_lines)):
        if a != b:
            return [f"{what}: line {n + 1} is {a!r}, expected {b!r}"]
    return [f"{what}: {len(got_lines)} lines, expected {len(expected_lines)} (last: {got_lines[-1:]!r})"]


# --- output of each strategy


def check_link_ndjson(c):
    result = c.run(f"{c.base}/pages?per_page=25")
    return outcome(result) + same_text(result.stdout, EXPECTED_NDJSON, "link walk")


def check_offset_csv(c):
    out = c.path("offset.csv")
    result = c.run("--strategy", "offset", "--page-size", "40", "--format", "csv", "-o", out, f"{c.base}/offset")
    problems = outcome(result)
    if problems:
        return problems
    text = read(out)
    expected = "created_at,id,name\r\n" + "".join(f"{r['created_at']},{r['id']},{r['name']}\r\n"
                                                  for r in map(record, range(1, RECORDS + 1)))
    return same_text(text, expected, "offset CSV")


def check_page_number(c):
    result = c.run("-s", "page", "--page-size", "50", "--position-param", "page", "--size-param", "per_page",
                   f"{c.base}/pages")
    return outcome(result) + same_text(result.stdout, EXPECTED_NDJSON, "page-number walk")


def check_cursor_prefetch(c):
    result = c.run("-s", "cursor", "--page-size", "45", "--prefetch", "2", f"{c.base}/cursor")
    return outcome(result) + same_text(result.stdout, EXPECTED_NDJSON, "cursor walk with --prefetch 2")


def check_keyset(c):
    result = c.run("-s", "keyset", "--items", "", "--has-more", "", "--key", "created_at=after_created_at",
                   "--key", "id=after_id", "--page-size", "35", f"{c.base}/keyset")
    return outcome(result) + same_text(result.stdout, EXPECTED_NDJSON, "keyset walk")


def check_offset_concurrency_and_rate(c):
    result = c.run("-s", "offset", "--page-size", "60", "--concurrency", "4", "--rate", "500", f"{c.base}/offset")
    return outcome(result) + same_text(result.stdout, EXPECTED_NDJSON, "offset walk with --concurrency 4")


def check_csv_quoting(c):
    out = c.path("awkward.csv")
    result = c.run("-f", "csv", "--fields", "id,text,quote,lines,nested,none,flag,unicode,missing", "-o", out,
                   f"{c.local_base}/awkward")
    problems = outcome(result)
    if problems:
        return problems
    raw = read(out)
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    expected = [["id", "text", "quote", "lines", "nested", "none", "flag", "unicode", "missing"],
                ["1", "comma, inside", 'say "hi"', "one\r\ntwo\nthree", '{"a":[1,2]}', "", "true", "caf\u00e9 \u2713",
                 ""],
                ["2", "plain", "", "", "[]", "", "false", "x", ""]]
    if rows != expected:
        problems.append(f"CSV read back as {rows!r}, expected {expected!r}")
    if not raw.startswith('id,text,quote,lines,nested,none,flag,unicode,missing\r\n1,"comma, inside","say ""hi"""'):
        problems.append(f"CSV is not RFC 4180 (CRLF, quotes doubled): {raw[:120]!r}")
    return problems


def check_csv_resume_keeps_slashed_keys(c):
    """CSV columns from the first record's keys, one of them "/k": a resume reads the same keys, not JSON Pointers."""
    out, checkpoint = c.path("slashed.csv"), c.path("slashed.ckpt")
    args = ["-f", "csv", "-o", out, "--checkpoint", checkpoint, f"{c.local_base}/slashed"]
    crashed = c.run(*args, env={"PAGED_EXPORT_CRASH_AT": "checkpoint-renamed:1"})
    problems = [] if crashed.returncode == -signal.SIGKILL else [f"the crash run ended with {crashed.returncode}"]
    resumed = c.run(*args)
    problems += outcome(resumed)
    if "resuming after 2 records" not in resumed.stderr:
        problems.append(f"the second run did not resume: {resumed.stderr!r}")
    expected = "/k,id,k\r\n" + "".join(f"slash {i},{i},plain {i}\r\n" for i in range(1, 2 * SLASHED_PAGES + 1))
    return problems + same_text(read(out), expected, "CSV resumed after the first page")


def check_fields_projection(c):
    result = c.run("--fields", "name,/id", "--take", "2", f"{c.base}/pages?per_page=10")
    expected = "".join(ndjson_line({"name": f"record {i}", "/id": i}) for i in (1, 2))
    return outcome(result) + same_text(result.stdout, expected, "--fields on NDJSON")


# --- take, filter, token


def check_take_is_lazy(c):
    c.control("/reset")
    result = c.run("--take", "5", f"{c.base}/pages?per_page=50")
    expected = "".join(ndjson_line(record(i)) for i in range(1, 6))
    problems = outcome(result) + same_text(result.stdout, expected, "--take 5")
    if c.requests("/pages") != 1:
        problems.append(f"--take 5 of 50-record pages made {c.requests('/pages')} requests, expected 1")
    return problems


def check_filter(c):
    by_number = c.run("--filter", "created_at=1700000003", f"{c.base}/pages?per_page=100")
    by_text = c.run("--filter", "name=record 77", "-s", "offset", f"{c.base}/offset")
    both = c.run("--filter", "created_at=1700000100", "--filter", "/id=302", f"{c.base}/pages?per_page=100")
    taken = c.run("--filter", "created_at=1700000004", "--take", "2", f"{c.base}/pages?per_page=100")
    return (outcome(by_number) + same_text(by_number.stdout, "".join(ndjson_line(record(i)) for i in (9, 10, 11)),
                                           "--filter created_at=1700000003")
            + outcome(by_text) + same_text(by_text.stdout, ndjson_line(record(77)), "--filter 'name=record 77'")
            + outcome(both) + same_text(both.stdout, ndjson_line(record(302)), "two --filter")
            + outcome(taken) + same_text(taken.stdout, ndjson_line(record(12)) + ndjson_line(record(13)),
                                         "--filter with --take 2"))


def check_token(c):
    LocalHandler.authorizations.clear()
    result = c.run("--token-env", "EXPORT_TOKEN", f"{c.local_base}/awkward", env={"EXPORT_TOKEN": TOKEN})
    problems = outcome(result)
    if LocalHandler.authorizations != [f"Bearer {TOKEN}"]:
        problems.append(f"the server received Authorization {LocalHandler.authorizations!r}")
    c.control("/reset")
    walk = c.run("--token-env", "EXPORT_TOKEN", "--progress", f"{c.base}/pages?per_page=100",
                 env={"EXPORT_TOKEN": TOKEN})
    stats = c.control("/stats")["endpoints"].get("/pages", {})
    if stats.get("with_credentials") != 6 or stats.get("requests") != 6:
        problems.append(f"a 6-page walk sent credentials with {stats!r}")
    for run in (result, walk):
        if TOKEN in run.stdout + run.stderr:
            problems.append("the token was printed")
    return problems + outcome(walk)


def check_token_stays_home(c):
    """A next link to another origin (localhost instead of 127.0.0.1) is refused: the token does not go there."""
    c.control("/reset")
    other = c.base.replace("127.0.0.1", "localhost")
    result = c.run("--token-env", "EXPORT_TOKEN", f"{c.base}/pages?per_page=100&next_base={other}",
                   env={"EXPORT_TOKEN": TOKEN})
    problems = outcome(result, WALK_FAILED)
    if "--allow-origin" not in result.stderr or TOKEN in result.stderr:
        problems.append(f"refusing another origin said: {result.stderr.strip()!r}")
    if c.requests("/pages") != 1:
        problems.append(f"the walk made {c.requests('/pages')} requests, expected 1 (the hop is refused)")
    echoed = c.run("--token-env", "EXPORT_TOKEN", f"{c.base}/echo-headers", env={"EXPORT_TOKEN": TOKEN})
    if echoed.returncode != WALK_FAILED or TOKEN in echoed.stderr:
        problems.append(f"a server quoting the header in an error body: {echoed.returncode}, {echoed.stderr!r}")
    return problems


def quoting_server(c, shape, token, *options):
    """Runs an export whose server answers 400 with an error body quoting the token (see echoed_body)."""
    return c.run("--token-env", "EXPORT_TOKEN", *options, f"{c.local_base}/echo?shape={shape}",
                 env={"EXPORT_TOKEN": token}, timeout=10)


def check_token_quoted_back(c):
    """A server quoting the token whole, JSON-escaped, or cut short by the library's excerpt: none of it is printed."""
    problems = []
    escaped_token = 'tok"7Qz\\secret-99'  # JSON escapes both the quote and the backslash
    cases = [("bare", TOKEN, [TOKEN]), ("cut", TOKEN, [TOKEN[:CUT_INTO_CREDENTIAL]]),
             ("json", escaped_token, ["7Qz", "secret-99"]), ("cut", escaped_token, ['tok"7Q']),
             ("bearer-cut", TOKEN, [f"Bearer {TOKEN[:4]}"])]
    for shape, token, leaks in cases:
        result = quoting_server(c, shape, token)
        problems += outcome(result, WALK_FAILED)
        if "answered 400" not in result.stderr or any(leak in result.stderr for leak in leaks):
            problems.append(f"a server quoting {token!r} ({shape}) made it say {result.stderr.strip()!r}")
    header = c.run("-H", f"Authorization: token {TOKEN}", f"{c.local_base}/echo?shape=bare", timeout=10)
    if header.returncode != WALK_FAILED or TOKEN in header.stderr:
        problems.append(f"an Authorization given with -H was quoted back as {header.stderr.strip()!r}")
    return problems


def check_token_inside_the_mask(c):
    """Tokens that are part of what replaces them: masking ends, and the message is still printed."""
    problems = []
    for token in ("token", "hidden", "hid", "<"):
        try:
            result = quoting_server(c, "bare", token)
        except subprocess.TimeoutExpired:
            problems.append(f"masking the token {token!r} did not end")
            continue
        problems += outcome(result, WALK_FAILED)
        if "answered 400" not in result.stderr:
            problems.append(f"with the token {token!r} the failure said {result.stderr.strip()!r}")
    return problems


def check_url_password_hidden(c):
    """user:password@ in the URL: neither is printed, on retry lines, walk failures or usage errors."""
    host = c.base.removeprefix("http://")
    c.faults("/offset", {"request": 2, "kind": "status", "status": 503, "retry_after": "0"})
    retried = c.run("-s", "offset", "--page-size", "300", "--progress", f"http://bob:pa55w0rd@{host}/offset")
    problems = outcome(retried) + same_text(retried.stdout, EXPECTED_NDJSON, "a walk with a password in its URL")
    if f"retry: attempt 1 at {c.base}/offset" not in retried.stderr:
        problems.append(f"the retry line did not name the URL without its password: {retried.stderr!r}")
    failed = c.run(f"http://bob:pa55w0rd@{host}/status?code=404")
    problems += outcome(failed, WALK_FAILED)
    refused = c.run("http://bob:pa55w0rd@127.0.0.1:99999999/offset")
    problems += outcome(refused, USAGE)
    for result in (retried, failed, refused):
        if "pa55w0rd" in result.stderr or "bob" in result.stderr:
            problems.append(f"the URL's userinfo was printed: {result.stderr.strip()!r}")
    return problems


# --- progress and retries


def check_progress_with_total(c):
    c.faults("/offset", {"request": 3, "kind": "status", "status": 503, "retry_after": "0"})
    result = c.run("-s", "offset", "--page-size", "100", "--progress", f"{c.base}/offset")
    c.control("/reset")
    problems = outcome(result) + same_text(result.stdout, EXPECTED_NDJSON, "a walk with a retry")
    for wanted in ("/600 records", "100%", "retry: attempt 1", "status 503", "1 retry",
                   "done: 600 records written, 600 read, 6 pages, 1 retry in"):
        if wanted not in result.stderr:
            problems.append(f"progress lacks {wanted!r}: {result.stderr!r}")
    ranged = c.run("-s", "offset", "--page-size", "250", "--progress", f"{c.base}/offset-range")
    if "[========================] 100% 600/600 records" not in ranged.stderr:
        problems.append(f"progress with a Content-Range total: {ranged.stderr!r}")
    return problems + outcome(ranged)


def check_progress_without_total(c):
    result = c.run("-s", "cursor", "--page-size", "200", "--progress", f"{c.base}/cursor")
    problems = outcome(result)
    if "records/s" not in result.stderr or "600 records, 3 pages" not in result.stderr or "%" in result.stderr:
        problems.append(f"progress without a total: {result.stderr!r}")
    quiet = c.run("-q", f"{c.base}/pages?per_page=100")
    if quiet.stderr or quiet.stdout != EXPECTED_NDJSON:
        problems.append(f"--quiet wrote {quiet.stderr!r} to stderr")
    return problems


# --- errors


def check_usage_errors(c):
    problems = []
    cases = [
        (["--bogus", c.base], "unknown option '--bogus'"),
        ([], "no URL given"),
        (["-s", "sideways", c.base], "--strategy expects"),
        (["--page-size", "10", c.base + "/pages"], "--page-size applies to --strategy offset, page, cursor, keyset"),
        (["--concurrency", "4", "-s", "cursor", c.base], "--concurrency applies to --strategy offset, page"),
        (["--checkpoint", c.path("x.ckpt"), c.base], "--checkpoint needs --output"),
        (["--take", "ten", c.base], "--take expects a whole number"),
        (["--filter", "novalue", c.base], "--filter expects FIELD=VALUE"),
        (["--token-env", "PAGED_EXPORT_UNSET_VARIABLE", c.base], "PAGED_EXPORT_UNSET_VARIABLE: that environment"),
        (["--progress", "--quiet", c.base], "contradict"),
        (["not a url at all"], "bad URL"),
        (["-s", "offset", "--items", "/a~9", c.base], "not a JSON Pointer"),
        (["--fields", "id,/a~9", "-o", c.path("never-created"), c.base], "not a field name or a JSON Pointer"),
        (["--prefetch", "5000", c.base], "--prefetch must be from 0 to 1000"),
        (["--retry-delay", "1e300", c.base], "--retry-delay expects a positive number up to 3600"),
        (["-o", c.path("same"), "--checkpoint", os.path.join(c.work, ".", "same"), c.base], "the checkpoint's file"),
        (["-o", c.path("linked/same"), "--checkpoint", c.path("same"), c.base], "the checkpoint's file"),
        (["-o", c.path("same.tmp"), "--checkpoint", c.path("same"), c.base], "its temporary"),
    ]
    os.symlink(c.work, c.path("linked"))
    for args, message in cases:
        result = c.run(*args)
        if result.returncode != USAGE or message not in result.stderr or result.stdout:
            problems.append(f"{args!r}: exit {result.returncode}, stderr {result.stderr.strip()!r}")
    if os.path.exists(c.path("never-created")):
        problems.append("a usage error created the output file")
    if c.run("--help").returncode != 0 or "Usage: paged-export" not in c.run("--help").stdout:
        problems.append("--help does not print the usage")
    if any(os.path.exists(c.path(name)) for name in ("same", "same.tmp")):
        problems.append("an --output refused as the checkpoint's file was created")
    return problems


def check_walk_failures(c):
    missing = c.run(f"{c.base}/status?code=404")
    problems = outcome(missing, WALK_FAILED)
    if "404" not in missing.stderr:
        problems.append(f"a 404 said {missing.stderr!r}")
    refused = c.run("--retries", "0", "http://127.0.0.1:9/offset", "-s", "offset")
    problems += outcome(refused, WALK_FAILED)
    unwritable = c.run("-o", c.path("no-such-dir/out.ndjson"), f"{c.base}/pages")
    problems += outcome(unwritable, OUTPUT_FAILED)
    return problems


def check_failure_keeps_records_written(c):
    """The third page fails: the 200 records before it, counted as written, are in the output (file or stdout)."""
    problems = []
    out = c.path("failed-late.ndjson")
    expected = "".join(ndjson_line(record(i)) for i in range(1, 201))
    for to_file in (True, False):
        c.faults("/pages", {"request": 3, "kind": "status", "status": 404})
        result = c.run("--progress", *(["-o", out] if to_file else []), f"{c.base}/pages?per_page=100")
        c.control("/reset")
        problems += outcome(result, WALK_FAILED)
        if "failed: 200 records written" not in result.stderr:
            problems.append(f"the failure said {result.stderr.strip()!r}")
        problems += same_text(read(out) if to_file else result.stdout, expected,
                              "output of a walk failing at its third page" + (" (file)" if to_file else ""))
    return problems


def check_checkpoint_unwritable(c):
    """The checkpoint cannot be written (its temporary file's name is taken by a directory): an I/O failure, exit 4,
    and no claim that anything was committed."""
    out, checkpoint = c.path("no-commit.out"), c.path("no-commit.ckpt")
    os.mkdir(checkpoint + ".tmp")
    result = c.run("-s", "offset", "--page-size", "100", "-o", out, "--checkpoint", checkpoint, f"{c.base}/offset")
    problems = outcome(result, OUTPUT_FAILED)
    if "cannot create checkpoint" not in result.stderr or "holds the pages" in result.stderr:
        problems.append(f"a checkpoint that cannot be written said {result.stderr.strip()!r}")
    if os.path.exists(checkpoint):
        problems.append("a checkpoint was written")
    return problems


# --- checkpoints and SIGKILL


def checkpoint_of(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def wait_for_commit(export, checkpoint, written):
    """Until the checkpoint counts `written` records (or the export ended): polls the file the export commits to."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and export.poll() is None:
        saved = checkpoint_of(checkpoint)
        if saved and saved["written"] >= written:
            return saved["written"]
        time.sleep(0.002)
    return None


def killed_at(c, args, checkpoint, request, written):
    """Starts the export with the `request`-th request of this run held by the server, SIGKILLs it once `written`
    records are committed (it is then waiting for that request), and says what went wrong."""
    endpoint = "/" + args[-1].rsplit("/", 1)[1].split("?")[0]
    c.faults(endpoint, {"request": request, "kind": "slow", "delay_ms": 4000})
    export = c.start(*args)
    committed = wait_for_commit(export, checkpoint, written)
    export.send_signal(signal.SIGKILL)
    c.screened(args, export.communicate()[1])
    c.control("/reset")
    if committed != written:
        return [f"{args!r}: the checkpoint reached {committed} records, expected {written} before the held request"]
    if export.returncode != -signal.SIGKILL:
        return [f"{args!r}: ended by itself ({export.returncode}) before the kill"]
    return []


def export_survives_kills(c, name, args, kills):
    """Kills the export at each (request, written) of `kills`, restarting it each time, then lets it finish."""
    out, checkpoint = c.path(name + ".out"), c.path(name + ".ckpt")
    full = [*args[:-1], "-o", out, "--checkpoint", checkpoint, args[-1]]
    problems = []
    for request, written in kills:
        problems += killed_at(c, full, checkpoint, request, written)
        if len(read(out).splitlines()) < written:
            problems.append(f"{name}: the output holds fewer records than the checkpoint counts")
    result = c.run(*full)
    problems += outcome(result)
    if kills and "resuming after" not in result.stderr:
        problems.append(f"{name}: the restart did not resume: {result.stderr!r}")
    return problems + same_text(read(out), EXPECTED_NDJSON, f"{name} after {len(kills)} SIGKILLs")


def check_sigkill_offset(c):
    # Page size 20: the 11th request is held once 200 records are committed; after the restart, whose first request
    # is page 11, its 8th (page 18) once 340 are.
    return export_survives_kills(c, "offset-kill", ["-s", "offset", "--page-size", "20", f"{c.base}/offset"],
                                 [(11, 200), (8, 340)])


def check_sigkill_cursor_prefetch(c):
    # With --prefetch 2 the pages before the held one are still written and committed.
    return export_survives_kills(c, "cursor-kill", ["-s", "cursor", "--page-size", "30", "--prefetch", "2",
                                                    f"{c.base}/cursor"], [(7, 180), (10, 450)])


def check_sigkill_keyset(c):
    return export_survives_kills(c, "keyset-kill", ["-s", "keyset", "--items", "", "--has-more", "", "--key",
                                                    "created_at=after_created_at", "--key", "id=after_id",
                                                    "--page-size", "25", f"{c.base}/keyset"], [(5, 100)])


def crash_then_finish(c, name, args, point, expected):
    out, checkpoint = c.path(name + ".out"), c.path(name + ".ckpt")
    full = [*args[:-1], "-o", out, "--checkpoint", checkpoint, args[-1]]
    crashed = c.run(*full, env={"PAGED_EXPORT_CRASH_AT": point})
    problems = []
    if crashed.returncode != -signal.SIGKILL:
        problems.append(f"{name}: PAGED_EXPORT_CRASH_AT={point} ended with {crashed.returncode}: {crashed.stderr!r}")
    finished = c.run(*full)
    problems += outcome(finished)
    c.control("/reset")
    again = c.run(*full)  # complete: nothing to do, nothing fetched or touched
    if again.returncode != 0 or "complete" not in again.stderr or c.requests("/offset"):
        problems.append(f"{name}: a third run said {again.returncode} {again.stderr!r} after "
                        f"{c.requests('/offset')} requests")
    return problems + same_text(read(out), expected, f"{name} killed at {point}")


def check_crash_points(c):
    args = ["-s", "offset", "--page-size", "50", f"{c.base}/offset"]
    problems = []
    for point in ("record:75", "output-synced:3", "checkpoint-temp:3", "checkpoint-renamed:3", "record:1"):
        problems += crash_then_finish(c, "crash-" + point.replace(":", "-"), args, point, EXPECTED_NDJSON)
    return problems


def check_crash_points_csv(c):
    args = ["-s", "offset", "--page-size", "50", "-f", "csv", f"{c.base}/offset"]
    expected = "created_at,id,name\r\n" + "".join(f"{r['created_at']},{r['id']},{r['name']}\r\n"
                                                  for r in map(record, range(1, RECORDS + 1)))
    problems = []
    for point in ("output-synced:1", "checkpoint-renamed:2", "record:120"):
        problems += crash_then_finish(c, "csv-crash-" + point.replace(":", "-"), args, point, expected)
    taken = [*args[:-1], "--take", "130", args[-1]]
    problems += crash_then_finish(c, "csv-take-crash", taken, "checkpoint-renamed:2",
                                  "".join(expected.splitlines(True)[:131]))
    return problems


def check_checkpoint_refusals(c):
    out, checkpoint = c.path("refuse.out"), c.path("refuse.ckpt")
    args = ["-s", "offset", "--page-size", "50", "-o", out, "--checkpoint", checkpoint, f"{c.base}/offset"]
    crashed = c.run(*args, env={"PAGED_EXPORT_CRASH_AT": "checkpoint-renamed:4"})
    problems = [] if crashed.returncode == -signal.SIGKILL else [f"the crash run ended with {crashed.returncode}"]
    other_walk = c.run(*[a if a != "50" else "40" for a in args])
    problems += outcome(other_walk, CHECKPOINT_REFUSED)
    other_output = c.run("-f", "csv", *args)
    problems += outcome(other_output, CHECKPOINT_REFUSED)
    saved = checkpoint_of(checkpoint)
    with open(out, "r+b") as f:
        f.truncate(saved["output_bytes"] - 1)
    shortened = c.run(*args)
    problems += outcome(shortened, CHECKPOINT_REFUSED)
    with open(checkpoint, "w") as f:
        f.write("{not json")
    garbled = c.run(*args)
    problems += outcome(garbled, CHECKPOINT_REFUSED)
    return problems


CHECKS = [check_link_ndjson, check_offset_csv, check_page_number, check_cursor_prefetch, check_keyset,
          check_offset_concurrency_and_rate, check_csv_quoting, check_csv_resume_keeps_slashed_keys,
          check_fields_projection, check_take_is_lazy, check_filter, check_token, check_token_stays_home,
          check_token_quoted_back, check_token_inside_the_mask, check_url_password_hidden, check_progress_with_total,
          check_progress_without_total, check_usage_errors, check_walk_failures, check_failure_keeps_records_written,
          check_sigkill_offset, check_sigkill_cursor_prefetch, check_sigkill_keyset, check_crash_points,
          check_crash_points_csv, check_checkpoint_refusals, check_checkpoint_unwritable]


def run_checks(chosen, base, local_base):
    """Runs each check, printing its problems; returns how many failed."""
    failures = 0
    with tempfile.TemporaryDirectory(prefix="paged-export-check-") as work:
        c = Context(os.path.abspath(sys.argv[1]), base, local_base, work)
        for check in chosen:
            started = time.monotonic()
            try:
                problems = check(c)
            except Exception as problem:  # a check that breaks is a failure, and the others still run
                problems = [f"raised {problem!r}"]
            problems += [f"sanitizer report from {report}" for report in c.sanitizer_reports]
            c.sanitizer_reports.clear()
            c.control("/reset")
            status = "ok" if not problems else "FAILED"
            print(f"{status:6} {check.__name__} ({time.monotonic() - started:.2f} s)")
            for problem in problems:
                print(f"       {problem}")
            failures += bool(problems)
    return failures


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    chosen = [check for check in CHECKS if len(sys.argv) == 2 or check.__name__ in sys.argv[2:]]
    server = local = None
    try:
        server = ServerProcess("paged_server.py", "--records", str(RECORDS))
        base = server.base
        local = ThreadingHTTPServer(("127.0.0.1", 0), LocalHandler)
        threading.Thread(target=local.serve_forever, daemon=True).start()
        failures = run_checks(chosen, base, f"http://127.0.0.1:{local.server_address[1]}")
    finally:
        if local is not None:
            local.shutdown()
            local.server_close()
        if server is not None:
            server.stop()
    print(f"paged_export_check: {len(chosen) - failures} of {len(chosen)} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
