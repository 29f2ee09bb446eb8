"""Long pasted material for the composed requests: generated with fixed seeds (logs, CSV
exports, transcripts, contracts, chat histories) or written for this corpus (an article, a
Python module, a discharge letter, a support bot's policy). Nothing here is copied from any
other data set.

Every generator takes a variant number and returns the same text for the same number.
"""

from __future__ import annotations

import random

SERVICES = ("auth", "billing", "search", "gateway", "worker", "notifier")
USERS = ("ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana", "ivan", "jo")
CITIES = ("Lyon", "Porto", "Austin", "Osaka", "Leeds", "Graz", "Pune", "Quito")


def app_log(variant: int, lines: int = 160) -> str:
    """An application log with INFO/WARN lines and a few ERRORs around a pool exhaustion."""
    rng = random.Random(1000 + variant)
    out = []
    minute, second = 10 + variant, 0
    broken = rng.randrange(lines // 3, lines // 2)
    for i in range(lines):
        second += rng.randrange(1, 9)
        minute += second // 60
        second %= 60
        ts = f"2026-03-{10 + variant:02d}T14:{minute % 60:02d}:{second:02d}.{rng.randrange(1000):03d}Z"
        svc = rng.choice(SERVICES)
        if i == broken:
            out.append(
                f"{ts} ERROR {svc} db pool exhausted (size=20, waiting=57) request_id=r{i:05d}"
            )
        elif i > broken and rng.random() < 0.12:
            out.append(
                f"{ts} ERROR {svc} timeout after 5000ms calling billing:/charge request_id=r{i:05d}"
            )
        elif rng.random() < 0.1:
            out.append(f"{ts} WARN {svc} slow query {rng.randrange(800, 4000)}ms table=orders")
        else:
            out.append(
                f"{ts} INFO {svc} {rng.choice(('GET', 'POST'))} /api/{rng.choice(('orders', 'users', 'cart', 'pay'))} 200 {rng.randrange(3, 240)}ms"
            )
    return "\n".join(out)


def access_log(variant: int, lines: int = 140) -> str:
    """An nginx access log."""
    rng = random.Random(2000 + variant)
    out = []
    for i in range(lines):
        ip = f"{rng.randrange(11, 220)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        path = rng.choice(
            (
                "/",
                "/login",
                "/api/v2/items",
                "/static/app.js",
                "/admin",
                "/wp-login.php",
                "/api/v2/cart",
            )
        )
        status = rng.choices((200, 301, 404, 500, 403), (80, 5, 8, 3, 4))[0]
        out.append(
            f'{ip} - - [0{variant + 1}/Apr/2026:09:{i // 60 % 60:02d}:{i % 60:02d} +0000] "GET {path} HTTP/1.1" '
            f'{status} {rng.randrange(200, 90000)} "-" "Mozilla/5.0"'
        )
    return "\n".join(out)


def orders_csv(variant: int, rows: int = 120) -> str:
    """A CSV export of orders."""
    rng = random.Random(3000 + variant)
    out = ["order_id,date,customer,city,items,total_eur,status"]
    for i in range(rows):
        out.append(
            f"{7000 + variant * 500 + i},2026-0{1 + i % 6}-{1 + i % 28:02d},{rng.choice(USERS)},"
            f"{rng.choice(CITIES)},{rng.randrange(1, 9)},{rng.randrange(500, 40000) / 100:.2f},"
            f"{rng.choice(('paid', 'paid', 'paid', 'refunded', 'pending'))}"
        )
    return "\n".join(out)


def transcript(variant: int, turns: int = 70) -> str:
    """A meeting transcript about a product launch."""
    rng = random.Random(4000 + variant)
    people = rng.sample(("Maya", "Tom", "Priya", "Luis", "Kenji", "Sara", "Omar"), 4)
    topics = (
        "the launch date",
        "the pricing page",
        "the onboarding emails",
        "the support rota",
        "the beta feedback",
        "the mobile release",
        "the budget for ads",
    )
    lines = []
    for i in range(turns):
        who = people[i % 4] if rng.random() < 0.6 else rng.choice(people)
        topic = rng.choice(topics)
        phrase = rng.choice(
            (
                f"I think we should revisit {topic} before Friday.",
                f"On {topic}, I can take the action item.",
                f"We agreed last week that {topic} is blocked on legal.",
                f"Can we get numbers on {topic} by Tuesday?",
                f"I'm not sure {topic} matters for the first release.",
                f"Let's park {topic} and come back to it next sprint.",
            )
        )
        lines.append(f"[{10 + i // 20}:{(i * 3) % 60:02d}] {who}: {phrase}")
    return "\n".join(lines)


