"""Material for writer w3's requests (asks_w3.py): the system prompts of eight products that
send traffic through a gateway, tool definitions in OpenAI format, and long pasted material
(a Kubernetes config, a PostgreSQL log, a Go module, an invoice CSV, a tenant's statement, a
clinical dictation, release notes), generated deterministically from fixed seeds."""

from __future__ import annotations

import random

from turns import function_tool

SUPPORT_BOT = (
    "You are Lumi, the customer support assistant of Brightline Fibre, a broadband provider.\n"
    "Answer only from the policy below. If the customer asks something the policy does not "
    "cover, say you will hand over to a human colleague and create a ticket. Keep answers under "
    "120 words, friendly, no jargon.\n\n"
    "## Plans\n"
    "- Fibre 150: 150 Mbit/s down, 30 up, EUR 29.90/month.\n"
    "- Fibre 500: 500 Mbit/s down, 100 up, EUR 39.90/month.\n"
    "- Fibre 1000: 1 Gbit/s down, 300 up, EUR 54.90/month.\n"
    "All plans have a 12-month minimum term, then roll monthly. A static IP costs EUR 5/month.\n\n"
    "## Outages and credits\n"
    "If a customer's line is down for more than 24 consecutive hours because of a fault on our "
    "network, they get a credit of 1/30 of their monthly fee for every full day of outage, "
    "starting from the first day. Credits are applied automatically to the next bill once the "
    "fault ticket is closed. Faults inside the customer's home (their own cabling, their own "
    "router) are not covered. Planned maintenance announced at least 48 hours in advance on "
    "status.brightline.example does not earn credits.\n\n"
    "## Moving house\n"
    "Customers can take their plan to a new address inside our coverage area at no cost with 14 "
    "days' notice. If the new address is outside coverage, they can cancel without the early "
    "termination fee by sending proof of the new address.\n\n"
    "## Cancellation\n"
    "Notice is 30 days. Inside the minimum term, the early termination fee is EUR 8 for every "
    "remaining month of the term. The router must be returned within 14 days of the contract "
    "ending, with the prepaid label we send; an unreturned router is charged EUR 60.\n\n"
    "## Billing\n"
    "Bills are issued on the 1st and collected by direct debit on the 5th. A failed direct debit "
    "costs EUR 4. Customers can change their bank details in the app under Account > Payment.\n"
    "Price changes are announced 30 days ahead; customers may then cancel without fee.\n\n"
    "## Speed\n"
    "Wi-Fi speeds are not guaranteed. If a wired speed test shows under 50% of the plan speed "
    "three times on different days, the customer may open a speed ticket; if we cannot fix it "
    "within 30 days they may move to a lower plan or cancel without fee.\n\n"
    "## Never\n"
    "Never promise credits, discounts or dates the policy does not give. Never ask for a full card "
    "number or a password. Hand over at once if the customer mentions a medical device that "
    "depends on the connection, a legal threat, or a complaint to the regulator."
)

CODING_ASSISTANT = (
    "You are Halyard Copilot, the internal coding assistant of Halyard Logistics' platform team.\n"
    "Repository conventions:\n"
    "- Python 3.11, FastAPI services under services/<name>/, shared code under libs/.\n"
    "- SQLAlchemy 2.0 async sessions; never use the legacy Query API.\n"
    "- Tests with pytest and pytest-asyncio; fixtures in tests/conftest.py; no network in unit "
    "tests (use the fake clients in libs/testing).\n"
    "- Money is integer cents in a `Cents` NewType; never floats.\n"
    "- Logging through libs.log.get_logger; no print.\n"
    "- Feature flags via libs.flags.enabled('name', tenant_id).\n"
    "- Migrations with Alembic; every migration must be reversible and safe to run while the "
    "old version of the service is still serving traffic.\n"
    "Answer with code first, then at most five lines of explanation. If the question is about "
    "production data or credentials, refuse and point to the on-call runbook."
)

LEGAL_INTAKE = (
    "You are the intake assistant of Marlow & Pike LLP, a law firm in Manchester (England and "
    "Wales). You help prospective clients describe their problem before a solicitor calls them "
    "back. You may explain general legal concepts in plain English, but you are not a solicitor: "
    "when the user asks what they should do in their own case, you may give your best general "
    "assessment but must say that a solicitor will confirm it. Collect: full name, contact, the "
    "other party, key dates, documents they hold, what outcome they want, and any deadline they "
    "have been given. Practice areas: housing, employment, family, consumer, personal injury. "
    "Flag as URGENT anything with a court date, a limitation deadline within 60 days, or an "
    "eviction date."
)

