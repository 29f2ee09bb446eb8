"""Hand-written requests of 300-1,000 characters: a pasted email, paragraph, snippet or
question with its details. Row format as asks_everyday.py (the ask is the whole user turn)."""

EMAIL = (
    "Hi team,\n\nquick reminder that the quarterly all-hands is next Thursday at 10:00 in the "
    "big room on floor 3, and on the video link for remote folks. Please send agenda items to "
    "Marta by Tuesday. Lunch is provided after, let her know about dietary needs. Also the car "
    "park will be closed that morning for resurfacing so use the side street.\n\nThanks,\nJonas"
)
SNIPPET_JS = (
    "function total(items) {\n  let sum = 0;\n  for (var i = 0; i <= items.length; i++) {\n"
    "    sum += items[i].price * items[i].qty;\n  }\n  return sum.toFixed(2);\n}\n"
    "console.log(total([{price: 2.5, qty: 2}, {price: 1.2, qty: 5}]));"
)
SNIPPET_PY = (
    "import requests\n\ndef fetch_all(urls):\n    results = {}\n    for u in urls:\n"
    "        r = requests.get(u)\n        results[u] = r.json()\n    return results\n\n"
    "# called from a Flask route for ~200 urls per request"
)
PARAGRAPH = (
    "The new community garden opened last weekend on the site of the old bus depot. Volunteers "
    "planted forty fruit trees and built raised beds that local schools will use for science "
    "lessons. The council has promised water access by the summer, and a tool library will open "
    "in the converted ticket office. Anyone can join for a small yearly fee, which pays for seeds "
    "and insurance."
)
CLAUSE = (
    "14.2 The Licensee shall not, and shall procure that its Affiliates shall not, directly or "
    "indirectly, challenge or assist any third party in challenging the validity of the Licensed "
    "Patents, and any such challenge shall entitle the Licensor to terminate this Agreement "
    "forthwith upon written notice, without prejudice to any accrued rights."
)
LABS = (
    "Results from my annual check: LDL 4.9 mmol/L, HDL 1.0, triglycerides 2.8, HbA1c 6.3%, "
    "ALT 58, eGFR 71. I'm 52, male, smoke 5 a day, BP 146/92, father had a heart attack at 55."
)