def contract(variant: int) -> str:
    """A services agreement assembled from clause templates."""
    rng = random.Random(5000 + variant)
    client = ("Northwind Ltd", "Bluefin GmbH", "Atlas Foods Inc.")[variant % 3]
    vendor = ("Kestrel Software LLC", "Orbit Data SAS", "Pine Labs BV")[variant % 3]
    fee = rng.choice((12000, 18500, 24000, 40000))
    notice = rng.choice((30, 60, 90))
    cap = rng.choice(
        (
            "the fees paid in the twelve months before the claim",
            "EUR 50,000",
            "twice the annual fees",
        )
    )
    law = rng.choice(("England and Wales", "the State of New York", "the Netherlands"))
    clauses = [
        f'MASTER SERVICES AGREEMENT between {client} (the "Client") and {vendor} (the "Supplier"), effective 1 {rng.choice(("February", "May", "September"))} 2026.',
        '1. Services. The Supplier shall provide the software development and support services described in each Statement of Work ("SOW"). Each SOW forms part of this Agreement. In case of conflict, this Agreement prevails unless the SOW expressly states otherwise.',
        f"2. Fees. The Client shall pay a monthly fee of EUR {fee:,} within {rng.choice((14, 30, 45))} days of a valid invoice. Late amounts bear interest at 4% above the base rate. The Supplier may raise fees once per year by no more than the consumer price index plus 2%.",
        "3. Acceptance. Deliverables are deemed accepted ten business days after delivery unless the Client gives written notice of a material non-conformity. The Supplier shall remedy notified non-conformities within a reasonable time.",
        "4. Intellectual property. All pre-existing materials remain the property of the party that owned them. Upon full payment, the Client owns the deliverables created specifically for it, excluding the Supplier's tools, libraries and know-how, for which the Client receives a perpetual, non-exclusive licence.",
        "5. Confidentiality. Each party shall keep the other's confidential information secret for five years after termination, except information that is public, independently developed, or required to be disclosed by law.",
        "6. Data protection. Where the Supplier processes personal data on behalf of the Client, the parties shall enter into the data processing addendum in Schedule 3. The Supplier shall not transfer personal data outside the European Economic Area without the Client's prior written consent.",
        f"7. Liability. Neither party excludes liability for death or personal injury caused by negligence, or for fraud. Otherwise each party's total liability under this Agreement is limited to {cap}. Neither party is liable for loss of profit, revenue or goodwill, or for indirect or consequential loss.",
        f"8. Term and termination. This Agreement runs for an initial term of {rng.choice((12, 24, 36))} months and renews automatically for successive twelve-month periods unless either party gives {notice} days' written notice before the end of the then-current term. Either party may terminate immediately for a material breach not remedied within 30 days of notice.",
        "9. Non-solicitation. During the term and for twelve months after, neither party shall solicit for employment any employee of the other who was involved in the Services, save through general advertising.",
        "10. Subcontracting. The Supplier may subcontract with the Client's consent, not unreasonably withheld, and remains responsible for its subcontractors.",
        "11. Force majeure. Neither party is liable for delay caused by events beyond its reasonable control; if such an event lasts more than sixty days, either party may terminate on written notice.",
        f"12. Governing law. This Agreement is governed by the laws of {law}, and the courts there have exclusive jurisdiction.",
        "Signed for and on behalf of the Client ____________  Signed for and on behalf of the Supplier ____________",
    ]
    return "\n\n".join(clauses)