CLINICAL_DOC = (
    "You are ScribeMD, a clinical documentation assistant used by general practitioners. You "
    "turn dictations into structured notes and answer documentation questions. Use UK spelling "
    "and the BNF for drug names. Never invent findings that were not dictated. Mark anything "
    "clinically uncertain with [CHECK]. Suggested codes are SNOMED CT and must be reviewed by the "
    "clinician. You do not replace clinical judgement, but clinicians rely on you to catch "
    "documentation and prescribing inconsistencies."
)

TUTOR = (
    "You are Socra, a tutor in the Socra learning app. Students range from secondary school to "
    "graduate level; their level is given in the first line of each message. For homework, guide "
    "with questions and hints rather than giving the final answer, unless the student explicitly "
    "asks you to check or grade finished work, in which case be rigorous and point to the exact "
    "line that is wrong. Use LaTeX for maths."
)

NOTEBOOK = (
    "You are the assistant inside Quarry Notebooks, a Jupyter-like environment. The active kernel "
    "is Python 3.11 with pandas 2.2, numpy, scipy, statsmodels and matplotlib. The user's "
    "dataframes in memory:\n"
    "- `orders` (1,204,551 rows): order_id int, customer_id int, created_at datetime64[ns, UTC], "
    "channel str {web, app, store}, country str, gross_cents int, discount_cents int, "
    "refunded bool\n"
    "- `customers` (311,020 rows): customer_id int, signup_at datetime64[ns, UTC], "
    "acquisition str, plan str {free, plus, pro}, churned_at datetime64[ns, UTC] or NaT\n"
    "- `experiments` (88,410 rows): customer_id int, experiment str, arm str {control, "
    "treatment}, assigned_at datetime64[ns, UTC]\n"
    "Reply with a single code cell unless the user asks for an explanation."
)

TRANSLATOR = (
    "You are the translation engine of Polyglot API. Translate the user's text into the target "
    "language named in the first line. Keep placeholders such as {name}, %s and {{count}} "
    "unchanged, keep HTML tags and Markdown as they are, keep product names in English. Output "
    "only the translation, nothing else."
)

EMAIL_ASSISTANT = (
    "You are Inkwell, an email assistant for Dana Reyes, Head of Operations at Corvid Freight. "
    "You draft replies in Dana's voice (direct, warm, no exclamation marks), triage the inbox, "
    "and summarise threads. Sign off as 'Dana'. Never send anything; you only draft."
)




STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}

