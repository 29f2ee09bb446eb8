"""Hand-written asks about long pasted material (materials.py), each sent with several
variants of the material: the same document carries easy and hard asks, so that length
cannot tell them apart.

ASKS: material -> rows of (tier, kind, domain, ask, reason). The ask goes after the
material unless it ends with ':' (then before it).
"""

ASKS = {
    "app_log": [
        ("small", "ex", "cs", "What is the timestamp of the first ERROR line?", "one line out of the log"),
        ("small", "ex", "cs", "How many ERROR lines are in this log?", "count lines"),
        ("small", "ex", "cs", "List the request_ids of all ERROR lines:", "pull values"),
        ("small", "rw", "cs", "Convert the WARN lines to CSV with columns timestamp, service, ms:", "reformat lines"),
        ("small", "su", "cs", "Summarise this log in three bullets for a status update.", "short summary of clear events"),
        ("medium", "db", "cs", "Which service degrades first, and what probably caused the timeouts that follow? Give the evidence lines.", "everyday incident reading"),
        ("large", "ld", "cs", "Do a root-cause analysis of this incident: the causal chain, why the pool ran out, what would have prevented it, and the alerts we should add with thresholds.", "expert incident analysis over the whole log"),
        ("large", "ld", "cs", "We need a postmortem for the payment timeouts in this log that the CFO will read; quantify the blast radius from the lines and say whether customers could have been double charged.", "expert analysis with money at stake"),
    ],
    "access_log": [
        ("small", "ex", "cs", "Which IP made the most requests?", "count and pick"),
        ("small", "ex", "cs", "List every line with status 500:", "filter lines"),
        ("small", "ex", "cs", "How many requests hit /wp-login.php?", "count lines"),
        ("medium", "ld", "cs", "Is anything in this access log suspicious? Group by IP and path and explain what you see.", "pattern reading with judgement"),
        ("large", "ld", "cs", "Assess whether this traffic shows a credential-stuffing or scanning attack in progress, what it targets, and the exact nginx and WAF rules to deploy without blocking real users.", "security judgement, costly if wrong"),
    ],
    "orders_csv": [
        ("small", "ex", "gen", "What's the total_eur of order 7005?", "one value lookup"),
        ("small", "rw", "gen", "Turn this CSV into a markdown table:", "reformatting"),
        ("small", "ex", "gen", "Which orders have status refunded? Just the IDs.", "filter"),
        ("medium", "sq", "gen", "Write the SQL that would produce monthly revenue by city from a table with these columns, excluding refunded orders, and show the result for this data.", "query plus computation over the rows"),
        ("medium", "ar", "gen", "Sum total_eur for paid orders in Lyon exactly.", "exact sum over many rows"),
        ("large", "ld", "fin", "Our auditors flagged this export. Reconcile it against a 3.1% refund rate we reported to investors and tell me whether the statement was accurate, with the arithmetic.", "financial judgement with consequences"),
    ],
    "transcript": [
        ("small", "su", "gen", "Summarise this meeting in three bullets.", "short summary"),
        ("small", "ex", "gen", "List the action items and who took them:", "extraction"),
        ("small", "ex", "gen", "Who spoke the most in this meeting?", "count"),
        ("medium", "su", "gen", "Write minutes for the leadership team: decisions, open risks and what is blocked, ordered by importance.", "summary that must choose what matters"),
        ("small", "rw", "ling", "Translate the first ten lines of this transcript into Spanish:", "translation"),
    ],
    "contract": [
        ("small", "ex", "law", "What is the governing law of this agreement?", "one value from the text"),
        ("small", "ex", "law", "What notice period is needed to stop the automatic renewal?", "one value from the text"),
        ("small", "ex", "law", "List the parties and the effective date:", "extraction"),
        ("small", "rw", "ling", "Translate clause 5 into German.", "translation of a clause"),
        ("small", "su", "law", "Summarise each clause in one line.", "clause-by-clause summary of clear text"),
        ("medium", "su", "law", "Explain this agreement in plain English for our non-lawyer founders: what we pay, what we own, and how we get out of it.", "plain-language explanation that must be right"),
        ("large", "ld", "law", "We are the Client. Review this agreement for risks: which clauses are unfavourable, how the liability cap interacts with the data protection clause in a breach, and what to negotiate, in priority order.", "expert contract review"),
        ("large", "ld", "law", "Our Supplier had a data breach exposing customer records in month 8. Under this agreement, what can we recover, can we terminate now, and what must we do first?", "individual legal decision on a pasted contract"),
    ],
    "article": [
        ("small", "su", "gen", "Summarise this article in three bullet points.", "short summary of clear prose"),
        ("small", "ex", "gen", "How much will the extension cost and who pays for it?", "values from the text"),
        ("small", "rw", "ling", "Translate this article into French.", "translation, however long"),
        ("small", "rw", "gen", "Rewrite the first paragraph for a 10-year-old.", "simplification"),
        ("small", "ex", "gen", "What was the council vote?", "one value"),
        ("medium", "cr", "gen", "Write a 300-word op-ed replying to this article from the point of view of a Market Street shop owner.", "writing with a point of view and facts to keep"),
        ("medium", "ld", "econ", "Is the 38,000 passenger projection plausible against the cost? Estimate the cost per trip over 30 years and state your assumptions.", "quantitative analysis with assumptions"),
    ],
    "py_module": [
        ("small", "rw", "cs", "Add type hints and docstrings to every method without changing behaviour:", "mechanical edit"),
        ("small", "ex", "cs", "List the public methods of Inventory.", "extraction from code"),
        ("small", "su", "cs", "Explain in two sentences what this module does.", "short summary of code"),
        ("medium", "cw", "cs", "Write pytest tests for reserve, release and commit, including reserving more than is available.", "tests with edge cases"),
        ("medium", "db", "cs", "expire() sometimes skips reservations. Why, and how do I fix it?", "bug from mutating a list while iterating"),
        ("large", "db", "cs", "Under concurrent checkouts we sometimes oversell. Find every race in this module, explain the interleavings, and rewrite it to be correct without one global lock.", "concurrency review, costly if wrong"),
    ],
    "discharge": [
        ("small", "ex", "med", "List the discharge medications as a table with dose and frequency:", "extraction from the letter"),
        ("small", "ex", "med", "When is the GP review due?", "one value"),
        ("small", "rw", "ling", "Translate this discharge summary into Spanish for the family.", "translation"),
        ("medium", "su", "med", "Explain this discharge letter to the patient's daughter in plain words, without giving advice.", "consumer explanation of a medical text"),
        ("large", "ld", "med", "Review this discharge for medication safety: interactions, renal dosing and anything that should be stopped or changed before she goes home.", "expert medication review with patient risk"),
        ("large", "ld", "med", "Is the apixaban dose right for this patient given the other drugs?", "individual dosing decision from a pasted letter"),
    ],
    "code_review_diff": [
        ("small", "su", "cs", "Summarise what this diff changes in one paragraph.", "short summary"),
        ("small", "ex", "cs", "Which functions does this diff touch?", "extraction"),
        ("large", "db", "cs", "Review this payments diff for correctness and security before we merge it.", "security and money review: float money, idempotency race, logged card data"),
        ("medium", "rw", "cs", "Write a commit message for this diff, conventional-commit style, with a body listing the changes.", "rewrite with requirements"),
    ],
}