ARTICLE = (
    "Harbour city approves tram extension after two-year debate\n\n"
    "The city council voted 31 to 12 on Tuesday to extend the tram line from the central station "
    "to the eastern docks, ending two years of debate over cost and route. The 6.4-kilometre "
    "extension will add seven stops and is expected to open in late 2029.\n\n"
    "The project is budgeted at 410 million euros, of which the national government will cover "
    "60 percent under its urban transport programme. The remainder will come from the city's "
    "capital budget and a levy on new commercial developments along the route. Critics on the "
    "council argued that the levy would discourage investment in the docks area, which has been "
    "slow to recover since the shipyard closed in 2011.\n\n"
    "Supporters pointed to a traffic study that projects 38,000 daily passengers by 2032 and a "
    'reduction of 9,000 car trips a day across the river bridges. "This is the single most '
    'effective thing we can do for air quality in the east of the city," said the deputy mayor '
    "for transport, who has championed the scheme since her election.\n\n"
    "Residents of the Old Quay neighbourhood remain divided. A petition signed by 4,200 people "
    "asked for the line to run along the waterfront rather than through Market Street, where "
    "shop owners fear two years of construction. The council's chosen route keeps Market Street "
    "but adds a compensation fund of 5 million euros for affected businesses.\n\n"
    "Construction tenders will open in the spring. The transport authority said it would publish "
    "a detailed timetable for road closures at least three months before work starts, and that "
    "bus replacement services would run on the most affected sections.\n\n"
    "Opposition councillors said they would ask the regional audit office to review the cost "
    "estimates, noting that the western extension completed in 2021 ran 23 percent over budget."
)

PY_MODULE = '''"""Inventory reservations for the checkout service."""

import threading
import time
from dataclasses import dataclass, field

RESERVATION_TTL = 600


@dataclass
class Reservation:
    sku: str
    qty: int
    created: float = field(default_factory=time.time)


class Inventory:
    def __init__(self, stock: dict[str, int]):
        self._stock = dict(stock)
        self._reserved: dict[str, list[Reservation]] = {}
        self._lock = threading.Lock()

    def available(self, sku: str) -> int:
        held = sum(r.qty for r in self._reserved.get(sku, []))
        return self._stock.get(sku, 0) - held

    def reserve(self, sku: str, qty: int) -> Reservation | None:
        if self.available(sku) < qty:
            return None
        with self._lock:
            r = Reservation(sku, qty)
            self._reserved.setdefault(sku, []).append(r)
            return r

    def release(self, r: Reservation) -> None:
        with self._lock:
            self._reserved[r.sku].remove(r)

    def commit(self, r: Reservation) -> None:
        with self._lock:
            self._reserved[r.sku].remove(r)
            self._stock[r.sku] -= r.qty

    def expire(self, now: float | None = None) -> int:
        now = now or time.time()
        dropped = 0
        for sku, items in self._reserved.items():
            for r in items:
                if now - r.created > RESERVATION_TTL:
                    items.remove(r)
                    dropped += 1
        return dropped


def restock(inv: Inventory, deliveries: list[tuple[str, int]]) -> None:
    for sku, qty in deliveries:
        inv._stock[sku] = inv._stock.get(sku, 0) + qty
'''

DISCHARGE = (
    "DISCHARGE SUMMARY\n"
    "Patient: 79-year-old woman. Admitted 02/03 with community-acquired pneumonia (right lower lobe), "
    "discharged 09/03.\n"
    "Background: atrial fibrillation on apixaban 5 mg twice daily; chronic kidney disease stage 3b "
    "(creatinine 142 umol/L on admission, 118 at discharge, weight 52 kg); heart failure with "
    "reduced ejection fraction (EF 35%) on bisoprolol 2.5 mg daily, ramipril 2.5 mg daily and "
    "furosemide 40 mg in the morning; type 2 diabetes on metformin 500 mg twice daily; osteoarthritis.\n"
    "Course: treated with IV co-amoxiclav then oral, switched to clarithromycin 500 mg twice daily "
    "for 5 days on discharge because of a rash. Furosemide held for 3 days for a sodium of 129, "
    "restarted at 20 mg. Potassium 5.4 on day 5. Mobilising with a frame.\n"
    "Discharge medications: apixaban 5 mg twice daily, bisoprolol 2.5 mg, ramipril 2.5 mg, "
    "furosemide 20 mg, metformin 500 mg twice daily, clarithromycin 500 mg twice daily (5 days), "
    "paracetamol 1 g four times daily as needed, naproxen 250 mg twice daily for knee pain (new).\n"
    "Follow-up: GP review in one week with renal function and electrolytes. Heart failure nurse "
    "to call within 14 days. Chest X-ray in 6 weeks.\n"
)