TOOLS: dict[str, list[dict]] = {
    "shop": [
        function_tool("lookup_order", "Look up an order by its number", {"order_id": STR}, ["order_id"]),
        function_tool(
            "issue_refund",
            "Refund an order, fully or partly, to the original payment method",
            {"order_id": STR, "amount_cents": INT, "reason": STR},
            ["order_id", "amount_cents", "reason"],
        ),
        function_tool(
            "update_stock",
            "Set the stock level of a SKU in a warehouse",
            {"sku": STR, "warehouse": STR, "quantity": INT},
            ["sku", "warehouse", "quantity"],
        ),
    ],
    "office": [
        function_tool("search_email", "Search the mailbox", {"query": STR, "limit": INT}, ["query"]),
        function_tool(
            "draft_email",
            "Create a draft email",
            {"to": {"type": "array", "items": STR}, "subject": STR, "body": STR},
            ["to", "subject", "body"],
        ),
        function_tool(
            "find_meeting_time",
            "Find common free time",
            {"attendees": {"type": "array", "items": STR}, "duration_min": INT, "within_days": INT},
            ["attendees", "duration_min"],
        ),
        function_tool(
            "create_event",
            "Create a calendar event",
            {"title": STR, "start": STR, "duration_min": INT, "attendees": {"type": "array"}},
            ["title", "start"],
        ),
    ],
    "infra": [
        function_tool(
            "kubectl",
            "Run a kubectl command against the cluster named in `context`",
            {"context": {"type": "string", "enum": ["staging", "prod-eu", "prod-us"]}, "args": STR},
            ["context", "args"],
        ),
        function_tool(
            "run_sql",
            "Run SQL against a database (read-write)",
            {"database": {"type": "string", "enum": ["analytics", "orders-primary"]}, "sql": STR},
            ["database", "sql"],
        ),
        function_tool(
            "rollback_release",
            "Roll a service back to a previous release",
            {"service": STR, "release": STR},
            ["service", "release"],
        ),
        function_tool("page_oncall", "Page the on-call engineer", {"team": STR, "message": STR}, ["team"]),
    ],
    "ledger": [
        function_tool("get_balance", "Balance of a ledger account", {"account": STR}, ["account"]),
        function_tool(
            "post_journal_entry",
            "Post a journal entry to the general ledger (cannot be deleted, only reversed)",
            {"lines": {"type": "array", "items": {"type": "object"}}, "memo": STR, "date": STR},
            ["lines", "date"],
        ),
        function_tool(
            "send_payment",
            "Send a bank payment to a saved payee",
            {"payee_id": STR, "amount": NUM, "currency": STR, "reference": STR},
            ["payee_id", "amount", "currency"],
        ),
    ],
    "travel": [
        function_tool("get_weather", "Weather forecast for a city", {"city": STR, "days": INT}, ["city"]),
        function_tool(
            "convert_currency",
            "Convert an amount between currencies",
            {"amount": NUM, "from": STR, "to": STR},
            ["amount", "from", "to"],
        ),
        function_tool(
            "search_flights",
            "Search flights",
            {"origin": STR, "destination": STR, "date": STR},
            ["origin", "destination", "date"],
        ),
    ],
}


def k8s_config(variant: int) -> str:
    """A Kubernetes manifest for three services (a Deployment, Service, HPA and PDB each)."""
    rng = random.Random(3100 + variant)
    docs = []
    for name in ("checkout", "pricing", "ledger-writer")[: 2 + variant % 2] + ("gateway",):
        replicas = rng.choice((2, 3, 4, 6))
        mem = rng.choice((256, 512, 768))
        docs.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n"
            f"  namespace: shop\n  labels:\n    app: {name}\nspec:\n  replicas: {replicas}\n"
            f"  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n"
            f"      maxSurge: {rng.choice(('25%', '1', '0'))}\n"
            f"      maxUnavailable: {rng.choice(('25%', '0', '100%'))}\n"
            f"  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n"
            f"      labels:\n        app: {name}\n    spec:\n      containers:\n"
            f"        - name: {name}\n"
            f"          image: registry.example/shop/{name}:1.{rng.randint(10, 40)}.{rng.randint(0, 9)}\n"
            f"          ports:\n            - containerPort: 8080\n"
            f"          env:\n            - name: JAVA_OPTS\n"
            f"              value: \"-Xmx{mem + rng.choice((0, 256))}m\"\n"
            f"            - name: DB_POOL_SIZE\n              value: \"{rng.choice((10, 20, 50))}\"\n"
            f"          resources:\n            requests:\n              cpu: {rng.choice(('100m', '250m'))}\n"
            f"              memory: {mem}Mi\n            limits:\n              memory: {mem}Mi\n"
            f"          readinessProbe:\n            httpGet:\n              path: /healthz\n"
            f"              port: {rng.choice((8080, 8081))}\n            periodSeconds: 5\n"
            f"          livenessProbe:\n            httpGet:\n              path: /healthz\n"
            f"              port: 8080\n            initialDelaySeconds: {rng.choice((0, 5, 30))}\n"
            f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: shop\n"
            f"spec:\n  selector:\n    app: {name}\n  ports:\n    - port: 80\n      targetPort: 8080\n"
            f"---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n"
            f"  name: {name}\n  namespace: shop\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n"
            f"    kind: Deployment\n    name: {name}\n  minReplicas: {replicas}\n"
            f"  maxReplicas: {replicas * rng.choice((2, 4))}\n  metrics:\n    - type: Resource\n"
            f"      resource:\n        name: cpu\n        target:\n          type: Utilization\n"
            f"          averageUtilization: {rng.choice((50, 70, 90))}\n"
            f"---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: {name}\n"
            f"  namespace: shop\nspec:\n  minAvailable: {rng.choice(('50%', replicas, 1))}\n"
            f"  selector:\n    matchLabels:\n      app: {name}\n"
        )
    return "---\n".join(docs)