# Support bot: the policy is the system prompt, the user asks one of these.
SUPPORT_ASKS = [
    ("small", "fa", "gen", "How long does standard delivery take?", "stated in the system prompt"),
    ("small", "fa", "gen", "Do you ship to Switzerland?", "stated in the system prompt"),
    ("small", "fa", "gen", "Can I pay with Klarna?", "stated in the system prompt"),
    ("small", "fa", "gen", "How many BrightPoints do I need for 10 euros off?", "one-step from the policy"),
    ("small", "fa", "gen", "I want to return a kettle I bought 12 days ago, never used. Is that OK and do I pay for shipping?", "stated in the policy"),
    ("small", "fa", "gen", "Can I return an opened bag of coffee?", "stated in the policy"),
    ("small", "fa", "gen", "My toaster stopped working after 14 months. What do I do?", "warranty stated in the policy"),
    ("small", "fa", "gen", "How do I cancel an order that hasn't shipped?", "stated in the policy"),
    ("small", "st", "gen", "Hi Sunny! Just wanted to say my order arrived quickly, thanks.", "chat within a bot"),
    ("small", "fa", "gen", "Is gift wrapping available and how much?", "stated in the policy"),
    ("medium", "ea", "gen", "I ordered on Friday at 3 pm with express, and there's a bank holiday Monday. When will it arrive in Leeds, and will I owe import duty on a 120 euro order?", "several rules combined, some judgement"),
    ("medium", "fa", "gen", "Your blender cut my hand when the lid came off. I want compensation or I'm calling a lawyer.", "must follow the escalation rule exactly"),
]