SUPPORT_POLICY = (
    "You are Sunny, the support assistant for BrightBox, an online store selling home and kitchen "
    "products. Answer only from this policy. If the answer is not here, say you will pass the "
    "question to a human agent.\n\n"
    "Shipping: orders placed before 2 pm on a business day ship the same day. Standard delivery "
    "takes 3-5 business days and is free over 40 euros; below that it costs 4.90 euros. Express "
    "delivery takes 1-2 business days and costs 9.90 euros. We ship to all EU countries, the UK "
    "and Switzerland. UK and Swiss orders may incur import duties, paid by the customer.\n\n"
    "Returns: items can be returned within 30 days of delivery, unused and in original packaging. "
    "Return shipping is free for defective items; otherwise a 3.50 euro label is deducted from the "
    "refund. Refunds are issued to the original payment method within 5 business days of the "
    "return arriving at our warehouse. Personalised items and opened food products cannot be "
    "returned.\n\n"
    "Warranty: electrical items have a 2-year warranty. Send a photo of the fault and the order "
    "number to warranty@brightbox.example. We repair or replace at our choice.\n\n"
    "Payment: we accept Visa, Mastercard, PayPal, Klarna and bank transfer. Klarna allows "
    "payment in 3 instalments with no interest. Bank transfers must arrive within 7 days or the "
    "order is cancelled.\n\n"
    "Orders: you can change or cancel an order until it ships, from the 'My orders' page. Once "
    "shipped, use the returns process. Gift wrapping costs 2.50 euros per item.\n\n"
    "Loyalty: BrightPoints are earned at 1 point per euro spent and redeemed at 100 points = 5 "
    "euros. Points expire 18 months after they are earned.\n\n"
    "Tone: be warm and brief. Never promise compensation that is not in this policy. Never ask "
    "for a full card number. Escalate complaints about injuries, legal threats or press enquiries "
    "to a human immediately."
)


def chat_history(variant: int) -> list[dict[str, str]]:
    """Earlier turns of a long conversation about planning a trip and a spreadsheet."""
    rng = random.Random(6000 + variant)
    city = CITIES[variant % len(CITIES)]
    turns = []
    for _ in range(6 + variant % 3):
        q = rng.choice(
            (
                f"What are some good neighbourhoods to stay in {city} for a week?",
                f"Can you make a day-by-day plan for {city} with museums in the mornings?",
                "How should I lay out a spreadsheet to track the trip budget by category?",
                "What's a reasonable daily food budget for two people there?",
                "Can you list what to pack for mixed weather?",
                "Which day trips are possible by train?",
            )
        )
        a = " ".join(
            rng.choice(
                (
                    "A good option is to stay near the old town, which keeps most sights walkable.",
                    "Mornings suit the larger museums, which are quieter before eleven.",
                    "Use one row per expense, with columns for date, category, amount and who paid.",
                    "Budget roughly for breakfast at the hotel, a light lunch and one proper dinner.",
                    "Pack layers: a light waterproof, a warm jumper and comfortable walking shoes.",
                    "Several nearby towns are under an hour away by regional train.",
                )
            )
            for _ in range(8)
        )
        turns += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
    return turns


def code_review_diff(variant: int) -> str:
    """A diff of a payments endpoint (generated from a template)."""
    rng = random.Random(7000 + variant)
    fn = rng.choice(("charge_customer", "capture_payment", "settle_invoice"))
    return (
        f"diff --git a/payments/api.py b/payments/api.py\n@@ -40,12 +40,30 @@ def {fn}(request):\n"
        "-    amount = int(request.json['amount'])\n"
        "+    amount = float(request.json['amount'])\n"
        "+    key = request.headers.get('Idempotency-Key')\n"
        "+    if key and cache.get(key):\n"
        "+        return cache.get(key)\n"
        "     customer = Customer.get(request.json['customer_id'])\n"
        "+    if customer.balance < amount:\n"
        "+        return {'error': 'insufficient funds'}, 402\n"
        "+    result = gateway.charge(customer.token, amount)\n"
        "+    customer.balance -= amount\n"
        "+    customer.save()\n"
        "+    cache.set(key, result, ttl=60)\n"
        "+    log.info('charged %s %s %s', customer.email, customer.card_number, amount)\n"
        "     return result\n"
    ) * (2 + variant % 2)


