"""The load clients of the order benchmark: wrk with a Lua script that makes
every request a new order, or Python threads, and the tally of what they got.
"""

from __future__ import annotations

import json
import random
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from bench.common import request, run_wrk
from bench.cpu import cpu_sample
from bench.order_shop import CUSTOMERS_PER_CLIENT, SHIPPING_FEE, Shop

# --- The clients ----------------------------------------------------------------


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    orders: int = 0
    sold_out: int = 0
    errors: Counter = field(default_factory=Counter)
    untimed_orders: int = 0
    error_samples: list[str] = field(default_factory=list)
    wrk: dict | None = None
    cpu_roots: dict = field(default_factory=dict)
    cpu_database: str = ""
    cpu_before: object = None
    cpu_after: object = None


def order_body(shop: Shop, rng: random.Random) -> bytes:
    lines = [*rng.sample(shop.pool, 2), shop.hot]
    return json.dumps(
        {
            "items": [{"variant": variant, "quantity": 1} for variant in lines],
            "shipping_method": "home",
            "recipient_name": "王小明",
            "recipient_phone": "0912-345-678",
            "postal_code": "106",
            "city": "臺北市",
            "district": "大安區",
            "street": "復興南路一段 390 號",
            "payment_method": "cod",
        }
    ).encode()


def client_loop(index, port, shop, timed_from, until, tally: Tally, lock) -> None:
    rng = random.Random(index)
    tokens = shop.tokens[
        index * CUSTOMERS_PER_CLIENT : (index + 1) * CUSTOMERS_PER_CLIENT
    ]
    turn = 0
    local = Tally()
    while time.monotonic() < until:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Token {tokens[turn % len(tokens)]}",
            "Idempotency-Key": secrets.token_urlsafe(24),
            "Accept-Language": "en",
        }
        turn += 1
        body = order_body(shop, rng)
        started = time.monotonic()
        try:
            status, raw = request(port, "POST", "/api/checkout/orders/", body, headers)
        except OSError as exc:
            local.errors[type(exc).__name__] += 1
            continue
        elapsed = time.monotonic() - started
        timed = started >= timed_from
        outcome = classify(status, raw)
        if outcome == "order":
            if timed:
                local.orders += 1
                local.latencies_ms.append(elapsed * 1000)
            else:
                local.untimed_orders += 1
        elif outcome == "sold_out":
            local.sold_out += 1
        else:
            local.errors[outcome] += 1
            if len(local.error_samples) < 3:
                local.error_samples.append(f"{status} {raw[:300]!r}")
    with lock:
        tally.latencies_ms.extend(local.latencies_ms)
        tally.orders += local.orders
        tally.untimed_orders += local.untimed_orders
        tally.sold_out += local.sold_out
        tally.errors.update(local.errors)
        tally.error_samples.extend(local.error_samples)


def classify(status: int, raw: bytes) -> str:
    try:
        data = json.loads(raw)
    except ValueError:
        return f"HTTP {status} (not JSON)"
    if status == 201:
        subtotal, total = Decimal(data["subtotal"]), Decimal(data["total"])
        if data["shipping_total"] != SHIPPING_FEE or total != subtotal + Decimal(100):
            return "201 with a wrong total"
        if len(data["lines"]) != 3 or data["status"] != "processing":
            return "201 with wrong lines or status"
        return "order"
    if status == 400 and "sold out" in json.dumps(data.get("items", "")):
        return "sold_out"
    return f"HTTP {status}"


def run_clients(args, port: int, shop: Shop, tally: Tally) -> Tally:
    lock = threading.Lock()
    now = time.monotonic()
    timed_from = now + args.warmup
    until = timed_from + args.duration
    threads = [
        threading.Thread(
            target=client_loop, args=(i, port, shop, timed_from, until, tally, lock)
        )
        for i in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, timed_from - time.monotonic()))
    tally.cpu_before = cpu_sample(tally.cpu_roots, tally.cpu_database)
    time.sleep(max(0.0, until - time.monotonic()))
    tally.cpu_after = cpu_sample(tally.cpu_roots, tally.cpu_database)
    for thread in threads:
        thread.join()
    return tally


