"""Writer w2: requests typed the way people type at work and in chat apps.

Terse fragments, lowercase, typos, "quick q:", context first and the question last, bullet
lists of requirements, pasted stack traces / SQL / configs / emails / tables with an easy or a
hard ask about them, multi-turn conversations whose last turn changes the difficulty, and app
traffic under a system prompt. Written for this corpus by a second writer (not the author of
asks_everyday.py ... asks_pasted.py), labelled by README.md's rules as each row was written.

ROWS: one-turn asks, (tier, kind, domain, text, reason).
PASTED: material -> asks about it, (tier, kind, domain, ask, reason); every ask is sent with
  two variants of the material (generated below with fixed seeds), the ask after the material
  in variant 0 and before it in variant 1.
CONVERSATIONS: (tier, kind, domain, turns, reason): turns alternate user / assistant and end on
  the user turn that is labelled.
APPS: (tier, kind, domain, system prompt name, ask, reason), under one of SYSTEM_PROMPTS.
AGENT_ASKS: one-turn asks sent with the tool definitions TOOLS.
requests() yields (family, variant, row, messages, extra fields) for build.py.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from typing import Any

Row = tuple[str, str, str, str, str]

ROWS: list[Row] = [
    # small talk
    ("small", "st", "gen", "yo", "greeting"),
    ("small", "st", "gen", "ty!! that worked", "thanks"),
    ("small", "st", "gen", "ok cool", "acknowledgement"),
    ("small", "st", "gen", "morning. long day ahead lol", "chit-chat"),
    ("small", "st", "gen", "r u chatgpt or something else", "chat about the assistant"),
    ("small", "st", "psych", "ugh mondays. say smth nice", "light chat"),
    ("small", "st", "gen", "nvm figured it out", "nothing to do"),
    ("small", "st", "gen", "can u talk like a pirate for the rest of this chat", "playful chat"),
    # factual lookups, everyday asks in technical words
    ("small", "fa", "cs", "whats the diff between git fetch and git pull", "well-known distinction"),
    ("small", "fa", "cs", "default ssh port?", "one known value"),
    ("small", "fa", "cs", "what does idempotent mean (api context)", "basic definition"),
    ("small", "fa", "cs", "kubectl cmd to see pods in all namespaces", "one known command"),
    ("small", "fa", "fin", "quick q: what's EBITDA stand for", "acronym lookup"),
    ("small", "fa", "fin", "is a roth ira funded w/ pre tax or post tax $", "basic fact"),
    ("small", "fa", "econ", "whats stagflation in 1 line", "basic definition"),
    ("small", "fa", "econ", "who came up w/ the invisible hand thing", "well-known fact"),
    ("small", "fa", "phys", "speed of light in m/s pls", "one known value"),
    ("small", "fa", "phys", "unit of inductance?", "school fact"),
    ("small", "fa", "bio", "mitochondria = powerhouse of the cell, what does that actually mean",
     "school-level explanation"),
    ("small", "fa", "bio", "how many chromosomes do humans have", "school fact"),
    ("small", "fa", "chem", "pH of pure water at room temp", "school fact"),
    ("small", "fa", "chem", "whats avogadros number again", "one known value"),
    ("small", "fa", "hist", "when did ww1 start", "well-known date"),
    ("small", "fa", "hist", "who was the first roman emperor", "well-known fact"),
    ("small", "fa", "phil", "what is the trolley problem, short version", "well-known thought experiment"),
    ("small", "fa", "phil", "cogito ergo sum meaning", "well-known phrase"),
    ("small", "fa", "psych", "what's confirmation bias? example pls", "basic definition"),
    ("small", "fa", "psych", "maslow pyramid levels in order", "textbook list"),
    ("small", "fa", "ling", "is it 'affect' or 'effect' here: the drug didnt ___ me", "usage lookup"),
    ("small", "fa", "ling", "plural of 'octopus'", "dictionary lookup"),
    ("small", "fa", "med", "normal body temp in F", "general health fact"),
    ("small", "fa", "med", "what does 'bid' mean on a prescription", "abbreviation lookup"),
    ("small", "fa", "law", "what does 'pro bono' mean", "basic definition"),
    ("small", "fa", "law", "whats the difference between a felony and misdemeanor, 2 sentences",
     "basic definition"),
    ("small", "fa", "gen", "how many tbsp in a cup", "common knowledge"),
    ("small", "fa", "math", "is 1 a prime number", "school fact"),
    # factual, medium: undergraduate explanations, consumer-level info
    ("medium", "fa", "phys", "explain why time dilation happens in special relativity, undergrad "
     "level, with the light clock argument", "undergraduate explanation"),
    ("medium", "fa", "bio", "crispr cas9 how does it actually cut the right spot. explain like im "
     "a 2nd year bio student", "undergraduate explanation"),
    ("medium", "fa", "econ", "why do central banks raise rates to fight inflation? walk me thru "
     "the transmission mechanism", "standard macro explanation"),
    ("medium", "fa", "fin", "bonds vs bond funds - why can a bond fund lose money when rates go up "
     "even if i hold it", "consumer finance explanation"),
    ("medium", "fa", "cs", "how does TLS 1.3 handshake work, step by step, what's different from 1.2",
     "standard professional knowledge"),
    ("medium", "fa", "hist", "causes of the fall of the western roman empire - the main "
     "historiographical views, not just 'barbarians'", "survey of standard views"),
    ("medium", "fa", "med", "what's the difference between type 1 and type 2 diabetes and why do "
     "some type 2 ppl end up on insulin", "consumer-level medical information"),
    ("medium", "fa", "chem", "why is benzene so stable? resonance vs aromaticity, hückel rule",
     "undergraduate explanation"),
    ("medium", "fa", "ling", "whats the difference between phonetics and phonology w examples from "
     "english", "undergraduate explanation"),
    ("medium", "fa", "psych", "cbt vs dbt - what's each for and how do sessions differ",
     "consumer-level information"),
    ("medium", "fa", "law", "in general how does adverse possession work in the US, what elements "
     "need to be shown", "consumer-level legal information"),
    # rewrite / translate / format
    ("small", "rw", "gen", "make this sound less passive aggressive: 'per my last email, the "
     "deadline was friday'", "tone rewrite"),
    ("small", "rw", "gen", "fix grammar: me and him goes to the office everyday but he dont "
     "like it", "proofreading"),
    ("small", "rw", "gen", "translate to spanish: 'the meeting moved to 3pm, pls confirm'",
     "short translation"),
    ("small", "rw", "ling", "german for 'i would like to cancel my subscription' (formal)",
     "short translation"),
    ("small", "rw", "cs", "convert to yaml: {\"name\": \"api\", \"replicas\": 3, \"ports\": "
     "[80, 443]}", "reformat"),
    ("small", "rw", "cs", "turn this into a one-liner: for x in xs: if x > 0: out.append(x*2)",
     "trivial code rewrite"),
    ("small", "rw", "gen", "shorter pls: We wanted to reach out to let you know that we will be "
     "closed on Monday due to the public holiday.", "shortening"),
    ("small", "rw", "fin", "reword for a client: 'your portfolio underperformed the benchmark by "
     "2.1% this qtr'", "tone rewrite"),
    ("small", "rw", "med", "rewrite in plain english for a patient: 'pt presents w/ acute "
     "exacerbation of COPD'", "plain-language rewrite"),
    ("small", "rw", "gen", "sort alphabetically: pear, apple, fig, banana, cherry", "reorder list"),
    ("medium", "rw", "law", "rewrite this NDA clause so it's mutual instead of one-way, keep the "
     "carve-outs: 'Recipient shall not disclose Confidential Information of Discloser except to "
     "its employees with a need to know or as required by law.'",
     "clause rewrite that must keep the legal meaning"),
    # extraction / classification
    ("small", "ex", "gen", "pull the dates out: 'we met on 3 march, followed up 12/04 and "
     "signed jun 1st'", "pull values"),
    ("small", "ex", "gen", "is this review positive or negative: 'arrived late but honestly "
     "worth the wait, love it'", "sentiment label"),
    ("small", "ex", "cs", "which of these are valid ipv4: 10.0.0.256, 192.168.1.1, 8.8.8.8, 1.2.3",
     "simple classification"),
    ("small", "ex", "gen", "tag these tickets bug/feature/question: 'app crashes on login', "
     "'add dark mode', 'how do i export?'", "labels"),
    ("small", "ex", "fin", "get the amount and due date from: 'Invoice #4471 - EUR 1,240.00 due "
     "within 30 days of 14 May'", "pull values"),
    ("small", "ex", "med", "list the meds mentioned: pt on metformin 500 bid, atorvastatin qhs, "
     "started lisinopril", "pull names"),
    ("small", "ex", "ling", "what language is this: 'dziękuję bardzo za pomoc'", "language id"),
    # summarisation
    ("small", "su", "gen", "tldr this: 'Hi all, the office will be closed Friday for maintenance. "
     "Please take laptops home Thursday. VPN will stay up. Thanks, Facilities'",
     "one-line summary of clear prose"),
    ("medium", "su", "med", "summarize the main findings of the landmark SPRINT trial (intensive "
     "vs standard BP targets) for a GP audience, with the caveats", "summary choosing what matters"),
    # creative writing
    ("small", "cr", "gen", "haiku about debugging at 2am", "short creative, harmless"),
    ("small", "cr", "gen", "funny slack status for someone on PTO", "one-liner"),
    ("small", "cr", "gen", "write a 2 line birthday msg for my coworker dana", "short message"),
    ("medium", "cr", "gen", "need a ~500 word short story, sci-fi, twist ending, no dialogue, "
     "set on a generation ship, for my kid's class (age 12)", "long-form writing with constraints"),
    ("medium", "cr", "hist", "write a diary entry from a soldier at the somme, 1916, historically "
     "accurate details, 300-400 words", "constrained writing needing accuracy"),
    ("medium", "cr", "fin", "blog post 800 words: 'why index funds beat most stock pickers', "
     "friendly tone, cite the spiva data in general terms, no hype", "long-form with constraints"),
    # code writing
    ("small", "cw", "cs", "py: reverse a string", "one-line code"),
    ("small", "cw", "cs", "js get current timestamp in ms", "one-line code"),
    ("small", "cw", "cs", "bash loop over all .csv in a folder and print name", "basic script"),
    ("small", "cw", "cs", "regex for a 5 digit us zip", "basic regex"),
    ("medium", "cw", "cs", "need a python func:\n- takes list of dicts (orders)\n- groups by "
     "customer_id\n- returns top 3 customers by total spend\n- ties broken by earliest order\n- "
     "handle empty input\n+ pytest tests pls", "function with edge cases and tests"),
    ("medium", "cw", "cs", "write a react hook useDebounce(value, ms) in typescript, cancel on "
     "unmount, with a quick test", "everyday component code"),
    ("medium", "cw", "cs", "go http middleware that logs method, path, status, latency. status "
     "needs a wrapped ResponseWriter. no deps", "standard code with a gotcha"),
    ("medium", "cw", "cs", "github actions workflow: run pytest on 3.10/3.11/3.12, cache pip, "
     "only on PRs to main", "config with several requirements"),
    ("large", "cw", "cs", "lock-free MPMC ring buffer in rust, no unsafe beyond what's needed, "
     "explain every Ordering you pick", "memory-model work, subtle if wrong"),
    ("large", "cw", "cs", "impl a CRDT for a collaborative text editor (RGA or similar) in ts, "
     "with proof sketch it converges under concurrent inserts/deletes", "distributed correctness"),
    # debugging / review
    ("small", "db", "cs", "TypeError: 'NoneType' object is not subscriptable - what does this "
     "usually mean", "common error explained"),
    ("small", "db", "cs", "git says 'detached HEAD' what do i do", "common fix"),
    ("medium", "db", "cs", "my useEffect runs twice in dev?? react 18, nothing weird in the code, "
     "is this a bug", "everyday debugging"),
    ("medium", "db", "cs", "pandas merge gives way more rows than either df. both have ~10k rows, "
     "result 2M. joining on 'date'. why", "everyday debugging"),
    ("large", "db", "cs", "java: double-checked locking singleton w/o volatile - is it actually "
     "broken on x86 or only in theory? need a definitive answer for a code review",
     "memory-model question, easy to get wrong"),
    ("large", "db", "cs", "we see rare duplicate charges. handler: check idempotency key in redis, "
     "if absent charge stripe then SET key. 2 pods. whats wrong + fix", "concurrency with money"),
    ("large", "db", "cs", "jwt verify: we decode header, read alg, then verify with that alg and "
     "our key. pen tester flagged it. why exactly", "security review"),
    # system design
    ("medium", "sd", "cs", "design a url shortener, ~100 writes/s, 10k reads/s. db choice, id "
     "gen, caching. interview-level", "textbook system design"),
    ("medium", "sd", "cs", "how would u structure a rate limiter for our api - token bucket in "
     "redis? per user and per ip", "textbook design"),
    ("large", "sd", "cs", "multi-region active-active postgres for payments, RPO 0, what are my "
     "real options and what breaks", "consistency with money at stake"),
    ("large", "sd", "cs", "exactly-once processing kafka -> postgres, consumers can crash "
     "anywhere. is transactional outbox enough or do we need more", "consistency design"),
    ("large", "sd", "fin", "design the ledger for a neobank: double entry, multi-currency, "
     "holds/auths, reversals, audit, must reconcile to the cent daily", "financial system design"),
    # data / sql
    ("small", "sq", "cs", "sql count rows in users table where active", "basic query"),
    ("small", "sq", "cs", "postgres: how to rename a column", "one known statement"),
    ("medium", "sq", "cs", "sql: 7-day rolling avg of daily signups per country, include days "
     "with 0 signups", "window function plus gap filling"),
    ("medium", "sq", "fin", "need monthly cohort retention from orders(user_id, created_at). "
     "postgres. output cohort month x months since first order", "cohort SQL"),
    ("large", "sq", "cs", "postgres SERIALIZABLE vs REPEATABLE READ - concrete anomaly RR allows "
     "that would break our 'balance never negative' check?", "isolation subtlety"),
    # arithmetic
    ("small", "ar", "gen", "15% tip on 84.50", "one-step sum"),
    ("small", "ar", "gen", "whats 2^10", "one step"),
    ("small", "ar", "fin", "if i make 72k/yr whats that per month before tax", "one step"),
    ("small", "ar", "gen", "convert 180 lbs to kg", "one-step conversion"),
    ("medium", "ar", "fin", "loan 250k 30yr fixed 6.5% whats the monthly payment exactly, show "
     "the formula", "exact multi-step computation"),
    ("medium", "ar", "chem", "molar mass of Ca3(PO4)2 show work", "exact multi-step arithmetic"),
    # word problems
    ("small", "wp", "gen", "if a train leaves at 2:15 and the trip is 1h50 when does it arrive",
     "one-step word problem"),
    ("medium", "wp", "gen", "3 ppl split rent 2400, one room is 1.5x bigger than the other two "
     "which are equal. fair split by area?", "multi-step word problem"),
    ("medium", "wp", "phys", "ball thrown up at 15 m/s from a 20m roof, when does it hit the "
     "ground, g=9.8", "textbook kinematics"),
    ("large", "wp", "math", "i have 2 kids, at least one is a boy born on a tuesday. prob both "
     "are boys? not 1/2 right?", "probability trap"),
    ("large", "wp", "math", "monty hall but host doesnt know where the car is and opens a goat "
     "door by luck. should i switch", "probability trap"),
    ("large", "wp", "fin", "game: flip coin, heads i double ur money, tails lose 60%. positive EV. "
     "should a person play 100 rounds w/ all their money?", "ergodicity trap"),
    # competition maths / proofs
    ("medium", "pr", "math", "prove there are infinitely many primes", "textbook proof"),
    ("medium", "pr", "math", "show the sum of first n odd numbers is n^2 by induction",
     "textbook proof"),
    ("large", "pr", "math", "prove every group of order p^2 is abelian", "non-trivial proof"),
    ("large", "pr", "math", "find all f: R->R with f(x+y)=f(x)+f(y) and f(xy)=f(x)f(y)",
     "olympiad functional equation"),
    ("large", "pr", "math", "is there a continuous bijection from [0,1) onto the circle whose "
     "inverse is not continuous? prove it", "topology proof"),
    ("large", "pr", "math", "n points on a circle, all chords drawn, no 3 concurrent. how many "
     "regions? derive it", "competition combinatorics"),
    # expert analysis: short requests that need the top tier
    ("large", "ea", "med", "dad's on warfarin, doc just added fluconazole for a yeast thing. ok "
     "to take together?", "individual drug interaction, bleeding risk"),
    ("large", "ea", "med", "4yo, 16kg, fever 39.4. how much childrens ibuprofen 100mg/5ml",
     "paediatric dosing"),
    ("large", "ea", "med", "chest tightness when i climb stairs, goes away w rest, 54M smoker. "
     "wait for my appt in 3 wks?", "individual triage"),
    ("large", "ea", "med", "pregnant 10wks, can i keep taking my sertraline 100mg or should i "
     "taper", "individual medication decision in pregnancy"),
    ("large", "ea", "law", "got fired yesterday in california, they want me to sign a release "
     "for 2 wks severance. what am i giving up", "individual employment decision"),
    ("large", "ea", "law", "tenant in NYC, rent stabilized, landlord says renovation lets him "
     "raise rent 30%. legit?", "individual legal decision"),
    ("large", "ea", "law", "german GmbH, 2 founders 50/50, one wants out, no shareholder "
     "agreement. options?", "individual corporate-law decision"),
    ("large", "ea", "fin", "US citizen living in portugal, NHR status, selling RSUs from US "
     "employer. where do i pay tax", "cross-border tax"),
    ("large", "ea", "fin", "63, 1.2M in 401k, want to retire at 65. roth conversions now or "
     "not? in 24% bracket", "individual tax decision"),
    ("large", "ea", "fin", "price a 5y cliquet w/ local vol vs stoch vol - why do they give "
     "different prices when both fit the smile", "graduate derivatives"),
    ("large", "ea", "fin", "derive the black scholes pde via delta hedging, state every "
     "assumption", "graduate derivation"),
    ("large", "ea", "econ", "2SLS with 40 instruments, first stage F=6. what goes wrong and "
     "what should i use instead", "graduate econometrics"),
    ("large", "ea", "econ", "diff-in-diff with staggered adoption, TWFE gives negative weights - "
     "explain why and which estimator to use", "graduate econometrics"),
    ("large", "ea", "econ", "does the ricardian equivalence hold if households are liquidity "
     "constrained? formal argument", "graduate macro"),
    ("large", "ea", "phys", "derive the fine structure correction for hydrogen n=2, which terms "
     "and why the j-degeneracy survives", "graduate physics"),
    ("large", "ea", "phys", "why does the berry phase of an electron around a dirac point equal "
     "pi? derivation not handwaving", "graduate physics"),
    ("large", "ea", "phys", "renormalization group intuition for why the ising critical "
     "exponents are universal, 3d case", "graduate physics"),
    ("large", "ea", "bio", "why do some GWAS hits replicate across ancestries and others not - "
     "LD, effect heterogeneity, what matters most", "graduate genetics"),
    ("large", "ea", "bio", "my RNA-seq: 3 reps, DESeq2 gives 4000 DEGs at padj<0.05 for a mild "
     "treatment. plausible or batch?", "expert judgement on an analysis"),
    ("large", "ea", "chem", "mechanism for the sharpless asymmetric epoxidation, why that "
     "enantioselectivity", "graduate organic chemistry"),
    ("large", "ea", "chem", "scaling up a grignard from 5g to 2kg, what safety issues do i need "
     "to plan for", "costly if wrong"),
    ("large", "ea", "hist", "was the 1923 german hyperinflation deliberate policy? weigh the "
     "historiography, feldman vs others", "expert historiography"),
    ("large", "ea", "hist", "how reliable is procopius' secret history as a source on justinian, "
     "and how do historians use it", "expert source criticism"),
    ("large", "ea", "phil", "does parfit's teleportation case actually show personal identity "
     "isn't what matters? strongest objection", "graduate philosophy"),
    ("large", "ea", "phil", "kripke's wittgenstein: is the skeptical solution coherent or does "
     "it collapse into the paradox", "graduate philosophy"),
    ("large", "ea", "phil", "is the repugnant conclusion avoidable without violating any of "
     "arrhenius' adequacy conditions", "graduate philosophy"),
    ("large", "ea", "psych", "ego depletion replication failure - what survives, what doesn't, "
     "and what it means for the strength model", "expert reading of a literature"),
    ("large", "ea", "psych", "my therapist client (adult) disclosed intent to harm an ex. state "
     "is ohio. duty to warn?", "individual legal-clinical decision"),
    ("large", "ea", "ling", "why is 'whom did you see the man who met?' ungrammatical - island "
     "constraints, subjacency vs phase theory", "graduate syntax"),
    ("large", "ea", "ling", "reconstruct the PIE source of english 'wheel' and greek 'kyklos', "
     "explain the sound laws", "historical linguistics"),
    ("large", "ea", "ling", "evidentiality in turkish -miş: is it a mood, tense, or evidential? "
     "arguments each way", "graduate linguistics"),
    ("large", "ea", "cs", "is raft linearizable for reads if the leader serves them locally "
     "without a heartbeat round? when not", "consistency subtlety"),
    ("large", "ea", "cs", "can spectre v1 leak across a wasm sandbox boundary in a browser? "
     "which mitigations matter", "security depth"),
    # expert analysis, medium: consumer-level, no individual decision
    ("medium", "ea", "med", "general q - how do statins work and what are the common side "
     "effects people talk about", "consumer medical info, no decision"),
    ("medium", "ea", "fin", "whats the general difference between a traditional and roth 401k, "
     "who usually benefits from which", "consumer finance info"),
    ("medium", "ea", "econ", "explain comparative advantage with a 2 country 2 good example, "
     "numbers pls", "textbook economics"),
    # long elaborate-sounding asks that are really medium
    ("medium", "cw", "cs", "ok so context: we're a small team (4 devs), mostly python, we have a "
     "flask app thats been around since 2017 and we keep adding endpoints. nobody wrote tests "
     "for the old stuff. my manager wants 'comprehensive enterprise-grade testing "
     "infrastructure' by next sprint lol. realistically what i need: a pytest setup with "
     "fixtures for the flask test client and a sqlite test db, a couple of example tests for "
     "a GET and a POST endpoint, and coverage reporting in CI. can u write that",
     "standard test scaffolding, sounds bigger than it is"),
    ("medium", "cr", "gen", "Dear assistant, I am preparing an important and comprehensive "
     "farewell speech for my esteemed colleague of twenty-two years, Margaret, who is retiring "
     "from our accounting department. She loves gardening, terrible puns, and once saved the "
     "quarter-end close by finding a misplaced decimal. The speech should be about three "
     "minutes, warm, a little funny, and end with a toast. Please write it.",
     "constrained long-form writing"),
    ("medium", "sd", "cs", "Requirements for our internal tool (please design the architecture "
     "holistically, considering scalability, maintainability, observability and security "
     "best practices): users upload CSVs up to 50MB, we validate columns, store them, and "
     "email a summary. ~200 uploads a day. We use AWS. What services and what flow?",
     "textbook design at tiny scale"),
    ("medium", "su", "psych", "I'm writing a literature review chapter and I need help. Can you "
     "give me a structured overview of the main theories of motivation in psychology "
     "(self-determination theory, expectancy-value, goal-setting, drive theory), with the key "
     "authors, the core claim of each, and one well-known study each? Undergraduate level is "
     "fine, it's for a second-year module.", "undergraduate overview"),
    ("medium", "sq", "cs", "we have a table events(id, user_id, type, ts). product wants a "
     "'comprehensive engagement analytics framework'. concretely they asked for: DAU, WAU, "
     "stickiness DAU/MAU per day for the last 90 days. postgres. one query or a few, whatever",
     "window and date SQL"),
    ("medium", "wp", "econ", "Scenario for my economics homework: A firm faces demand "
     "Q = 100 - 2P and has total cost TC = 10Q + Q^2. Find the profit-maximizing quantity, "
     "price and profit, then the deadweight loss compared with perfect competition. Please "
     "show all the steps clearly so I can follow along.", "textbook multi-step problem"),
    # agentic, as typed (no tool definitions)
    ("small", "ag", "gen", "set a reminder for 3pm tmrw: call dentist", "one obvious action"),
    ("medium", "ag", "cs", "search our jira for open bugs tagged 'payments', then make a "
     "summary table by assignee", "two-step tool chain"),
    # mid-length: a pasted snippet, then an easy or a hard ask about it
    ("small", "ex", "cs", "Traceback (most recent call last):\n  File \"app.py\", line 42, in "
     "<module>\n    main()\n  File \"app.py\", line 37, in main\n    cfg = load(path)\n  "
     "File \"config.py\", line 12, in load\n    with open(p) as f:\nFileNotFoundError: "
     "[Errno 2] No such file or directory: 'settings.toml'\n\nwhat file is missing",
     "one value from the trace"),
    ("small", "rw", "cs", "SELECT u.id,u.email,count(o.id) FROM users u LEFT JOIN orders o ON "
     "o.user_id=u.id WHERE u.created_at>'2024-01-01' GROUP BY u.id,u.email HAVING "
     "count(o.id)>3 ORDER BY 3 DESC\n\nformat this sql readably pls", "reformatting"),
    ("large", "db", "cs", "func (c *Cache) Get(k string) (v []byte, ok bool) {\n  c.mu.RLock()\n"
     "  e, ok := c.m[k]\n  c.mu.RUnlock()\n  if ok && time.Now().After(e.exp) {\n    c.mu.Lock()"
     "\n    delete(c.m, k)\n    c.mu.Unlock()\n    return nil, false\n  }\n  return e.v, ok\n}"
     "\n\nany race here? Set() can refresh the entry concurrently", "concurrency review"),
    ("medium", "db", "cs", "const [items, setItems] = useState([]);\nuseEffect(() => {\n  "
     "fetch('/api/items').then(r => r.json()).then(setItems);\n}, [items]);\n\nthis hammers "
     "the api nonstop?? why", "everyday react bug"),
    ("small", "ex", "gen", "Hi team, reminder that the Q3 offsite is on Thu 19 Sep at the "
     "Harbour Hotel, Room 4, from 9:30. Lunch provided. Please send dietary needs to Mira by "
     "the 12th. Parking is limited, so the 8:50 shuttle from the office is recommended.\n\n"
     "when and where is it + who do i tell about dietary stuff", "pull values"),
    ("large", "ea", "med", "discharge summary says: 'NSTEMI, DES to LAD. Ticagrelor 90mg bd + "
     "aspirin 75mg for 12 months. Continue apixaban 5mg bd for AF.' pharmacist here - triple "
     "therapy for 12 months? seems wrong, what should it be", "individual antithrombotic "
     "regimen, bleeding risk"),
    ("medium", "rw", "med", "consultant's letter: 'Impression: mild degenerative changes L4/5 "
     "with no neural compromise. Plan: physiotherapy, simple analgesia, review PRN.' can you "
     "explain this to me in normal words, i'm the patient", "plain-language explanation"),
    ("large", "ea", "fin", "term sheet: '1x non-participating liquidation preference, full "
     "ratchet anti-dilution, 20% option pool pre-money, 2 of 5 board seats.' we're the "
     "founders. which terms hurt us most and what do we push back on", "individual deal "
     "decision"),
    ("small", "ex", "fin", "term sheet: '1x non-participating liquidation preference, full "
     "ratchet anti-dilution, 20% option pool pre-money, 2 of 5 board seats.' how many board "
     "seats does the investor get", "one value"),
    ("medium", "ar", "econ", "CPI 2022: 296.8, 2023: 304.7, 2024: 313.7. nominal wage went "
     "52k -> 54.5k -> 56k. real wage growth each yr in 2022 dollars?", "exact multi-step "
     "arithmetic"),
    ("large", "ea", "econ", "regression output: log(wage) on educ, coef 0.092 (se 0.007), "
     "R2 0.19, n=4,200, IV with quarter of birth gives 0.105 (se 0.041). is the IV estimate "
     "evidence OLS is biased down? what's the catch", "graduate econometrics"),
    ("small", "rw", "hist", "'Four score and seven years ago our fathers brought forth on "
     "this continent, a new nation, conceived in Liberty, and dedicated to the proposition "
     "that all men are created equal.' translate to italian", "translation"),
    # more short asks that need the top tier
    ("large", "ea", "med", "on lithium, doc wants to add ibuprofen regularly for back pain. "
     "ok?", "drug interaction with toxicity risk"),
    ("large", "ea", "med", "type 1, pump failed, BG 19 and ketones 2.1, no insulin pen at "
     "home. what now", "individual emergency"),
    ("large", "ea", "law", "uk employee, 18 months service, dismissed for 'redundancy' but "
     "they hired for my role last wk. deadline to claim?", "individual deadline decision"),
    ("large", "ea", "fin", "sold my house in spain as a non resident, buyer withheld 3%. how "
     "do i get it back and what do i owe at home (uk)", "cross-border tax"),
    ("large", "sd", "cs", "we use redis SETNX with TTL as a distributed lock for billing runs. "
     "is that safe if redis fails over? redlock?", "distributed-locking correctness"),
    ("large", "db", "cs", "c++: shared_ptr copied across threads, one thread resets it. is "
     "reading through the copy a data race?", "memory-model subtlety"),
    ("large", "wp", "math", "pick a random chord of a circle. prob its longer than the side of "
     "the inscribed triangle?", "bertrand paradox"),
    ("large", "pr", "math", "prove that e is irrational and then say why the same trick fails "
     "for pi", "non-textbook proof discussion"),
    ("large", "ea", "chem", "why is the SN2 rate in DMSO so much faster than in methanol, "
     "quantitatively? which solvation terms dominate", "graduate physical organic chemistry"),
    ("large", "ea", "hist", "did the treaty of versailles 'cause' ww2? weigh keynes against "
     "macmillan and the recent revisionists", "expert historiography"),
    ("large", "ea", "psych", "is the dunning-kruger effect just regression to the mean plus "
     "a better-than-average effect? what's the evidence", "expert reading of a literature"),
    ("large", "ea", "bio", "why does a Ka/Ks > 1 on one branch not by itself prove positive "
     "selection? what can go wrong", "graduate molecular evolution"),
    # more of the thinner domains, mostly medium
    ("medium", "fa", "bio", "how does the krebs cycle connect to oxidative phosphorylation, "
     "where does most ATP actually come from", "undergraduate explanation"),
    ("medium", "fa", "bio", "explain hardy-weinberg + when its assumptions fail, w/ an example "
     "calc", "undergraduate explanation with a sum"),
    ("medium", "su", "bio", "summarise how mRNA vaccines work for a parents' newsletter, 150 "
     "words, no jargon, accurate", "audience summary with accuracy constraints"),
    ("medium", "cw", "bio", "biopython: read a fasta, report GC content per sequence and flag "
     "ones with N runs > 10", "script with several requirements"),
    ("large", "ea", "bio", "why does the selfish gene view struggle with multilevel selection "
     "cases like eusociality? nowak/tarnita vs the inclusive fitness crowd", "graduate "
     "evolutionary biology"),
    ("large", "ea", "bio", "designing a CRISPR knockout in iPSCs, worried about p53 selection "
     "and off-targets. what controls would a reviewer insist on", "expert experimental design"),
    ("medium", "fa", "phil", "utilitarianism vs deontology, main objections to each, undergrad "
     "essay level", "undergraduate overview"),
    ("medium", "fa", "phil", "what's the is-ought problem and why do ppl think it matters for "
     "ethics", "undergraduate explanation"),
    ("medium", "cr", "phil", "write a short socratic dialogue (~400 words) on whether lying is "
     "ever ok, for a high school class", "constrained writing"),
    ("large", "ea", "phil", "does the zombie argument beg the question against type-B "
     "physicalism? reconstruct it and say where it fails, if it does", "graduate philosophy of "
     "mind"),
    ("medium", "fa", "law", "what is the difference between an LLC and an S corp for taxes in "
     "general", "consumer-level legal and tax info"),
    ("medium", "rw", "law", "turn these notes into a polite formal letter to my landlord asking "
     "for the boiler repair, mention it's been 3 wks and I have a baby", "letter with "
     "constraints, no legal judgement"),
    ("large", "ea", "law", "startup: we scraped public linkedin profiles for our sales tool. EU "
     "users too. GDPR exposure and what do we do this week", "individual legal exposure"),
    ("medium", "fa", "econ", "explain moral hazard vs adverse selection w/ insurance examples",
     "textbook economics"),
    ("medium", "wp", "econ", "cournot duopoly, P = 120 - Q, both MC = 30. equilibrium q, P, "
     "profits? then compare to monopoly", "textbook multi-step problem"),
    ("medium", "su", "econ", "summarise the main arguments for and against a universal basic "
     "income for a policy brief intro, balanced, 250 words", "balanced summary for an audience"),
    ("large", "ea", "econ", "why do the HANK models overturn the RANK result on the "
     "transmission of monetary policy? which channel carries it", "graduate macroeconomics"),
    ("medium", "fa", "phys", "why do superconductors expel magnetic fields, meissner effect "
     "intuition, 2nd year level", "undergraduate explanation"),
    ("medium", "wp", "phys", "capacitor 10uF charged to 12V discharged thru 4.7k. time to 1V? "
     "energy dissipated?", "textbook circuit problem"),
    ("medium", "cw", "phys", "numpy: simulate a damped driven pendulum w/ RK4, plot the phase "
     "portrait, params as cli args", "simulation script with requirements"),
    ("large", "ea", "phys", "is the black hole information paradox resolved by the island "
     "formula? what exactly does the page curve calc assume", "research-level physics"),
    ("small", "fa", "phys", "is sound faster in water or air", "school fact"),
    ("small", "ar", "phys", "kinetic energy of a 2kg thing at 3 m/s", "one-step formula"),
    ("medium", "fa", "phys", "why do we see only one side of the moon, tidal locking explained "
     "properly", "undergraduate explanation"),
    ("large", "ea", "phys", "derive the stark shift of hydrogen n=2 to first order, which "
     "states mix and why n=1 has no linear shift", "graduate derivation"),
    ("large", "ea", "phys", "our lab's interferometer drifts ~λ/20 over 10 min. thermal vs "
     "mechanical vs laser freq noise - how do i tell them apart experimentally", "expert "
     "experimental diagnosis"),
    ("medium", "fa", "chem", "le chatelier - why does adding an inert gas at constant volume "
     "not shift equilibrium", "undergraduate explanation"),
    ("medium", "wp", "chem", "how many grams of NaOH to make 250 mL of 0.2 M, and how to dilute "
     "it to 0.05 M", "textbook multi-step problem"),
    ("small", "fa", "chem", "is vinegar an acid or a base", "school fact"),
    ("medium", "fa", "hist", "why did the us enter ww1 when it did, main factors",
     "standard historical explanation"),
    ("medium", "cr", "hist", "write 5 quiz questions w/ answers on the french revolution, "
     "mixed difficulty, for yr 9", "constrained writing needing accuracy"),
    ("small", "fa", "hist", "what empire built machu picchu", "well-known fact"),
    ("medium", "fa", "psych", "explain classical vs operant conditioning with 2 everyday "
     "examples each", "textbook explanation"),
    ("medium", "sq", "psych", "i have survey data long format (pid, item, score). sql to pivot "
     "to wide + compute cronbach alpha? or is that dumb in sql", "data work with a judgement"),
    ("large", "ea", "psych", "my pre-registered study got p=.049 on the primary, but one "
     "exclusion rule was ambiguous. how do i report this honestly", "research-integrity "
     "judgement"),
    ("medium", "fa", "ling", "why does english spelling not match pronunciation, great vowel "
     "shift etc, short history", "standard explanation"),
    ("medium", "ex", "ling", "tag each word with its part of speech: 'the old man the boats'",
     "garden-path sentence, needs care"),
    ("small", "rw", "ling", "transliterate to latin letters: Москва", "simple transliteration"),
    ("medium", "fa", "med", "what's the general difference between a CT and an MRI, when is "
     "each used", "consumer-level medical info"),
    ("medium", "su", "med", "patient handout on managing gout flares, diet + when to call the "
     "doctor, 200 words", "audience writing, standard advice"),
    ("medium", "fa", "fin", "how does a 2/20 hedge fund fee structure work w/ a high water "
     "mark, example with numbers", "standard professional knowledge"),
    ("medium", "sq", "fin", "SQL: for each account running balance ordered by txn time, and "
     "flag the first time it goes negative", "window SQL with a flag"),
    ("medium", "db", "cs", "docker build is super slow, every change reinstalls all pip deps. "
     "dockerfile below-ish: COPY . . then RUN pip install -r requirements.txt", "everyday "
     "fix"),
    ("medium", "sd", "cs", "we need background jobs in our django app (emails, pdf gen, ~5k/day). "
     "celery+redis or something simpler? what would u pick", "textbook design choice"),
    ("medium", "cw", "cs", "write a bash script: backup /var/www to s3 nightly, keep 14 days, "
     "exit nonzero + log if anything fails", "script with several requirements"),
    ("medium", "cr", "gen", "product description for our standing desk, 3 versions: "
     "technical, lifestyle, one for amazon bullets. specs: 120x60, dual motor, 62-127cm",
     "several constrained pieces"),
    ("medium", "su", "cs", "write release notes from these commit titles for customers, group "
     "into new/improved/fixed, skip internal ones: 'fix typo in ci', 'add csv export', 'faster "
     "search (2x)', 'bump deps', 'fix crash on empty cart'", "summary choosing what matters"),
    ("medium", "ag", "gen", "find a 30 min slot next week where me, ana and bo are all free "
     "and send the invite", "two-step tool chain"),
]

# ----------------------------------------------------------------- pasted material generators

NAMES = ("priya", "tomasz", "keiko", "omar", "lucia", "sven", "ade", "mei", "jonas", "rita")
HOSTS = ("api-1", "api-2", "worker-3", "db-primary", "db-replica", "cache-1")


def stack_trace(variant: int) -> str:
    """A Java service log: INFO lines, then a NullPointerException and a pool timeout."""
    rng = random.Random(200 + variant)
    lines = []
    minute = 10 + variant
    for i in range(22):
        user = rng.choice(NAMES)
        ms = rng.randint(12, 480)
        lines.append(
            f"2024-06-0{variant + 3} 09:{minute:02d}:{i * 2:02d}.{rng.randint(100, 999)} INFO  "
            f"[http-nio-8080-exec-{rng.randint(1, 9)}] c.a.orders.OrderController - "
            f"GET /orders/{rng.randint(10000, 99999)} user={user} {ms}ms"
        )
    lines.append(
        f"2024-06-0{variant + 3} 09:{minute + 1:02d}:03.114 WARN  [HikariPool-1 housekeeper] "
        "com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Thread starvation or clock leap "
        "detected (housekeeper delta=1m2s)."
    )
    lines.append(
        f"2024-06-0{variant + 3} 09:{minute + 1:02d}:07.502 ERROR [http-nio-8080-exec-4] "
        "c.a.orders.OrderService - failed to price order"
    )
    lines += [
        "java.lang.NullPointerException: Cannot invoke \"java.math.BigDecimal.multiply("
        "java.math.BigDecimal)\" because \"rate\" is null",
        "\tat com.acme.orders.pricing.FxConverter.convert(FxConverter.java:58)",
        "\tat com.acme.orders.pricing.PriceService.priceLine(PriceService.java:112)",
        "\tat com.acme.orders.pricing.PriceService.lambda$price$0(PriceService.java:87)",
        "\tat java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)",
        "\tat java.base/java.util.ArrayList$ArrayListSpliterator.forEachRemaining("
        "ArrayList.java:1625)",
        "\tat com.acme.orders.pricing.PriceService.price(PriceService.java:88)",
        "\tat com.acme.orders.OrderService.create(OrderService.java:64)",
        "\tat com.acme.orders.OrderController.post(OrderController.java:41)",
        "\t... 48 common frames omitted",
    ]
    for i in range(6):
        lines.append(
            f"2024-06-0{variant + 3} 09:{minute + 2:02d}:{i * 7:02d}.{rng.randint(100, 999)} ERROR "
            f"[http-nio-8080-exec-{rng.randint(1, 9)}] c.a.orders.OrderController - "
            "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not "
            f"available, request timed out after 30000ms (total={10}, active={10}, idle=0, "
            f"waiting={rng.randint(20, 60)})"
        )
    return "\n".join(lines)


def slow_query(variant: int) -> str:
    """A schema, a slow report query and its EXPLAIN ANALYZE output."""
    rng = random.Random(300 + variant)
    rows = rng.randint(8, 30) * 100_000
    return f"""-- schema
