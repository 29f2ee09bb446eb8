"""Long texts for the open-traffic check set: pasted logs, contracts, articles, code, tables.

Everything is deterministic (fixed seeds, no clock), so `build.py` writes the same
requests.jsonl byte for byte. Logs and tables come from templates; the prose
documents and the code module are written out in full.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

_SERVICES = ("checkout-api", "payments-worker", "inventory-sync", "auth-gateway", "search-indexer")
_INFO = (
    "GET /api/v2/cart/{n} 200 in {ms}ms",
    "POST /api/v2/orders 201 in {ms}ms order_id=ord_{n}",
    "cache hit ratio over last 60s: 0.{pct}",
    "consumer group payments-v3 lag={n} partitions=12",
    "scheduled job reconcile_ledger finished in {ms}ms rows={n}",
    "health check ok (db=ok, redis=ok, kafka=ok)",
    "rotated access token for client svc-{n}",
    "GET /healthz 200 in {ms}ms",
    "flushed {n} metrics to statsd",
    "connection pool stats: active={pct} idle=8 waiting=0",
)
_WARN = (
    "slow query ({ms}ms): SELECT * FROM order_items WHERE order_id = $1",
    "retrying request to inventory-sync (attempt 2/3) after timeout",
    "JVM heap usage at 8{pct}% of max",
    "deprecated header X-Client-Version received from client svc-{n}",
    "rate limit approaching for tenant t_{n}: 9{pct}% of quota",
)
_ERROR = (
    "upstream connect error or disconnect/reset before headers (inventory-sync:8443)",
    "payment authorisation failed: provider returned 502 for order ord_{n}",
    "could not acquire connection from pool within 5000ms",
    "unhandled exception in OrderController.submit: NullPointerException at line 214",
)


def service_log(seed: int, lines: int = 110, first_error_at: int = 70) -> tuple[str, str]:
    """An application log and the timestamp of its first ERROR line."""
    rng = random.Random(seed)
    t = datetime(2026, 11, 18, 9, 14, 2) + timedelta(minutes=seed)
    service = _SERVICES[seed % len(_SERVICES)]
    out: list[str] = []
    first_error = ""
    for i in range(lines):
        t += timedelta(milliseconds=rng.randint(120, 4200))
        if i == first_error_at or (i > first_error_at and rng.random() < 0.06):
            level, template = "ERROR", rng.choice(_ERROR)
        elif i > 10 and rng.random() < 0.12:
            level, template = "WARN", rng.choice(_WARN)
        else:
            level, template = "INFO", rng.choice(_INFO)
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
        if level == "ERROR" and not first_error:
            first_error = stamp
        message = template.format(
            n=rng.randint(1000, 99999), ms=rng.randint(3, 2400), pct=rng.randint(1, 9)
        )
        request_id = f"req-{rng.randint(10**7, 10**8 - 1):x}"
        out.append(f"{stamp} {level:<5} [{service}] [{request_id}] {message}")
    return "\n".join(out), first_error


_PATHS = ("/", "/products/espresso-grinder", "/cart", "/checkout", "/api/search?q=kettle",
          "/static/app.3f9a.js", "/account/orders", "/login", "/robots.txt", "/favicon.ico")
_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Safari/604.1",
    "curl/8.5.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
)


def access_log(seed: int, lines: int = 90) -> str:
    """An nginx combined-format access log."""
    rng = random.Random(seed)
    t = datetime(2026, 11, 20, 22, 40, 0)
    out = []
    for _ in range(lines):
        t += timedelta(seconds=rng.randint(0, 9))
        octets = (rng.choice((81, 92, 185, 203)), rng.randint(0, 255), rng.randint(0, 255),
                  rng.randint(1, 254))
        ip = ".".join(map(str, octets))
        path = rng.choice(_PATHS)
        status = rng.choices((200, 304, 404, 500, 302), weights=(70, 10, 8, 3, 9))[0]
        out.append(
            f'{ip} - - [{t.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET {path} HTTP/1.1" {status} '
            f'{rng.randint(200, 90000)} "-" "{rng.choice(_AGENTS)}"'
        )
    return "\n".join(out)


def orders_csv(seed: int, rows: int = 80) -> str:
    """A CSV export of orders."""
    rng = random.Random(seed)
    cities = ("Lyon", "Leeds", "Porto", "Graz", "Utrecht", "Malmo", "Bilbao", "Cork")
    items = ("kettle", "grinder", "scale", "filter papers", "mug set", "descaler")
    out = ["order_id,date,customer_city,item,qty,unit_price_eur,status"]
    day = datetime(2026, 10, 1)
    for i in range(rows):
        day += timedelta(hours=rng.randint(1, 14))
        status = rng.choices(("shipped", "delivered", "refunded", "pending"),
                             weights=(30, 55, 5, 10))[0]
        out.append(
            f"{10400 + i},{day.date().isoformat()},{rng.choice(cities)},{rng.choice(items)},"
            f"{rng.randint(1, 4)},{rng.choice((12.5, 19.9, 34.0, 89.0, 149.0, 6.5))},{status}"
        )
    return "\n".join(out)


_SPEAKERS = ("Priya", "Tom", "Aiko", "Marcus", "Lena")
_LINES = (
    "I think we should keep the launch date but cut the export feature from the first release.",
    "The design review for the onboarding flow is still open, I'll chase it.",
    "Support tickets are up about fifteen percent since the pricing page change.",
    "Can we get a number on how many users actually use the CSV import?",
    "Legal wants another look at the data processing terms before we sign with the new vendor.",
    "I can take the action to update the roadmap slide for Thursday.",
    "QA found two blockers on Android, both in the payment sheet.",
    "Let's not reopen the naming discussion, we agreed on it last week.",
    "Marketing needs final screenshots by the twelfth.",
    "The staging environment was down most of Tuesday, which cost us a day of testing.",
    "I'd rather slip a week than ship with the Android blockers.",
    "Fine by me, as long as we tell the sales team today.",
)


def meeting_transcript(seed: int, turns: int = 60) -> str:
    """A product meeting transcript with speaker labels and timestamps."""
    rng = random.Random(seed)
    out = []
    minute, second = 0, 5
    for _ in range(turns):
        second += rng.randint(8, 40)
        minute, second = minute + second // 60, second % 60
        out.append(f"[00:{minute:02d}:{second:02d}] {rng.choice(_SPEAKERS)}: {rng.choice(_LINES)}")
    return "\n".join(out)