# A long chat history; the user's last turn is one of these.
CHAT_ASKS = [
    ("small", "st", "gen", "Thanks, that's really helpful!", "closing chit-chat after a long history"),
    ("small", "rw", "gen", "Can you make your last answer shorter, as bullets?", "reformat the previous answer"),
    ("small", "rw", "ling", "Translate the packing list into German.", "translation"),
    ("small", "fa", "gen", "Remind me which neighbourhood you suggested?", "look-up in the history"),
    ("medium", "cw", "gen", "Write me the spreadsheet formulas for the budget layout you described: totals per category, per person, and a running balance.", "several formulas that must fit together"),
    ("medium", "cr", "gen", "Turn everything we discussed into a day-by-day itinerary document with a budget table and booking checklist.", "long structured writing from the history"),
]

# Agentic requests with tools (see build.py for the tool definitions).
AGENT_ASKS = [
    ("small", "ag", "gen", "weather", "What's the weather in Porto right now?", "single obvious tool call"),
    ("small", "ag", "gen", "calendar", "Add 'dentist' to my calendar for Thursday at 3pm.", "single obvious tool call"),
    ("small", "ag", "gen", "search", "Search the docs for how to reset my password.", "single obvious tool call"),
    ("medium", "ag", "gen", "calendar", "Find a 30-minute slot next week when both Ana and Bo are free and book a call, then email them the invite.", "chain of three calls"),
    ("medium", "ag", "cs", "shell", "Run the test suite, and if anything fails, show me the failing test's source and the last 30 lines of its output.", "tool chain with a condition"),
    ("large", "ag", "cs", "sql", "Customers charged twice yesterday need refunds: find them in the production payments DB and issue the refunds.", "agent acting on production money"),
    ("large", "ag", "fin", "ledger", "Close the books for March: post the accruals, reverse last month's, and reconcile the bank account to the ledger.", "agent acting on the books"),
    ("large", "ag", "cs", "shell", "Prod disk is 97% full on db-1. Free space without losing data and without restarting Postgres.", "agent on a production system"),
]

# Long system prompts for everyday apps; the user asks something small.
SYSTEM_APP_ASKS = [
    ("small", "rw", "gen", "Rewrite: 'we r closed tmrw bc of the storm, sry!!'", "rewrite under a long style guide"),
    ("small", "rw", "gen", "Make this product title follow the guide: 'super comfy cotton tshirt BLUE mens large'", "format per the guide"),
    ("small", "ex", "gen", "Tag this message: 'Where is my parcel? It's been 9 days.'", "label per the guide"),
    ("medium", "cr", "gen", "Write the launch email for our autumn range following the style guide: subject line, preview text, 150-word body and a CTA.", "writing with many constraints"),
]