CREATE TABLE customers (
    id          bigserial PRIMARY KEY,
    email       text NOT NULL UNIQUE,
    country     char(2) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE invoices (
    id           bigserial PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES customers(id),
    status       text NOT NULL CHECK (status IN ('draft','open','paid','void')),
    amount_cents bigint NOT NULL,
    currency     char(3) NOT NULL,
    issued_at    timestamptz NOT NULL,
    paid_at      timestamptz
);
CREATE INDEX invoices_customer_idx ON invoices (customer_id);
CREATE INDEX invoices_issued_idx ON invoices (issued_at);

-- the report query (runs every 5 min from the dashboard)
SELECT c.country,
       date_trunc('day', i.issued_at) AS day,
       count(*) FILTER (WHERE i.status = 'paid') AS paid,
       sum(i.amount_cents) FILTER (WHERE i.status = 'paid') AS paid_cents
FROM invoices i
JOIN customers c ON c.id = i.customer_id
WHERE i.issued_at >= now() - interval '{30 + variant * 30} days'
  AND i.currency = 'EUR'
GROUP BY 1, 2
ORDER BY 2 DESC, 1;

-- EXPLAIN (ANALYZE, BUFFERS)
Sort  (cost=412903.11..413102.44 rows=79732 width=27) (actual time={rng.randint(7000, 9000)}.114..{rng.randint(9001, 9900)}.950 rows=2790 loops=1)
  Sort Key: (date_trunc('day'::text, i.issued_at)) DESC, c.country
  Sort Method: quicksort  Memory: 412kB
  Buffers: shared hit=10233 read={rng.randint(180000, 260000)}
  ->  HashAggregate  (cost=401877.20..404867.15 rows=79732 width=27) (actual time=8710.402..8744.015 rows=2790 loops=1)
        Group Key: c.country, date_trunc('day'::text, i.issued_at)
        ->  Hash Join  (cost=38211.00..379882.62 rows={rows // 3} width=27) (actual time=612.77..8102.33 rows={rows // 3 + rng.randint(1, 9999)} loops=1)
              Hash Cond: (i.customer_id = c.id)
              ->  Seq Scan on invoices i  (cost=0.00..331204.00 rows={rows // 3} width=27) (actual time=0.031..6650.118 rows={rows // 3 + rng.randint(1, 9999)} loops=1)
                    Filter: ((currency = 'EUR'::bpchar) AND (issued_at >= (now() - '{30 + variant * 30} days'::interval)))
                    Rows Removed by Filter: {rows - rows // 3}
              ->  Hash  (cost=22711.00..22711.00 rows=1240000 width=11) (actual time=611.90..611.90 rows=1240000 loops=1)
                    Buckets: 2097152  Batches: 1  Memory Usage: 65871kB
                    ->  Seq Scan on customers c  (cost=0.00..22711.00 rows=1240000 width=11) (actual time=0.012..233.40 rows=1240000 loops=1)
Planning Time: 0.611 ms
Execution Time: {rng.randint(9001, 9900)}.377 ms"""


def k8s_config(variant: int) -> str:
    """A Deployment, Service and HPA for an API, with resource and probe settings."""
    rng = random.Random(400 + variant)
    replicas = rng.choice((2, 3, 4))
    mem = rng.choice((256, 512))
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-api
  namespace: shop-prod
  labels:
    app: checkout-api
    team: payments
spec:
  replicas: {replicas}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: {replicas}
  selector:
    matchLabels:
      app: checkout-api
  template:
    metadata:
      labels:
        app: checkout-api
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: api
          image: registry.internal/checkout-api:2.{14 + variant}.{rng.randint(0, 9)}
          ports:
            - containerPort: 8080
          env:
            - name: DB_POOL_SIZE
              value: "{rng.choice((20, 40, 50))}"
            - name: STRIPE_SECRET_KEY
              value: "sk_live_REDACTED"
            - name: LOG_LEVEL
              value: info
          resources:
            requests:
              cpu: 250m
              memory: {mem}Mi
            limits:
              cpu: "1"
              memory: {mem}Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
            periodSeconds: 5
            failureThreshold: 1
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
            initialDelaySeconds: 0
            periodSeconds: 5
            failureThreshold: 1
---
apiVersion: v1
kind: Service
metadata:
  name: checkout-api
  namespace: shop-prod
spec:
  selector:
    app: checkout-api
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout-api
  namespace: shop-prod
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: checkout-api
  minReplicas: {replicas}
  maxReplicas: {replicas * 4}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {rng.choice((50, 70, 80))}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: checkout-api
  namespace: shop-prod
spec:
  minAvailable: {replicas}
  selector:
    matchLabels:
      app: checkout-api
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: checkout-api-config
  namespace: shop-prod
data:
  PAYMENT_TIMEOUT_MS: "{rng.choice((3000, 5000, 10000))}"
  RETRY_MAX: "{rng.choice((3, 5))}"
  FEATURE_NEW_TAX_ENGINE: "{rng.choice(("true", "false"))}"
"""


def email_thread(variant: int) -> str:
    """A customer escalation thread about a delayed shipment and a disputed invoice."""
    rng = random.Random(500 + variant)
    who = rng.sample(NAMES, 3)
    po = rng.randint(40000, 49999)
    amount = rng.randint(18, 64) * 1000 + rng.choice((250, 500, 750))
    day = 10 + variant
    blocks = [
        f"From: {who[0].title()} Okafor <{who[0]}@northwind-retail.com>\n"
        f"To: accounts@brightline-logistics.com\nDate: Mon, {day} Mar 2025 08:41\n"
        f"Subject: RE: RE: PO {po} - shipment and invoice\n\n"
        f"Hi {who[1].title()},\n\nI have to escalate this. PO {po} was promised for delivery on "
        f"the 3rd. It is now the {day}th and we have received 14 of 20 pallets. Your invoice "
        f"INV-{po}-A for EUR {amount:,} bills the full 20 pallets plus expedited freight that we "
        "never asked for. Our contract (section 7.2) says freight upgrades need written "
        "approval from us. We will pay for what arrived once we have a corrected invoice. "
        "Please also confirm when the remaining 6 pallets will arrive; our stores are running "
        "promotions on these items from the 17th.\n\nRegards,\n"
        f"{who[0].title()}\nHead of Supply, Northwind Retail",
        f"From: {who[1].title()} Brandt <{who[1]}@brightline-logistics.com>\n"
        f"To: {who[0]}@northwind-retail.com\nCc: {who[2]}@brightline-logistics.com\n"
        f"Date: Fri, {day - 3} Mar 2025 17:02\nSubject: RE: PO {po} - shipment and invoice\n\n"
        f"Hi {who[0].title()},\n\nThanks for your patience. The delay came from a customs hold "
        "in Rotterdam on 6 pallets (paperwork on the supplier side). We upgraded those to "
        "expedited freight to make up time, which our ops team understood had been agreed on "
        f"the call of the 28th. I've asked {who[2].title()} in billing to look at the invoice. "
        "The remaining pallets are expected at your DC on the 14th, subject to customs.\n\n"
        f"Best,\n{who[1].title()}\nAccount Manager",
        f"From: {who[0].title()} Okafor <{who[0]}@northwind-retail.com>\n"
        f"To: {who[1]}@brightline-logistics.com\nDate: Wed, {day - 5} Mar 2025 11:15\n"
        f"Subject: PO {po} - shipment and invoice\n\nHello,\n\nWe still have no ETA for PO "
        f"{po}, which was due on the 3rd, and we have just received invoice INV-{po}-A. Could "
        "you tell me where the shipment is and why the invoice includes a line for "
        "'expedited freight - 6 plt'? Nobody here approved that.\n\nThanks,\n"
        f"{who[0].title()}",
    ]
    if variant % 2:
        blocks.insert(
            1,
            f"From: {who[2].title()} Silva <{who[2]}@brightline-logistics.com>\n"
            f"To: {who[1]}@brightline-logistics.com\nDate: Mon, {day} Mar 2025 09:30\n"
            f"Subject: FW: PO {po}\n\n{who[1].title()} - internal only. The call notes from the "
            "28th say 'customer open to expediting, will confirm by email'. I can't find a "
            "confirmation email. Do you have one? If not we should probably credit the freight "
            "line.\n",
        )
    footer = (
        "\n\nThis e-mail and any attachments are confidential and intended solely for the "
        "addressee. If you have received it in error, please notify the sender and delete it. "
        "Please consider the environment before printing this e-mail."
    )
    return "\n\n-----\n\n".join(block + footer for block in blocks)


def quarterly_table(variant: int) -> str:
    """A company's quarterly P&L and cash flow lines, as pasted from a spreadsheet."""
    rng = random.Random(600 + variant)
    quarters = [f"Q{q} {y}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)]
    revenue = rng.randint(40, 60) * 1.0
    lines = ["metric\t" + "\t".join(quarters)]
    series: dict[str, list[float]] = {m: [] for m in (
        "revenue", "cogs", "gross_profit", "opex_sm", "opex_rd", "opex_ga", "ebitda", "d_and_a",
        "interest", "net_income", "cfo", "capex", "fcf", "deferred_revenue", "ar", "cash",
        "total_debt", "arr", "net_revenue_retention_pct", "headcount")}
    for _ in quarters:
        revenue *= 1 + rng.uniform(-0.02, 0.09)
        cogs = revenue * rng.uniform(0.28, 0.36)
        sm, rd, ga = (revenue * rng.uniform(a, b) for a, b in ((0.3, 0.4), (0.2, 0.26), (0.1, 0.14)))
        ebitda = revenue - cogs - sm - rd - ga
        da, interest = revenue * 0.04, rng.uniform(0.8, 1.4)
        net = ebitda - da - interest
        cfo = net + da + rng.uniform(-3, 6)
        capex = revenue * rng.uniform(0.03, 0.07)
        for m, v in (("revenue", revenue), ("cogs", cogs), ("gross_profit", revenue - cogs),
                     ("opex_sm", sm), ("opex_rd", rd), ("opex_ga", ga), ("ebitda", ebitda),
                     ("d_and_a", da), ("interest", interest), ("net_income", net),
                     ("cfo", cfo), ("capex", capex), ("fcf", cfo - capex),
                     ("deferred_revenue", revenue * rng.uniform(0.5, 0.8)),
                     ("ar", revenue * rng.uniform(0.35, 0.6)),
                     ("cash", 80 + rng.uniform(-10, 10)),
                     ("total_debt", 45 + rng.uniform(0, 5)),
                     ("arr", revenue * 4 * rng.uniform(0.95, 1.05)),
                     ("net_revenue_retention_pct", rng.uniform(98, 118)),
                     ("headcount", 300 + rng.randint(0, 40) + len(series["revenue"]) * 12)):
            series[m].append(v)
    for m, values in series.items():
        fmt = "{:.0f}" if m == "headcount" else "{:.2f}"
        lines.append(m + "\t" + "\t".join(fmt.format(v) for v in values))
    notes = (
        "notes: (1) Q3 2023 includes a one-off USD 2.1m release of a bad-debt provision in "
        "opex_ga. (2) From Q1 2024 capitalised software development is moved from opex_rd to "
        "capex (restated quarters not provided). (3) deferred_revenue and ar are quarter-end "
        "balances. (4) cfo for Q4 2024 is preliminary and unaudited. (5) headcount is full-time "
        "equivalents at quarter end, contractors excluded. (6) Figures prepared by the company "
        "for the data room; not reviewed by the auditors."
    )
    return "(USD millions except headcount)\n" + "\n".join(lines) + "\n\n" + notes


def lab_panel(variant: int) -> str:
    """A patient's lab report: panels with values, units and reference ranges."""
    rng = random.Random(700 + variant)
    rows = [
        ("Sodium", 136, 145, "mmol/L", (131, 141)), ("Potassium", 3.5, 5.1, "mmol/L", (4.8, 6.1)),
        ("Chloride", 98, 107, "mmol/L", (97, 106)), ("Bicarbonate", 22, 29, "mmol/L", (17, 24)),
        ("Urea", 2.5, 7.8, "mmol/L", (8.0, 14.0)), ("Creatinine", 59, 104, "umol/L", (130, 190)),
        ("eGFR", 60, 120, "mL/min/1.73m2", (28, 45)), ("Glucose (fasting)", 3.9, 5.6, "mmol/L", (5.0, 9.5)),
        ("HbA1c", 20, 42, "mmol/mol", (44, 70)), ("ALT", 7, 56, "U/L", (15, 60)),
        ("AST", 10, 40, "U/L", (14, 45)), ("ALP", 40, 129, "U/L", (60, 140)),
        ("Bilirubin (total)", 3, 21, "umol/L", (5, 18)), ("Albumin", 35, 50, "g/L", (31, 42)),
        ("Hemoglobin", 130, 170, "g/L", (104, 135)), ("WBC", 4.0, 11.0, "x10^9/L", (5.1, 10.2)),
        ("Platelets", 150, 400, "x10^9/L", (160, 320)), ("MCV", 80, 100, "fL", (78, 92)),
        ("Ferritin", 30, 400, "ug/L", (40, 520)), ("TSH", 0.4, 4.0, "mIU/L", (1.1, 5.8)),
        ("Total cholesterol", 0, 5.0, "mmol/L", (4.1, 6.6)), ("LDL", 0, 3.0, "mmol/L", (2.1, 4.4)),
        ("HDL", 1.0, 9.9, "mmol/L", (0.8, 1.6)), ("Triglycerides", 0, 1.7, "mmol/L", (1.0, 2.9)),
        ("Magnesium", 0.7, 1.0, "mmol/L", (0.62, 0.95)), ("Phosphate", 0.8, 1.5, "mmol/L", (1.1, 1.9)),
        ("Calcium (adj)", 2.2, 2.6, "mmol/L", (2.15, 2.6)), ("PTH", 1.6, 6.9, "pmol/L", (6.0, 18.0)),
        ("Urine ACR", 0, 3.0, "mg/mmol", (2.0, 40.0)), ("NT-proBNP", 0, 125, "ng/L", (90, 900)),
    ]
    out = [
        "CITY GENERAL HOSPITAL - CLINICAL BIOCHEMISTRY",
        f"Patient: [redacted]   Sex: M   Age: {rng.randint(58, 76)}   MRN: {rng.randint(10**6, 10**7)}",
        f"Collected: 2025-02-{10 + variant:02d} 07:{rng.randint(10, 59)}   Reported: same day",
        "Clinical details: 'CKD follow-up, on ramipril 10mg, spironolactone 25mg, metformin 1g bd'",
        "",
        f"{'Test':<20}{'Result':>10}  {'Units':<14}{'Reference':>14}  Flag",
    ]
    for name, lo, hi, unit, (a, b) in rows:
        value = round(rng.uniform(a, b), 1 if isinstance(lo, float) or b < 20 else 0)
        flag = "H" if value > hi else "L" if value < lo else ""
        out.append(f"{name:<20}{value:>10}  {unit:<14}{f'{lo}-{hi}':>14}  {flag}")
    out.append("")
    out.append("Comment: haemolysis index 0 (sample not haemolysed). Results validated by duty "
               "biochemist.")
    return "\n".join(out)


def titration_data(variant: int) -> str:
    """A lab notebook: pH readings against titrant volume for a weak acid, with metadata."""
    rng = random.Random(800 + variant)
    pka, conc = rng.uniform(4.4, 4.9), rng.uniform(0.09, 0.11)
    out = [
        f"Lab notebook - group {variant + 3} - titration of unknown weak acid HA",
        f"analyte: 25.00 mL HA (approx. {conc:.3f} M); titrant: 0.1000 M NaOH; T = 22.5 C",
        "burette: 50 mL class A, read to 0.01 mL; stirred magnetically; readings taken 30 s "
        "after each addition once the meter settled; phenolphthalein 2 drops added at start; "
        "NaOH standardised against KHP on the same day (three titres, mean 0.1000 M, RSD 0.2%)",
        "pH meter calibrated at pH 4.00, 7.00, 10.00 (slope 98.7%)",
        "",
        "V_NaOH (mL)\tpH\tnotes",
    ]
    veq = 25.0 * conc / 0.1
    v = 0.0
    while v <= veq * 1.6:
        if v < veq - 0.05:
            ratio = max(v, 0.05) / (veq - v)
            ph = pka + math.log10(ratio) if v > 0 else (pka - math.log10(conc)) / 2
        elif v <= veq + 0.05:
            ph = 8.7
        else:
            excess = (v - veq) * 0.1 / (25.0 + v)
            ph = 14 + math.log10(excess)
        note = "colour change (phenolphthalein)" if abs(v - veq) < 0.3 else ""
        out.append(f"{v:.2f}\t{ph + rng.uniform(-0.03, 0.03):.2f}\t{note}")
        v += 0.4 if abs(v - veq) > 3 else 0.2
    return "\n".join(out)


def survey_table(variant: int) -> str:
    """Responses of participants to a 10-item Likert questionnaire, with condition."""
    rng = random.Random(900 + variant)
    items = [f"q{i}" for i in range(1, 11)]
    out = [
        "study: mindfulness app pilot, pre/post, PSS-10 (perceived stress), items 1-10 scored 0-4,"
        " items 4,5,7,8 reverse-scored (NOT yet reversed below)",
        "pid,condition,wave," + ",".join(items),
    ]
    for pid in range(1, 41):
        cond = "app" if pid % 2 else "waitlist"
        for wave in ("pre", "post"):
            shift = -1 if cond == "app" and wave == "post" and rng.random() < 0.6 else 0
            vals = [min(4, max(0, rng.randint(1, 3) + shift)) for _ in items]
            out.append(f"P{pid:03d},{cond},{wave}," + ",".join(map(str, vals)))
    return "\n".join(out)


def archive_letters(variant: int) -> str:
    """Transcribed letters from a (fictional) 1840s merchant house archive."""
    rng = random.Random(1000 + variant)
    ports = ["Liverpool", "Bordeaux", "Lisbon", "Hamburg", "Cadiz", "Bristol", "Antwerp"]
    goods = ["cotton", "port wine", "indigo", "salt cod", "cork", "hides", "sugar"]
    letters = []
    for i in range(6):
        port, good = rng.choice(ports), rng.choice(goods)
        year = 1843 + variant
        letters.append(
            f"[Letter {i + 1}] {port}, {rng.randint(1, 28)} {rng.choice(('March', 'April', 'May', 'June'))} {year}.\n"
            f"Dear Sirs, We beg to acknowledge yours of the {rng.randint(1, 28)}th ult. and note "
            f"that the {good} by the brig '{rng.choice(('Hope', 'Mercury', 'Providence', 'Swift'))}' "
            f"is landed in tolerable order, save {rng.randint(2, 19)} bales damaged by sea water, "
            f"for which we have protested before the notary. Prices here are "
            f"{rng.choice(('dull', 'firm', 'much depressed', 'rising'))} on account of "
            f"{rng.choice(('the late failures in London', 'the corn laws agitation', 'scarce money', 'heavy arrivals from America'))}, "
            f"and we hold your bill at {rng.randint(60, 120)} days for "
            f"£{rng.randint(200, 2400)} {rng.randint(0, 19)}s. {rng.randint(0, 11)}d. We would advise "
            "you to hold back further shipments until the market recovers, and we remain, dear "
            "Sirs, your obedient servants, Hartley, Moss & Co."
        )
    return "\n\n".join(letters)


def qpcr_plate(variant: int) -> str:
    """qPCR Ct values for target and reference genes, treated vs control, with replicates."""
    rng = random.Random(1100 + variant)
    genes = ["GAPDH", "ACTB", "IL6", "TNF", "CXCL8", "SOCS3", "HMOX1"]
    out = [
        f"plate {variant + 1} | SYBR green | 40 cycles | run 2025-01-{14 + variant}",
        "macrophages (THP-1 derived), LPS 100 ng/mL 4h vs vehicle; 3 biological x 2 technical reps",
        "well\tsample\tgene\tCt\tTm\tnote",
    ]
    base = {"GAPDH": 18.2, "ACTB": 17.1, "IL6": 31.0, "TNF": 27.5, "CXCL8": 25.9,
            "SOCS3": 28.4, "HMOX1": 26.2}
    shift = {"IL6": -6.1, "TNF": -4.0, "CXCL8": -5.2, "SOCS3": -2.3, "HMOX1": 0.4}
    well = 0
    for cond in ("vehicle", "LPS"):
        for rep in (1, 2, 3):
            for gene in genes:
                for _ in (1, 2):
                    ct = base[gene] + (shift.get(gene, 0.0) if cond == "LPS" else 0.0)
                    ct += rng.gauss(0, 0.25) + (0.6 if gene == "GAPDH" and cond == "LPS" else 0)
                    row, col = "ABCDEFGH"[well // 12], well % 12 + 1
                    note = "undetermined" if ct > 35 else ""
                    out.append(f"{row}{col}\t{cond}_b{rep}\t{gene}\t{ct:.2f}\t"
                               f"{rng.uniform(81.5, 86.0):.1f}\t{note}")
                    well = (well + 1) % 96
    return "\n".join(out)


LEASE_CLAUSES = (
    ("Term", "The tenancy begins on {start} and ends on {end}. It continues month to month "
     "afterwards unless either party gives {notice} days' written notice."),
    ("Rent", "Rent is {rent} per month, payable in advance on the first day of each month by "
     "bank transfer. Rent received after the fifth day incurs a late fee of {late}."),
    ("Deposit", "The Tenant pays a security deposit of {deposit}, held in a protected scheme "
     "and returned within 30 days of the end of the tenancy less lawful deductions."),
    ("Repairs", "The Landlord keeps the structure, exterior, heating and hot water in repair. "
     "The Tenant reports defects promptly and is responsible for damage beyond fair wear."),
    ("Subletting", "The Tenant may not sublet or assign the whole or part of the premises "
     "without the Landlord's prior written consent, not to be unreasonably withheld."),
    ("Access", "The Landlord may enter on {access} hours' notice for inspection or repairs, "
     "and at any time in an emergency."),
    ("Pets", "{pets}"),
    ("Break clause", "Either party may end the tenancy after month {brk} by giving two months' "
     "written notice, provided the rent is fully paid."),
    ("Utilities", "The Tenant pays electricity, gas, water, internet and council tax for the "
     "term of the tenancy."),
    ("Rent review", "The Landlord may increase the rent once in each twelve-month period by "
     "giving {review} days' notice; any increase shall not exceed {cap}."),
    ("Insurance", "The Landlord insures the building. The Tenant is responsible for insuring "
     "their own belongings and is advised to hold contents insurance."),
    ("Decoration", "The Tenant may hang pictures with small picture hooks but may not paint, "
     "wallpaper or make alterations without the Landlord's written consent."),
    ("End of tenancy", "At the end of the tenancy the Tenant returns all keys, leaves the "
     "premises clean and in the condition recorded in the check-in inventory, fair wear and "
     "tear excepted."),
    ("Notices", "Notices under this agreement may be served by e-mail to the addresses given "
     "by each party, and are treated as received on the next working day."),
    ("Governing law", "This agreement is governed by the law of {law}."),
)


def lease(variant: int) -> str:
    """A residential lease assembled from clause templates; values differ by variant."""
    rng = random.Random(1200 + variant)
    values = {
        "start": f"{rng.randint(1, 28)} {rng.choice(('March', 'June', 'September'))} 2025",
        "end": f"{rng.randint(1, 28)} {rng.choice(('February', 'May', 'August'))} 2026",
        "notice": rng.choice((30, 60)),
        "rent": rng.choice(("GBP 1,450", "GBP 1,820", "GBP 2,100")),
        "late": rng.choice(("GBP 25", "GBP 50 plus 3% of the overdue rent")),
        "deposit": rng.choice(("five weeks' rent", "GBP 3,000")),
        "access": rng.choice((24, 48)),
        "pets": rng.choice(("No pets may be kept without written consent.",
                            "One cat or small dog is permitted; the Tenant pays for "
                            "professional cleaning at the end of the tenancy.")),
        "brk": rng.choice((4, 6)),
        "review": rng.choice((30, 60)),
        "cap": rng.choice(("the CPI increase for the prior year", "10%")),
        "law": "England and Wales",
    }
    parts = [f"ASSURED SHORTHOLD TENANCY AGREEMENT (ref. L-{rng.randint(1000, 9999)})",
             "Landlord: Kestrel Homes Ltd. Tenant: [names redacted]. Premises: Flat "
             f"{rng.randint(1, 40)}, 12 Wharf Road."]
    for n, (title, text) in enumerate(LEASE_CLAUSES, 1):
        parts.append(f"{n}. {title}. {text.format(**values)}")
    return "\n\n".join(parts)


STEMS = ("ka", "mo", "tiru", "sena", "lopa", "wiki", "nuru", "paso")
GLOSSES = ("dog", "boat", "house", "goat", "river", "tree", "stone", "bird")


def field_notes(variant: int) -> str:
    """Elicited sentences of an invented language, with glosses and translations."""
    rng = random.Random(1300 + variant)
    out = [f"field notebook, session {variant + 4}, speaker B (age 60s); language: "
           "(pseudonymised) 'Lanu'", "orthography: practical; ' = glottal stop", ""]
    for n in range(1, 31):
        i, j = rng.sample(range(len(STEMS)), 2)
        plural = rng.random() < 0.4
        past = rng.random() < 0.5
        noun = STEMS[i] + ("-ta" if plural else "")
        verb = "see" if rng.random() < 0.5 else "carry"
        vstem = ("ma'i" if verb == "see" else "sulo") + ("-ne" if past else "-ri")
        obj = STEMS[j] + "-'u"
        out.append(f"({n}) {noun} {obj} {vstem}")
        out.append(f"     {GLOSSES[i]}{'-PL' if plural else ''} {GLOSSES[j]}-ACC "
                   f"{verb}-{'PST' if past else 'NPST'}")
        out.append(f"     'the {GLOSSES[i]}{'s' if plural else ''} "
                   f"{'saw' if past and verb == 'see' else 'carried' if past else verb + ('' if plural else 's')}"
                   f" the {GLOSSES[j]}'")
    return "\n".join(out)


ESSAY_PARAGRAPHS = (
    "The question of whether free will is compatible with determinism has occupied "
    "philosophers since at least the Stoics. In this essay I argue that compatibilism, in "
    "the form defended by Frankfurt, gives the most plausible account of moral responsibility, "
    "although it faces a serious challenge from manipulation arguments.",
    "Frankfurt's famous cases describe an agent, Jones, who decides to act on his own, while a "
    "neuroscientist stands ready to intervene if Jones were about to decide otherwise. Since "
    "the neuroscientist never intervenes, Jones seems responsible even though he could not have "
    "done otherwise. Frankfurt concludes that the principle of alternate possibilities is "
    "false.",
    "Critics have replied with the so-called dilemma defence: either the prior sign that "
    "triggers the intervention is deterministically linked to the decision, in which case the "
    "case begs the question against the incompatibilist, or it is not, in which case Jones "
    "could have done otherwise after all.",
    "A positive compatibilist account can be built on Frankfurt's hierarchical model: an agent "
    "acts freely when the desire that moves her is one she wants to be moved by. On this view "
    "the addict who endorses his addiction acts freely, while the unwilling addict does not.",
    "However, Pereboom's four-case argument suggests that hierarchical conditions can be met by "
    "an agent whose desires were implanted by neuroscientists. If we judge that agent not "
    "responsible, and cannot find a relevant difference between her and an ordinary determined "
    "agent, compatibilism is in trouble.",
    "I think the best compatibilist response is a historical one: what matters is not only the "
    "structure of an agent's desires but how she came to have them. Mele's account, on which "
    "responsibility requires that one's values were not bypassed in their formation, can "
    "distinguish the manipulated agent from the ordinary one.",
    "In conclusion, although manipulation arguments show that purely structural accounts are "
    "insufficient, a historical compatibilism survives. Whether the historical condition can be "
    "stated without circularity is a question I have not been able to settle here.",
)


def student_essay(variant: int) -> str:
    """A second-year student's philosophy essay; variant 1 has typos and one paragraph fewer."""
    paragraphs = list(ESSAY_PARAGRAPHS)
    if variant % 2:
        paragraphs = [p.replace("their", "thier").replace("argue", "agrue") for p in paragraphs]
        del paragraphs[3]
    header = f"PHIL 2040 - Essay {variant + 1} - 'Can we be responsible in a determined world?'"
    return header + "\n\n" + "\n\n".join(paragraphs)


MATERIALS = {
    "stack_trace": stack_trace,
    "slow_query": slow_query,
    "k8s_config": k8s_config,
    "email_thread": email_thread,
    "quarterly_table": quarterly_table,
    "lab_panel": lab_panel,
    "titration": titration_data,
    "survey": survey_table,
    "archive": archive_letters,
    "qpcr": qpcr_plate,
    "lease": lease,
    "field_notes": field_notes,
    "essay": student_essay,
}

PASTED: dict[str, list[Row]] = {
    "stack_trace": [
        ("small", "ex", "cs", "what line number does the NPE happen on", "one value from the trace"),
        ("small", "ex", "cs", "how many 'Connection is not available' errors are there",
         "count lines"),
        ("small", "ex", "cs", "which class threw the first ERROR? just the name", "one value"),
        ("medium", "db", "cs", "whats causing the NPE and how do i guard against it in "
         "FxConverter", "everyday debugging from a trace"),
        ("large", "ld", "cs", "prod is down-ish. are the NPE and the hikari pool exhaustion the "
         "same incident or two? walk the causal chain from these lines and tell me what to do "
         "in the next 10 min vs this week", "incident analysis under pressure"),
    ],
    "slow_query": [
        ("small", "ex", "cs", "whats the execution time in that explain output", "one value"),
        ("small", "rw", "cs", "can u format the query part nicely w/ uppercase keywords, dont "
         "change anything else", "reformatting"),
        ("small", "ex", "cs", "list the indexes defined in the schema", "pull lines"),
        ("medium", "sq", "cs", "this is slow, what index would help and why. show the CREATE "
         "INDEX", "everyday query tuning"),
        ("large", "ld", "cs", "we're at 400M invoices next yr. redesign this for the dashboard: "
         "partitioning, rollups, or matview? tradeoffs incl. correctness of late-paid invoices "
         "and the cost of refreshing", "expert database design over the pasted plan"),
    ],
    "k8s_config": [
        ("small", "ex", "cs", "what image tag is this deploying", "one value"),
        ("small", "ex", "cs", "how many replicas min and max", "two values"),
        ("small", "rw", "cs", "convert the Service part to json", "reformatting"),
        ("medium", "db", "cs", "pods keep restarting under load, anything obviously off in the "
         "probes?", "everyday config review"),
        ("large", "ld", "cs", "review this for a prod payments service before we go live: "
         "availability during rollouts, probe behaviour under GC pauses, secrets handling, OOM "
         "risk. be specific, everything that could page us at 3am", "expert review, costly if "
         "missed"),
    ],
    "email_thread": [
        ("small", "ex", "gen", "whats the PO number and invoice amount", "pull values"),
        ("small", "su", "gen", "1 line summary of what the customer wants", "one-line summary"),
        ("small", "ex", "gen", "when are the remaining pallets expected", "one value"),
        ("small", "rw", "gen", "translate the first email to french", "translation"),
        ("medium", "cr", "gen", "draft a reply from brightline that apologises, credits the "
         "freight line and confirms the ETA. professional, not grovelling", "business writing "
         "with constraints"),
        ("large", "ea", "law", "we're brightline. if we credit the freight do we weaken our "
         "position on the other claims? could they reject the whole shipment under a typical "
         "supply contract and what should legal look at first", "individual legal exposure"),
    ],
    "quarterly_table": [
        ("small", "ex", "fin", "what was revenue in Q3 2024", "one cell"),
        ("small", "rw", "fin", "make this a markdown table, only revenue, ebitda, fcf rows",
         "reformatting"),
        ("small", "ex", "fin", "which quarter had the highest headcount", "pick a max"),
        ("medium", "ar", "fin", "compute yoy revenue growth for each 2024 quarter and gross "
         "margin %", "exact multi-step arithmetic"),
        ("large", "ld", "fin", "we're considering acquiring them at 6x forward revenue. from "
         "this table: quality of earnings red flags, cash conversion, what you'd push on in "
         "diligence, and whether 6x is defensible", "investment decision with money at stake"),
    ],
    "lab_panel": [
        ("small", "ex", "med", "which results are flagged H", "filter lines"),
        ("small", "ex", "med", "whats the potassium value", "one value"),
        ("small", "rw", "med", "put the flagged ones in a table: test, result, range",
         "reformatting"),
        ("medium", "su", "med", "explain in general terms what egfr and creatinine measure, for "
         "a patient reading this report", "consumer-level explanation"),
        ("large", "ld", "med", "my dad's labs. hes on ramipril + spironolactone. is this "
         "potassium dangerous, should he stop anything, ER today or call GP monday?",
         "individual triage with hyperkalaemia risk"),
    ],
    "titration": [
        ("small", "ex", "chem", "at what volume was the colour change noted", "one value"),
        ("small", "rw", "chem", "make this into csv with just volume and pH", "reformatting"),
        ("medium", "ea", "chem", "estimate the pKa from this data (half-equivalence), show how",
         "textbook analysis of data"),
        ("large", "ld", "chem", "the curve looks off near equivalence - could this be a "
         "diprotic acid or a CO2-contaminated titrant? argue from the data which, and how i'd "
         "tell experimentally", "expert data interpretation"),
    ],
    "survey": [
        ("small", "ex", "psych", "how many participants are there", "count"),
        ("small", "ex", "psych", "which items need reverse scoring", "one value from the header"),
        ("medium", "cw", "psych", "write R code to reverse score the right items, total PSS per "
         "row, and a paired t-test pre vs post within the app group", "analysis script with "
         "several requirements"),
        ("large", "ld", "psych", "is a pre/post + waitlist design like this enough to claim the "
         "app reduces stress? what analysis would a reviewer at a good journal demand, and what "
         "does this data actually support", "expert methodological judgement"),
    ],
    "archive": [
        ("small", "ex", "hist", "list all the ship names mentioned", "pull names"),
        ("small", "rw", "hist", "modernise the english of letter 1, keep meaning", "rewrite"),
        ("small", "ex", "hist", "what year are these from", "one value"),
        ("medium", "su", "hist", "summarise what these letters say about market conditions, "
         "for a museum panel (150 words)", "summary choosing what matters"),
        ("large", "ld", "hist", "for my thesis: what do these letters suggest about how "
         "merchant credit (bills at 60-120 days) transmitted the 1840s crises across ports? "
         "situate it in the historiography, and say what the sample can't show",
         "expert historical analysis"),
    ],

    "qpcr": [
        ("small", "ex", "bio", "which wells are undetermined", "filter lines"),
        ("small", "ex", "bio", "what were the LPS conditions (dose, time)", "one value from the "
         "header"),
        ("small", "rw", "bio", "reshape this to wide: one row per sample, one column per gene, "
         "mean of the technical reps", "reformatting with a mean"),
        ("medium", "cw", "bio", "python: compute ddCt fold change LPS vs vehicle for each gene "
         "with GAPDH as reference, mean +- sd over bio reps", "standard analysis script"),
        ("large", "ld", "bio", "GAPDH looks shifted in the LPS wells. does that invalidate the "
         "normalisation? which reference would you trust, and how does it change the IL6 and "
         "HMOX1 conclusions", "expert judgement on the data"),
    ],
    "lease": [
        ("small", "ex", "law", "how much is the rent and when is it due", "pull values"),
        ("small", "ex", "law", "whats the notice period for the landlord to visit", "one value"),
        ("small", "su", "law", "give me the clauses as a bullet list, 1 line each", "clause-by-"
         "clause shortening"),
        ("medium", "ea", "law", "as a tenant in england, which of these clauses are unusual or "
         "worth negotiating, in general terms", "consumer-level legal information"),
        ("large", "ea", "law", "landlord is trying to keep my whole deposit for 'repainting' "
         "after 2 yrs, and says the break clause didnt apply because i paid the last rent 3 "
         "days late. am i right to take it to the deposit scheme + what are my odds",
         "individual legal dispute"),
    ],
    "field_notes": [
        ("small", "ex", "ling", "how many sentences are in this session", "count"),
        ("small", "ex", "ling", "list every distinct noun stem with its gloss", "pull pairs"),
        ("small", "rw", "ling", "put these in a 3 column table: lanu, gloss, translation",
         "reformatting"),
        ("medium", "ea", "ling", "what's the word order and how are plural and past marked? "
         "give the morpheme list", "textbook morphological analysis"),
        ("large", "ld", "ling", "is -'u really an accusative or could this be a differential "
         "object marker / ergative pattern we can't see yet? what data would decide it, and "
         "draft the next elicitation session", "expert fieldwork analysis"),
    ],
    "essay": [
        ("small", "rw", "phil", "fix typos and spelling only, dont change anything else",
         "proofreading"),
        ("small", "ex", "phil", "which philosophers does the essay mention", "pull names"),
        ("small", "su", "phil", "1 sentence: whats the thesis", "one-line summary"),
        ("medium", "su", "phil", "give feedback for a 2nd year: structure, clarity, where the "
         "argument needs more support. be kind", "feedback choosing what matters"),
        ("large", "ea", "phil", "is the historical reply in para 6 actually adequate against "
         "pereboom? give the strongest incompatibilist rejoinder and whether mele can answer "
         "it", "graduate philosophy"),
    ],
}

CONVERSATIONS: list[tuple[str, str, str, list[str], str]] = [
    ("small", "rw", "cs", [
        "can u write a python script that dedupes lines in a file keeping order",
        "Sure:\n\n```python\nimport sys\nseen = set()\nfor line in open(sys.argv[1]):\n"
        "    if line not in seen:\n        seen.add(line)\n        sys.stdout.write(line)\n```",
        "thx. now just add a comment at the top saying what it does",
    ], "last turn is a trivial edit"),
    ("large", "db", "cs", [
        "can u write a python script that dedupes lines in a file keeping order",
        "Sure:\n\n```python\nimport sys\nseen = set()\nfor line in open(sys.argv[1]):\n"
        "    if line not in seen:\n        seen.add(line)\n        sys.stdout.write(line)\n```",
        "ok now it has to run as 8 processes over a 2TB file on shared NFS and the output must "
        "be byte-identical to the single-process version. how, and what breaks",
    ], "last turn turns it into a distributed correctness problem"),
    ("small", "fa", "med", [
        "what is ibuprofen for",
        "Ibuprofen is a non-steroidal anti-inflammatory drug (NSAID) used for pain, fever and "
        "inflammation.",
        "and is it the same as advil",
    ], "brand-name lookup"),
    ("large", "ea", "med", [
        "what is ibuprofen for",
        "Ibuprofen is a non-steroidal anti-inflammatory drug (NSAID) used for pain, fever and "
        "inflammation.",
        "ok my mom has stage 3 CKD and is on lisinopril and furosemide, her knee is killing her. "
        "can she take it for a week",
    ], "individual drug decision with renal risk"),
    ("small", "rw", "law", [
        "explain what an indemnification clause is",
        "An indemnification clause makes one party cover certain losses or claims the other "
        "party suffers, for example third-party lawsuits arising from the first party's work.",
        "can you make that explanation shorter, one sentence for a slide",
    ], "shortening the assistant's own text"),
    ("large", "ea", "law", [
        "explain what an indemnification clause is",
        "An indemnification clause makes one party cover certain losses or claims the other "
        "party suffers, for example third-party lawsuits arising from the first party's work.",
        "ours says we indemnify the client for 'any and all claims arising from the services' "
        "with no cap, and our liability cap elsewhere is 12 months fees. does the cap apply to "
        "the indemnity? we sign tomorrow",
    ], "individual contract decision, costly if wrong"),
    ("medium", "wp", "math", [
        "whats the probability of rolling a 6 on a die",
        "1/6, about 16.7%.",
        "and at least one 6 in 4 rolls? show it",
    ], "complement rule, a few steps"),
    ("large", "wp", "math", [
        "whats the probability of rolling a 6 on a die",
        "1/6, about 16.7%.",
        "ok expected number of rolls until i see two 6s in a row? and until 6 then 5? why "
        "are they different",
    ], "pattern waiting-time trap"),
    ("small", "st", "gen", [
        "help me plan a 3 day trip to lisbon",
        "Day 1: Alfama and the castle; Day 2: Belém; Day 3: Sintra. Want restaurant tips?",
        "nah that's perfect thanks!!",
    ], "thanks, nothing to do"),
    ("medium", "cr", "gen", [
        "help me plan a 3 day trip to lisbon",
        "Day 1: Alfama and the castle; Day 2: Belém; Day 3: Sintra. Want restaurant tips?",
        "yes but we're vegan, one of us uses a wheelchair and we're on a 60eur/day food budget. "
        "redo the plan with all that",
    ], "plan with several constraints that must all hold"),
    ("small", "fa", "econ", [
        "what does the fed do",
        "The Federal Reserve is the US central bank: it sets monetary policy, supervises banks "
        "and keeps the payment system running.",
        "how many people on the fomc",
    ], "known fact"),
    ("large", "ea", "econ", [
        "what does the fed do",
        "The Federal Reserve is the US central bank: it sets monetary policy, supervises banks "
        "and keeps the payment system running.",
        "under a binding ZLB with forward guidance, why does the standard NK model predict "
        "implausibly huge effects (forward guidance puzzle) and which fixes are credible",
    ], "graduate macroeconomics"),
    ("small", "rw", "ling", [
        "whats 'schadenfreude' mean",
        "Pleasure taken in someone else's misfortune.",
        "use it in a sentence",
    ], "one example sentence"),
    ("medium", "cw", "cs", [
        "how do i read a csv in pandas",
        "`df = pd.read_csv('file.csv')`",
        "it's 30GB and i only need rows where country=='DE' and 3 of the 80 columns, laptop has "
        "16GB ram. code pls",
    ], "chunked reading with filters, standard"),
    ("medium", "su", "phys", [
        "what is quantum entanglement",
        "Two particles are entangled when their joint state cannot be written as a product of "
        "individual states, so measurement outcomes are correlated beyond classical limits.",
        "explain bell's theorem to a smart high schooler, with the CHSH numbers, 200 words",
    ], "constrained explanation of a standard result"),
]

SYSTEM_PROMPTS = {
    "bank": (
        "You are Penny, the in-app assistant of Lumen Bank. Answer only about Lumen Bank "
        "products. Card replacement: free, arrives in 5-7 business days, expedited 2 days for "
        "EUR 15. Daily ATM limit: EUR 1,000 (Gold: EUR 2,500). International transfers: SEPA "
        "free, SWIFT EUR 12 plus correspondent fees. Dispute a card payment within 120 days in "
        "the app under Cards > Transactions > Report a problem. Savings rate: 2.1% AER on the "
        "Boost account up to EUR 50,000. Never give investment, tax or legal advice; for those, "
        "offer the appointment link. Keep answers under 80 words."
    ),
    "ide": (
        "You are a coding assistant inside an IDE. The user's open file and selection are "
        "included when relevant. Be concise; prefer code over prose; use the project's existing "
        "style. If you change code, show a unified diff."
    ),
    "tutor": (
        "You are Sage, a tutor for university students. Do not just give final answers to "
        "homework; guide with hints unless the student asks for a full worked solution to check "
        "their own. Use LaTeX for maths."
    ),
    "clinic": (
        "You are the triage assistant of a telehealth clinic. You collect symptoms and route "
        "patients: EMERGENCY (tell them to call emergency services now), URGENT (same-day "
        "appointment), ROUTINE (book within two weeks), SELF-CARE. Always err toward the more "
        "urgent category. You are not a doctor; say so when asked."
    ),
}

APPS: list[tuple[str, str, str, str, str, str]] = [
    ("small", "fa", "fin", "bank", "how long does a new card take", "stated in the system prompt"),
    ("small", "fa", "fin", "bank", "whats my atm limit im gold", "stated in the system prompt"),
    ("small", "fa", "fin", "bank", "how do i dispute a charge from 2 weeks ago", "stated in the "
     "system prompt"),
    ("medium", "fa", "fin", "bank", "i want to send 3000 eur to my sister in canada, whats "
     "cheapest and what fees will she see", "combines stated fees with general knowledge"),
    ("large", "ea", "fin", "bank", "should i move my 80k emergency fund into the boost account "
     "or pay down my 4.9% mortgage, im self employed", "individual financial decision"),
    ("small", "rw", "cs", "ide", "rename variable `tmp` to `retry_count` in the selection:\n\n"
     "for tmp in range(3):\n    if send():\n        break\n    sleep(2 ** tmp)", "mechanical "
     "rename"),
    ("small", "cw", "cs", "ide", "add type hints to: def add(a, b): return a + b", "one-line "
     "edit"),
    ("medium", "db", "cs", "ide", "this test is flaky on CI only:\n\ndef test_expiry():\n    "
     "tok = make_token(ttl=1)\n    time.sleep(1)\n    assert is_expired(tok)\n\nwhy and fix",
     "everyday flaky-test debugging"),
    ("large", "db", "cs", "ide", "selection:\n\nasync def transfer(a, b, amt):\n    bal = await "
     "get_balance(a)\n    if bal >= amt:\n        await debit(a, amt)\n        await credit(b, "
     "amt)\n\nsafe under concurrent calls?", "concurrency with money"),
    ("small", "fa", "math", "tutor", "whats the derivative of x^3", "one step"),
    ("medium", "pr", "math", "tutor", "full worked solution pls, i want to check mine: prove "
     "that sqrt(3) is irrational", "textbook proof"),
    ("large", "pr", "math", "tutor", "hint only: show that every bounded sequence in l^2 has a "
     "weakly convergent subsequence", "graduate functional analysis"),
    ("medium", "ea", "phys", "tutor", "why does the hamiltonian generate time evolution? i get "
     "the equations but not the intuition", "undergraduate explanation"),
    ("large", "ea", "med", "clinic", "sudden worst headache of my life about 20 min ago, a bit "
     "of neck stiffness", "triage where a miss is fatal"),
    ("large", "ea", "med", "clinic", "my 3 week old has a temp of 38.2", "neonatal fever triage"),
    ("small", "st", "med", "clinic", "are you a real doctor", "answer stated in the system prompt"),
    ("medium", "ea", "med", "clinic", "sore throat 3 days, no fever, can swallow fine, adult",
     "routine triage with standard criteria"),
]

TOOLS = [
    {"type": "function", "function": {
        "name": "run_sql", "description": "Run a SQL statement against the analytics warehouse.",
        "parameters": {"type": "object", "properties": {"sql": {"type": "string"}}}}},
    {"type": "function", "function": {
        "name": "send_email", "description": "Send an email.",
        "parameters": {"type": "object", "properties": {
            "to": {"type": "string"}, "subject": {"type": "string"},
            "body": {"type": "string"}}}}},
    {"type": "function", "function": {
        "name": "kubectl", "description": "Run a kubectl command against the prod cluster.",
        "parameters": {"type": "object", "properties": {"args": {"type": "string"}}}}},
]

AGENT_ASKS: list[Row] = [
    ("small", "ag", "gen", "email jo@acme.io that im running 10 min late", "one obvious call"),
    ("medium", "ag", "cs", "how many signups last week vs the week before? query it and email "
     "the numbers to growth@acme.io", "two-call chain"),
    ("large", "ag", "cs", "checkout-api pods are crashlooping in prod, figure out why and fix "
     "it", "agent acting on production"),
    ("large", "ag", "fin", "find all invoices double-booked in march and reverse the duplicates",
     "agent writing to the books"),
]


def requests() -> Iterator[tuple[str, int, Row, list[dict[str, Any]], dict[str, Any]]]:
    """Every request of this list: (family, variant, row, messages, extra line fields)."""
    for i, row in enumerate(ROWS):
        yield f"w2-ask-{i:03d}", 0, row, [_user(row[3])], {}
    for material, rows in PASTED.items():
        make = MATERIALS[material]
        for i, row in enumerate(rows):
            for v in range(2):
                text = make(v)
                content = f"{text}\n\n{row[3]}" if v == 0 else f"{row[3]}\n\n{text}"
                yield f"w2-{material}-{i:02d}", v, row, [_user(content)], {}
    for i, (tier, kind, domain, turns, reason) in enumerate(CONVERSATIONS):
        messages = [
            {"role": "user" if n % 2 == 0 else "assistant", "content": t}
            for n, t in enumerate(turns)
        ]
        yield f"w2-conv-{i:02d}", 0, (tier, kind, domain, turns[-1], reason), messages, {}
    for i, (tier, kind, domain, system, ask, reason) in enumerate(APPS):
        messages = [{"role": "system", "content": SYSTEM_PROMPTS[system]}, _user(ask)]
        yield f"w2-app-{i:02d}", 0, (tier, kind, domain, ask, reason), messages, {}
    for i, row in enumerate(AGENT_ASKS):
        yield f"w2-agent-{i:02d}", 0, row, [_user(row[3])], {"tools": TOOLS}


def _user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}