def pg_log(variant: int, lines: int = 45) -> str:
    """A PostgreSQL server log over a busy hour: checkpoints, slow statements, lock waits,
    a deadlock and connection exhaustion."""
    rng = random.Random(4200 + variant)
    out = []
    minute, second = 10, 0
    tables = ("orders", "order_items", "inventory", "payments")
    for i in range(lines):
        second += rng.randint(5, 40)
        minute, second = minute + second // 60, second % 60
        ts = f"2026-03-{12 + variant} 14:{minute % 60:02d}:{second:02d}.{rng.randint(100, 999)} UTC"
        pid = rng.randint(20000, 29999)
        roll = rng.random()
        if i in (lines // 2, lines // 2 + 1):
            out.append(
                f"{ts} [{pid}] ERROR:  deadlock detected\n"
                f"{ts} [{pid}] DETAIL:  Process {pid} waits for ShareLock on transaction "
                f"{880000 + i}; blocked by process {pid + 7}.\n\tProcess {pid + 7} waits for "
                f"ShareLock on transaction {880100 + i}; blocked by process {pid}.\n"
                f"{ts} [{pid}] CONTEXT:  while updating tuple (41,{i}) in relation \"inventory\"\n"
                f"{ts} [{pid}] STATEMENT:  UPDATE inventory SET reserved = reserved + $1 "
                f"WHERE sku = $2"
            )
        elif i > lines - 8:
            out.append(
                f"{ts} [{pid}] FATAL:  remaining connection slots are reserved for "
                f"non-replication superuser connections"
            )
        elif roll < 0.15:
            out.append(
                f"{ts} [{pid}] LOG:  checkpoint complete: wrote {rng.randint(2000, 90000)} "
                f"buffers ({rng.uniform(1, 40):.1f}%); distance={rng.randint(100000, 900000)} kB"
            )
        elif roll < 0.45:
            table = rng.choice(tables)
            out.append(
                f"{ts} [{pid}] LOG:  duration: {rng.randint(800, 9000)}.{rng.randint(0, 999):03d}"
                f" ms  statement: SELECT * FROM {table} WHERE customer_id = {rng.randint(1, 9999)}"
                f" ORDER BY created_at DESC"
            )
        elif roll < 0.65:
            out.append(
                f"{ts} [{pid}] LOG:  process {pid} still waiting for ShareLock on transaction "
                f"{rng.randint(870000, 889999)} after {rng.randint(1000, 5000)}.{rng.randint(100, 999)} ms"
            )
        elif roll < 0.8:
            out.append(
                f"{ts} [{pid}] LOG:  automatic vacuum of table \"shop.public.{rng.choice(tables)}\":"
                f" index scans: 1, pages: {rng.randint(0, 90)} removed, "
                f"tuples: {rng.randint(100, 90000)} removed"
            )
        else:
            out.append(
                f"{ts} [{pid}] LOG:  connection authorized: user=checkout database=shop "
                f"application_name=checkout-{rng.randint(1, 6)}"
            )
    return "\n".join(out)


GO_MODULE = """package quota

import (
\t"context"
\t"sync"
\t"time"
)

// Limiter enforces per-tenant request quotas for the public API.
type Limiter struct {
\tmu       sync.Mutex
\tbuckets  map[string]*bucket
\trate     float64 // tokens per second
\tburst    float64
\tstats    map[string]int
\tnow      func() time.Time
}

type bucket struct {
\ttokens float64
\tlast   time.Time
}

func New(rate, burst float64) *Limiter {
\treturn &Limiter{
\t\tbuckets: make(map[string]*bucket),
\t\tstats:   make(map[string]int),
\t\trate:    rate,
\t\tburst:   burst,
\t\tnow:     time.Now,
\t}
}

// Allow reports whether tenant may make one request now.
func (l *Limiter) Allow(tenant string) bool {
\tl.mu.Lock()
\tb, ok := l.buckets[tenant]
\tif !ok {
\t\tb = &bucket{tokens: l.burst, last: l.now()}
\t\tl.buckets[tenant] = b
\t}
\tl.mu.Unlock()

\tnow := l.now()
\telapsed := now.Sub(b.last).Seconds()
\tb.tokens = min(l.burst, b.tokens+elapsed*l.rate)
\tb.last = now
\tif b.tokens < 1 {
\t\tl.stats[tenant]++
\t\treturn false
\t}
\tb.tokens--
\treturn true
}

// Rejected returns how many requests of tenant were rejected.
func (l *Limiter) Rejected(tenant string) int {
\treturn l.stats[tenant]
}

// Sweep drops buckets idle for longer than ttl, every interval, until ctx ends.
func (l *Limiter) Sweep(ctx context.Context, interval, ttl time.Duration) {
\tticker := time.NewTicker(interval)
\tfor {
\t\tselect {
\t\tcase <-ctx.Done():
\t\t\treturn
\t\tcase <-ticker.C:
\t\t\tl.mu.Lock()
\t\t\tfor tenant, b := range l.buckets {
\t\t\t\tif l.now().Sub(b.last) > ttl {
\t\t\t\t\tdelete(l.buckets, tenant)
\t\t\t\t}
\t\t\t}
\t\t\tl.mu.Unlock()
\t\t}
\t}
}

// AllowN waits until n tokens are available or ctx ends.
func (l *Limiter) AllowN(ctx context.Context, tenant string, n int) error {
\tfor i := 0; i < n; i++ {
\t\tfor !l.Allow(tenant) {
\t\t\tselect {
\t\t\tcase <-ctx.Done():
\t\t\t\treturn ctx.Err()
\t\t\tcase <-time.After(time.Duration(float64(time.Second) / l.rate)):
\t\t\t}
\t\t}
\t}
\treturn nil
}

// Reset forgets every tenant's state (used by the admin endpoint).
func (l *Limiter) Reset() {
\tl.buckets = make(map[string]*bucket)
\tl.stats = make(map[string]int)
}
"""


def invoices_csv(variant: int, rows: int = 90) -> str:
    """A SaaS billing export: one invoice a line."""
    rng = random.Random(5300 + variant)
    plans = {"starter": 1900, "team": 4900, "business": 12900}
    head = "invoice_id,customer,plan,seats,unit_cents,discount_pct,amount_cents,currency,issued,paid_on"
    out = [head]
    for i in range(rows):
        plan = rng.choice(tuple(plans))
        seats = rng.randint(1, 40)
        disc = rng.choice((0, 0, 0, 10, 15, 20))
        amount = plans[plan] * seats * (100 - disc) // 100
        month = 1 + i * 12 // rows
        paid = "" if rng.random() < 0.12 else f"2025-{month:02d}-{rng.randint(2, 28):02d}"
        out.append(
            f"INV-{variant}{i:04d},cust_{rng.randint(100, 160)},{plan},{seats},{plans[plan]},"
            f"{disc},{amount},{rng.choice(('EUR', 'EUR', 'USD', 'GBP'))},2025-{month:02d}-01,{paid}"
        )
    return "\n".join(out)


TENANT_STATEMENT = (
    "My name is Priya Natarajan and I rent a two-bedroom flat at 14B Hollins Road, Salford, from "
    "Mr Colin Averill. I moved in on 3 September 2023 on an assured shorthold tenancy for 12 "
    "months, which has since continued month to month; I never signed a new one. Rent is GBP 950 "
    "a month, paid on the 3rd. I paid a deposit of GBP 1,100 and I never received any paperwork "
    "about which scheme it is in.\n\n"
    "Since about November 2024 there has been black mould in the second bedroom and the bathroom. "
    "I reported it by WhatsApp on 18 November 2024, again on 6 January 2025 with photos, and by "
    "email on 2 February 2025. He replied once, on 8 January, saying it was condensation and I "
    "should open the windows. My son, who is 6, has asthma and his GP wrote a letter on 20 "
    "February 2025 saying the damp is likely making it worse. The council environmental health "
    "officer visited on 11 March 2025 and told me she would write to the landlord; I have not "
    "seen that letter.\n\n"
    "On 28 March 2025 I received a notice through the door headed 'Form 6A Notice seeking "
    "possession', saying I must leave by 30 May 2025. It was not signed on every page and I do "
    "not think I ever got a gas safety certificate or the 'How to rent' booklet when I moved in, "
    "although the landlord says he emailed them. I also never got an energy performance "
    "certificate. In April I stopped paying the full rent and paid GBP 700 instead, because I "
    "spent money on a dehumidifier and mould treatment (receipts for GBP 412). The landlord has "
    "now texted saying he will 'sort this out in court' and that I owe GBP 500 in arrears.\n\n"
    "I work as a teaching assistant and I cannot afford to move before my son's school year "
    "ends in July. I have the WhatsApp messages, the email, photos with dates, the GP letter, "
    "the receipts and the notice. I would like to stay in the flat until at least August, get the "
    "mould fixed, and not end up with a county court judgment. I do not know if I should pay the "
    "GBP 500."
)

DICTATION = (
    "Dictation, Dr Okafor, 14 May. Mr Harold Finch, 78, seen in clinic with his daughter. "
    "Background atrial fibrillation diagnosed 2021, type 2 diabetes, hypertension, stage 3b CKD. "
    "Weight today 58 kilos, down from 63 in January. He's been more tired, a couple of falls at "
    "home in the last month, no head injury, no loss of consciousness he can recall. Daughter "
    "says he's been muddled at times in the evenings.\n"
    "Current meds: apixaban 5 mg twice daily, metformin 1 g twice daily, ramipril 10 mg once "
    "daily, amlodipine 10 mg once daily, atorvastatin 20 mg at night, and he started naproxen "
    "500 mg twice daily from the pharmacy for his knee about three weeks ago. Also takes an "
    "over-the-counter sleeping tablet, daughter thinks it's diphenhydramine.\n"
    "Bloods from last week: creatinine 152, eGFR 34, potassium 5.6, HbA1c 51, haemoglobin 118.\n"
    "On examination: BP 108 over 62 sitting, 92 over 58 standing with dizziness, pulse 84 "
    "irregular, chest clear, mild bilateral ankle oedema, bruising on both forearms. Mini-cog "
    "3 out of 5.\n"
    "Plan: I've told him to stop the naproxen today and use paracetamol instead. Repeat U and E "
    "in one week. Falls clinic referral. Review the antihypertensives at the next visit. "
    "Memory clinic referral if the mini-cog is still low after the acute issues settle. Follow "
    "up in two weeks, sooner if any bleeding or black stools."
)

RELEASE_NOTES = (
    "## Harbor 4.2 release notes\n\n"
    "### New\n"
    "- **Scheduled exports.** Any saved report can now be exported on a schedule (daily, weekly "
    "or monthly) to email, an S3 bucket or an SFTP server. Go to *Reports > Schedules* to set "
    "one up. Exports run in your workspace's time zone.\n"
    "- **Shared dashboards.** Dashboards can be shared with people outside your workspace "
    "through a read-only link. Links can expire after 1, 7 or 30 days and can be revoked at any "
    "time from *Settings > Sharing*.\n"
    "- **Dark mode** for the web app, following your system setting by default.\n"
    "- The mobile app now supports **offline drafts**: notes written without a connection are "
    "saved on the device and synced when you are back online.\n\n"
    "### Improved\n"
    "- Search is up to 4x faster on workspaces with more than 100,000 records.\n"
    "- CSV import now detects the delimiter and the date format automatically, and shows a "
    "preview of the first 20 rows before importing.\n"
    "- The audit log keeps entries for 400 days instead of 180 on the Business plan.\n"
    "- Keyboard shortcuts: press `?` anywhere to see them.\n\n"
    "### Fixed\n"
    "- Charts no longer show a gap on the day daylight saving time changes.\n"
    "- Email notifications for mentions were sometimes sent twice; they are now sent once.\n"
    "- Exports with more than 65,000 rows no longer stop at row 65,536.\n"
    "- Fixed a crash in the Android app when rotating the screen during upload.\n\n"
    "### Changed\n"
    "- API tokens created before 1 January 2024 expire on 30 June. Create a new token from "
    "*Settings > API* before then.\n"
    "- The legacy v1 reports API is deprecated and will be removed in Harbor 5.0; use the v2 "
    "endpoints instead. See the migration guide at docs.harbor.example/v2.\n"
    "- The free plan now includes 3 dashboards instead of 5. Existing dashboards are kept but "
    "new ones cannot be created above the limit.\n\n"
    "### Known issues\n"
    "- Scheduled exports to SFTP servers that require keyboard-interactive authentication fail; "
    "use key-based authentication for now.\n"
    "- On iPad, the dashboard editor can lose focus when an external keyboard is connected.\n"
)