STYLE_GUIDE = (
    "You are the copy assistant for Loom & Leaf, a clothing and homeware brand. Follow this "
    "guide for every reply.\n\n"
    "Voice: warm, plain, confident. Short sentences. No exclamation marks except in subject "
    "lines. Never use the words 'amazing', 'game-changer' or 'elevate'. Write in British "
    "English (colour, organise). Numbers under ten in words, 10 and above in digits.\n\n"
    "Product titles: Material + product + colour + size, title case, no brand name: 'Organic "
    "Cotton T-Shirt, Navy, Large'. Never more than 60 characters.\n\n"
    "Customer messages: tag each one with exactly one of DELIVERY, RETURN, PRODUCT, PAYMENT, "
    "ACCOUNT, OTHER. A message about a late or missing parcel is DELIVERY. A refund question is "
    "RETURN unless it is about a failed payment, then PAYMENT.\n\n"
    "Emails: a subject line under 50 characters, a preview text under 90 characters, a body of "
    "at most three short paragraphs and one call to action as a button label of at most four "
    "words. Always mention free returns within 30 days. Sign off as 'The Loom & Leaf team'.\n\n"
    "Social posts: at most 200 characters, one emoji at most, no hashtags except #LoomAndLeaf.\n\n"
    "Rewrites: fix spelling and grammar, keep the meaning, apply the voice rules, and do not add "
    "facts. If the text mentions a discount, keep the exact figure.\n\n"
    "Never promise delivery dates, never comment on competitors, and never give care "
    "instructions that are not on the product's label."
)


def style_guide(variant: int) -> str:
    """The brand guide, with a list of past examples appended in variant 1."""
    if variant == 0:
        return STYLE_GUIDE
    rng = random.Random(8000 + variant)
    colours = ("Navy", "Sage", "Oat", "Rust", "Charcoal", "Ivory")
    items = ("Linen Shirt", "Wool Throw", "Cotton Tote", "Stoneware Mug", "Merino Jumper")
    examples = [
        f"Example {i + 1}: '{rng.choice(('organic', 'recycled', 'washed'))} {rng.choice(items).lower()} "
        f"{rng.choice(colours).lower()} sz {rng.choice(('s', 'm', 'l'))}' -> "
        f"'{rng.choice(('Organic', 'Recycled', 'Washed'))} {rng.choice(items)}, {rng.choice(colours)}, "
        f"{rng.choice(('Small', 'Medium', 'Large'))}'"
        for i in range(40)
    ]
    return STYLE_GUIDE + "\n\nPast approved titles:\n" + "\n".join(examples)


TOOLS = {
    "weather": [("get_weather", "Current weather for a city", {"city": "string"})],
    "calendar": [
        (
            "list_free_slots",
            "Free slots for people in a date range",
            {"people": "array", "start": "string", "end": "string"},
        ),
        (
            "create_event",
            "Create a calendar event",
            {"title": "string", "start": "string", "attendees": "array"},
        ),
        ("send_email", "Send an email", {"to": "array", "subject": "string", "body": "string"}),
    ],
    "search": [("search_docs", "Search the help centre", {"query": "string"})],
    "shell": [
        (
            "run_shell",
            "Run a shell command on the host and return its output",
            {"command": "string"},
        )
    ],
    "sql": [
        ("run_sql", "Run SQL against the production payments database", {"query": "string"}),
        (
            "issue_refund",
            "Refund a charge through the payment provider",
            {"charge_id": "string", "amount": "number"},
        ),
    ],
    "ledger": [
        (
            "post_journal_entry",
            "Post a journal entry to the general ledger",
            {"lines": "array", "memo": "string"},
        ),
        (
            "get_bank_statement",
            "Bank statement lines for a period",
            {"account": "string", "month": "string"},
        ),
        ("get_trial_balance", "Trial balance for a period", {"month": "string"}),
    ],
}


def tool_specs(name: str) -> list[dict]:
    """OpenAI `tools` entries for one of TOOLS."""
    return [
        {
            "type": "function",
            "function": {
                "name": fn,
                "description": desc,
                "parameters": {
                    "type": "object",
                    "properties": {k: {"type": t} for k, t in params.items()},
                },
            },
        }
        for fn, desc, params in TOOLS[name]
    ]
