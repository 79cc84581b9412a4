// The same walk as bench/macro/http_throughput.cpp, written the way a Node service would: an async generator over
// Node's built-in fetch (undici, keep-alive), each page parsed whole with response.json() and its items converted to
// the same record shape (every field checked for its type, as paged's from_json does with .at().get_to()).
//
//     node bench/node/walk.mjs <url> [rounds] [results.json]
//
// Prints pages/s per round and the median; the peak RSS of the whole process (all rounds) is in the results, and
// bench/run also reads it from /usr/bin/time -v.

import { writeFileSync } from "node:fs";

const PER_PAGE = 100;

class Record {
  constructor(item) {
    this.id = field(item, "id", "number");
    this.name = field(item, "name", "string");
    this.email = field(item, "email", "string");
    this.createdAt = field(item, "created_at", "string");
    this.active = field(item, "active", "boolean");
    this.balance = field(item, "balance", "number");
  }
}

function field(item, name, type) {
  const value = item[name];
  if (typeof value !== type) throw new TypeError(`record field ${name}: expected a ${type}, got ${typeof value}`);
  return value;
}

// Pages from 1 until X-Total-Count is reached or a page comes back short.
async function* records(base) {
  let total = Infinity;
  for (let page = 1; (page - 1) * PER_PAGE < total; ++page) {
    const url = `${base}?page=${page}&per_page=${PER_PAGE}`;
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`GET ${url}: status ${response.status}`);
    const count = response.headers.get("x-total-count");
    if (count !== null) total = Number(count);
    const batch = await response.json();
    for (const item of batch) yield new Record(item);
    if (batch.length < PER_PAGE) return;
  }
}

async function walk(base) {
  const started = process.hrtime.bigint();
  let seen = 0;
  let idSum = 0;
  for await (const record of records(base)) {
    ++seen;
    idSum += record.id;
  }
  return { seen, idSum, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const [base, roundsText = "5", out] = process.argv.slice(2);
if (!base) {
  console.error("usage: node walk.mjs <url> [rounds] [results.json]");
  process.exit(2);
}
const reference = await walk(base);  // untimed, as the C++ walks' first one
const pages = reference.seen / PER_PAGE;
const rates = [];
for (let round = 0; round < Number(roundsText); ++round) {
  const { seen, idSum, seconds } = await walk(base);
  if (seen !== reference.seen || idSum !== reference.idSum) throw new Error(`round ${round + 1} saw other records`);
  rates.push(pages / seconds);
  console.log(`round ${round + 1}: node fetch ${rates.at(-1).toFixed(0).padStart(8)} pages/s`);
}
const summary = {
  pages,
  records: reference.seen,
  rounds: rates,
  pages_per_s: median(rates),
  peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  node: process.version,
};
console.log(`median: node fetch ${summary.pages_per_s.toFixed(0)} pages/s, peak RSS ${summary.peak_rss_mb.toFixed(1)} MB`);
if (out) writeFileSync(out, JSON.stringify(summary, null, 2) + "\n");