ROWS = [
    ("small", "su", "gen", f"Summarise this email in one sentence:\n\n{EMAIL}", "short summary of clear prose"),
    ("small", "ex", "gen", f"When and where is the all-hands?\n\n{EMAIL}", "values from the text"),
    ("small", "rw", "ling", f"Translate this email into German:\n\n{EMAIL}", "translation"),
    ("small", "rw", "gen", f"Make this email more concise, same facts:\n\n{EMAIL}", "shortening"),
    ("small", "ex", "gen", f"List the deadlines mentioned:\n\n{EMAIL}", "extraction"),
    ("small", "su", "gen", f"Give me three bullet points from this:\n\n{PARAGRAPH}", "short summary"),
    ("small", "rw", "ling", f"Traduce al español:\n\n{PARAGRAPH}", "translation"),
    ("small", "rw", "gen", f"Rewrite this for a primary-school newsletter:\n\n{PARAGRAPH}", "simplification"),
    ("small", "ex", "gen", f"What will the fee pay for?\n\n{PARAGRAPH}", "value from the text"),
    ("medium", "cr", "gen", f"Write a 250-word press release based on this, with a quote from a volunteer and a boilerplate paragraph:\n\n{PARAGRAPH}", "writing with several requirements"),
    ("medium", "db", "cs", f"This prints an error instead of the total. What's wrong? Fix it.\n\n{SNIPPET_JS}", "off-by-one and var scope, everyday debugging"),
    ("small", "rw", "cs", f"Reformat this with 4-space indentation and semicolons consistent:\n\n{SNIPPET_JS}", "mechanical reformatting"),
    ("small", "su", "cs", f"What does this function do, in one sentence?\n\n{SNIPPET_JS}", "short code summary"),
    ("medium", "cw", "cs", f"Rewrite this to fetch concurrently with a limit of 10 at a time, a timeout per request and errors collected per URL:\n\n{SNIPPET_PY}", "async rewrite with requirements"),
    ("medium", "db", "cs", f"Our Flask endpoint that calls this is very slow and sometimes times out. Why?\n\n{SNIPPET_PY}", "everyday performance debugging"),
    ("small", "ex", "cs", f"Which library does this import?\n\n{SNIPPET_PY}", "one value from code"),
    ("small", "rw", "law", f"Split this clause into shorter sentences without changing its meaning:\n\n{CLAUSE}", "mechanical rewrite"),
    ("small", "rw", "ling", f"Translate this clause into French:\n\n{CLAUSE}", "translation"),
    ("large", "ea", "law", f"We're the Licensee in the EU. Is this no-challenge clause enforceable under Article 101 TFEU and the TTBER, and what's our risk if we challenge the patent?\n\n{CLAUSE}", "competition law judgement with stakes"),
    ("medium", "ea", "law", f"In plain terms, what does this clause stop us from doing?\n\n{CLAUSE}", "plain-language legal explanation"),
    ("large", "ea", "med", f"{LABS}\nShould I start a statin, and what about the liver result? What would you do in my place?", "individual cardiovascular risk decision"),
    ("small", "rw", "med", f"Put these results into a table with columns test and value:\n\n{LABS}", "reformatting"),
    ("medium", "ea", "med", f"Explain in general terms what each of these numbers measures:\n\n{LABS}", "consumer medical information, no decision"),
    ("medium", "wp", "gen", "Our team of 7 has to cover a support rota 7 days a week, 2 people per day, nobody more than 3 days in a row and everyone gets at least one full weekend off in a 4-week cycle. Is that possible? Give a schedule.", "constraint problem with several conditions"),
    ("medium", "sq", "cs", "Tables: orders(id, customer_id, created_at, total), refunds(order_id, amount, created_at). Write a query for net revenue per week for the last 12 weeks, where a refund counts in the week it happened, not the week of the order, and weeks with no orders show 0.", "query with several requirements"),
    ("large", "sq", "cs", "Our nightly job does UPDATE accounts SET balance = balance + delta FROM staged WHERE ... in one transaction over 40M rows, and during it the app sees lock timeouts and once we had a balance applied twice after a retry. How should this be redesigned?", "consistency and money in a data job"),
    ("medium", "cw", "cs", "Write a Python function that takes a list of (start, end) meeting intervals, possibly unsorted and overlapping, and returns the minimum number of rooms needed, with tests including touching intervals and an empty list.", "real function with edge cases"),
    ("large", "pr", "math", "Let f be a continuous function on [0,1] with f(0) = f(1). Prove that for every positive integer n there exist x in [0,1 - 1/n] with f(x) = f(x + 1/n), and show the statement fails if 1/n is replaced by 2/5.", "non-trivial analysis proof with a counterexample"),
    ("medium", "pr", "math", "A bag has 5 red and 3 blue marbles. I draw 3 without replacement. What's the probability of exactly 2 red? Show the computation with combinations.", "textbook probability"),
    ("small", "ar", "gen", "I worked 38.5 hours this week at $22 an hour. What's my gross pay before tax?", "one-step multiplication"),
    ("medium", "ea", "fin", "I'm 35 with $40k in savings, $12k credit card debt at 22% and a 401k match I'm not taking. In general, what order do people usually tackle these in, and why?", "general personal finance reasoning"),
    ("large", "ea", "fin", "I'm the sole trustee of my late aunt's trust holding $2.3M in one tech stock; the beneficiaries disagree about selling. What are my duties under the prudent investor rule and what is my personal exposure if I hold and it drops?", "fiduciary decision with personal liability"),
    ("small", "cr", "gen", "Write a friendly two-sentence reply to this: 'Hi! Are you still coming to the picnic on Saturday? We're bringing sandwiches, could you bring drinks?'", "short reply"),
    ("medium", "su", "gen", f"Summarise this for the facilities manager, highlighting only what they need to act on:\n\n{EMAIL}", "summary choosing what matters"),
]