# wrk drives the load from C, so the client takes little of the CPU the server
# needs. The script makes every request a new order: its own Idempotency-Key,
# two random variants of the pool plus the hot one, the next customer's token.
WRK_SCRIPT = """
local tokens = {%(tokens)s}
local pool = {%(pool)s}
local hot = %(hot)d
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919 + %(seed)d)
  counter = 0
  created, sold_out, other = 0, 0, 0
  sample = ""
end

request = function()
  counter = counter + 1
  local a = pool[math.random(#pool)]
  local b = pool[math.random(#pool)]
  while b == a do b = pool[math.random(#pool)] end
  local body = string.format(
    '{"items":[{"variant":%%d,"quantity":1},{"variant":%%d,"quantity":1},' ..
    '{"variant":%%d,"quantity":1}],%(rest)s}', a, b, hot)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept-Language"] = "en",
    ["Authorization"] = "Token " .. tokens[(id * 3 + counter) %% #tokens + 1],
    ["Idempotency-Key"] = string.format("bench-%(seed)d-%%d-%%d-%%08x", id, counter,
                                         math.random(0, 0x7fffffff)),
  }
  return wrk.format("POST", "/api/checkout/orders/", headers, body)
end

response = function(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 400 and string.find(body, "sold out", 1, true) then
    sold_out = sold_out + 1
  else
    other = other + 1
    if other == 1 then sample = status .. " " .. string.sub(body, 1, 300) end
  end
end

done = function(summary, latency, requests)
  local c, s, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    s = s + thread:get("sold_out")
    o = o + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH created=%%d sold_out=%%d other=%%d duration_us=%%d p50=%%d p95=%%d " ..
    "p99=%%d max=%%d socket_errors=%%d\\n",
    c, s, o, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout))
  for _, thread in ipairs(threads) do
    local sample = thread:get("sample")
    if sample ~= "" then io.write("SAMPLE " .. sample .. "\\n") end
  end
end
"""


def wrk_script(shop: Shop, folder: Path) -> Path:
    fields = json.loads(order_body(shop, random.Random(0)))
    del fields["items"]
    rest = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))[1:-1]
    text = WRK_SCRIPT % {
        "tokens": ", ".join(f'"{token}"' for token in shop.tokens),
        "pool": ", ".join(str(variant) for variant in shop.pool),
        "hot": shop.hot,
        "seed": secrets.randbelow(1_000_000),
        "rest": rest.replace("%", "%%"),
    }
    path = folder / "orders.lua"
    path.write_text(text, encoding="utf-8")
    return path


def run_wrk_once(args, port: int, script: Path, seconds: int) -> dict:
    figures, output = run_wrk(
        port,
        "/api/checkout/orders/",
        script=script,
        seconds=seconds,
        connections=args.clients,
    )
    figures["samples"] = re.findall(r"SAMPLE (.*)", output)
    return figures


def run_orders_wrk(args, port: int, shop: Shop, folder: Path, tally: Tally) -> Tally:
    """Warm-up run, then the timed run; latency percentiles are wrk's (all replies)."""
    if args.warmup:
        # A new script per run: its seed is part of every Idempotency-Key.
        warm = run_wrk_once(args, port, wrk_script(shop, folder), args.warmup)
        tally.untimed_orders = warm["created"]
        tally.sold_out += warm["sold_out"]
    script = wrk_script(shop, folder)
    tally.cpu_before = cpu_sample(tally.cpu_roots, tally.cpu_database)
    timed = run_wrk_once(args, port, script, args.duration)
    tally.cpu_after = cpu_sample(tally.cpu_roots, tally.cpu_database)
    tally.orders = timed["created"]
    tally.sold_out += timed["sold_out"]
    if timed["other"] or timed["socket_errors"]:
        tally.errors.update(
            {"other replies": timed["other"], "socket errors": timed["socket_errors"]}
        )
    tally.error_samples.extend(timed["samples"])
    tally.wrk = timed
    return tally
