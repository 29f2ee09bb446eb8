"""Writer w3's requests: traffic as apps send it through a gateway, not as a person types a
question. Product system prompts with easy and hard user turns, multi-turn chats whose last
turn sets the difficulty, agents with `tools` and tool results, long pasted configs, logs,
code, CSVs and statements with easy and hard asks about the same material, structured
output (`response_format`, `max_tokens`), and requests in twelve languages.

ASKS: one entry a family, (family, tier, kind, domain, lang, reason, requests); each request
is the request body (messages plus any tools / response_format / max_tokens), and every
request of a family carries its label. Material and system prompts are in materials_w3.py.
"""

from __future__ import annotations

from typing import Any

import materials_w3 as m
from turns import Entry, a, req, schema, sys_, u


def calls(*pairs: tuple[str, str, str]) -> dict[str, Any]:
    """An assistant turn that calls tools: (call id, function name, JSON arguments)."""
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": cid, "type": "function", "function": {"name": name, "arguments": args}}
            for cid, name, args in pairs
        ],
    }


def result(cid: str, content: str) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": cid, "content": content}





JSON_OBJECT = {"type": "json_object"}
S = {"type": "string"}
GREETING = [u("hi"), a("Hi! How can I help you today?")]
# App turns not in English (the rest are).
APP_LANGS = {"app-support-09": "es"}

# Product system prompt -> rows of (tier, kind, domain, user turn, reason). Rows marked with a
# trailing "+" in the reason are also sent after a greeting exchange (a second variant).
APPS: dict[str, tuple[str, list[tuple[str, str, str, str, str]]]] = {
    "support": (
        m.SUPPORT_BOT,
        [
            ("small", "fa", "gen", "how much extra is a static ip", "the policy states the price +"),
            ("small", "fa", "gen", "internet was down from monday 9am till thursday 11am. do i get anything back??", "policy rule plus counting full days +"),
            ("small", "fa", "gen", "I'm moving to a flat across town next month, what do I have to do to keep my connection?", "moving rule stated in the policy +"),
            ("small", "fa", "gen", "want to cancel. 5 months left on my contract, how much will that cost me", "fee per month times five, from the policy +"),
            ("small", "fa", "gen", "wifi in the bedroom only gets 80 on the 500 plan, that's fraud", "policy says Wi-Fi is not guaranteed and how to open a speed ticket"),
            ("small", "fa", "gen", "when do you take the money each month", "billing dates stated in the policy"),
            ("small", "fa", "gen", "do you charge if my direct debit fails", "fee stated in the policy"),
            ("small", "fa", "gen", "how do i change my bank details", "step stated in the policy"),
            ("small", "fa", "gen", "I'm on fibre 150 and you just told me the price is going up. can I leave without paying the fee?", "price-change rule stated in the policy"),
            ("small", "st", "gen", "ok thanks lumi you've been great", "closing pleasantry"),
            ("medium", "fa", "gen", "My father uses a home dialysis machine that sends readings over our internet and the line has been down since last night. What can you do?", "must recognise the medical-device handover rule; costly if it troubleshoots instead"),
            ("medium", "ar", "gen", "I'm 7 months into my Fibre 500 term and moving abroad (outside your coverage) in 2 weeks. Last month the line was down for 3 full days, and my direct debit bounced once. What will my final bill look like and what do I need to send you?", "four policy rules combined into one figure"),
            ("small", "ex", "gen", "Hola, ¿tenéis algún plan de 1 giga y cuánto cuesta?", "plan price from the policy, asked in Spanish"),
        ],
    ),
    "coding": (
        m.CODING_ASSISTANT,
        [
            ("small", "cw", "cs", "how do I check the `new_pricing` flag for a tenant", "one call named in the conventions +"),
            ("small", "cw", "cs", "one-liner: Cents -> '12.34' string", "one line of code"),
            ("small", "fa", "cs", "what's the marker for async tests again", "recall of a well-known marker"),
            ("medium", "cw", "cs", "Write a repository function that loads a Shipment with its Stops (async SQLAlchemy 2.0), cursor-paginated by created_at then id, plus pytest tests for the first page, a middle page and an empty result.", "function and tests with edge cases +"),
            ("medium", "db", "cs", "Our POST /parcels returns 422 when the mobile app sends weight_kg as \"12.5\" (a string). Pydantic v2. How do I accept both numbers and numeric strings but still reject \"abc\"?", "everyday validation debugging"),
            ("medium", "cw", "cs", "FastAPI dependency that reads tenant_id from the (already verified) JWT's `tid` claim, 401 if missing or not a UUID. With tests.", "dependency with error cases and tests"),
            ("large", "sd", "cs", "rename shipments.eta -> estimated_arrival on the 400M-row table, zero downtime, v41 and v42 of the service both live during the deploy. migration sequence?", "online schema change under mixed versions; an outage if wrong"),
            ("large", "db", "cs", "Two workers sometimes book the same dock slot. Worker does `SELECT ... FOR UPDATE SKIP LOCKED` in session A, awaits the carrier API (2-5 s), then inserts the booking and commits in session B. Why does this double-book and what's the correct pattern?", "transaction and concurrency reasoning"),
            ("large", "db", "cs", "is READ COMMITTED + a unique index on (dock_id, slot_start) enough to stop overlapping bookings when slots have variable length?", "isolation and range-overlap subtlety; a short ask needing depth"),
            ("medium", "cw", "cs", "pytest fixture that gives each test a fresh async session inside a transaction that's rolled back afterwards", "fixture with a known pattern"),
            ("small", "cw", "cs", "logger usage example for the parcels service", "one line from the conventions"),
            ("medium", "db", "cs", "We share one AsyncSession across tasks started with asyncio.gather in the quote endpoint and get 'This session is provisioning a new connection; concurrent operations are not permitted' under load. Can I just add a lock?", "everyday async debugging with a known answer"),
            ("medium", "db", "cs", "Does this migration follow our 'safe while the old version serves' rule? op.add_column('parcels', sa.Column('priority', sa.Integer, nullable=False, server_default='0'))", "standard migration review"),
            ("large", "sd", "cs", "Our outbox relay publishes to Kafka and then marks the row sent. After a broker failover we saw duplicates and one lost event. Where can this design lose an event, and how do we make it at-least-once with idempotent consumers?", "delivery guarantees under failure"),
        ],
    ),
    "legal": (
        m.LEGAL_INTAKE,
        [
            ("small", "st", "law", "hi there, what kind of cases do you take?", "practice areas listed in the prompt +"),
            ("small", "ex", "law", "Name's John Mercer, 07700 900123, my builder walked off the job halfway through", "intake collection"),
            ("medium", "fa", "law", "what does 'without prejudice' mean at the top of a letter from the other side?", "general legal concept, consumer level"),
            ("medium", "fa", "law", "What's the difference between the small claims track and the fast track?", "general procedure information"),
            ("large", "ea", "law", "I was made redundant on 2 March after 22 months there, but they hired someone into my exact role in April. It's 20 May now. Is it too late to do anything?", "individual employment claim with a limitation deadline +"),
            ("large", "ea", "law", "My ex wants to move to Spain with our daughter. We have a child arrangements order. He says he can because he has a Spanish passport. Can he?", "individual family-law decision"),
            ("large", "ea", "law", "slipped at work 2 yrs 10 months ago, only last month told the back injury is permanent. can i still claim?", "limitation from date of knowledge; short and costly if wrong"),
            ("medium", "fa", "law", "What is a Form 6A notice, in general, and what usually makes one invalid?", "general housing-law information"),
            ("large", "ea", "law", "Now he's served a section 8 notice for rent arrears as well. The hearing is on the 12th. What do I do before then?", "individual possession claim with a hearing date"),
        ],
    ),
    "clinical": (
        m.CLINICAL_DOC,
        [
            ("small", "rw", "med", "Expand for the letter: pt c/o SOBOE x2/52, nil CP, PMHx COPD, DH salbutamol PRN", "expanding standard abbreviations"),
            ("small", "rw", "med", "Make this more concise for the referral: 'The patient is a gentleman who has been experiencing pain in his left knee, which he reports has been getting progressively worse over a period of approximately six months.'", "shortening a sentence"),
            ("medium", "fa", "med", "SNOMED CT code for type 2 diabetes mellitus?", "a code a small model may invent and nobody would notice"),
            ("large", "ea", "med", "eGFR 24 today, he's on metformin 1 g bd and dapagliflozin 10 mg. What do I document as the plan?", "individual prescribing decision in renal impairment"),
            ("large", "ea", "med", "4yo, 16 kg, otitis media, penicillin allergy (rash). Clarithromycin dose?", "paediatric dosing; short and costly"),
            ("small", "rw", "med", "Bulleted problem list please: AF, T2DM, HTN, CKD 3b, OA knee", "reformatting"),
            ("large", "ea", "med", "Lithium level 0.9 last month; the hospital has just started bendroflumethiazide 2.5 mg. Anything I should document or do?", "lithium and thiazide interaction"),
            ("medium", "su", "med", "Write a patient-friendly summary of what a HbA1c of 51 means and what lifestyle changes help.", "consumer-level medical explanation"),
        ],
    ),
    "tutor": (
        m.TUTOR,
        [
            ("small", "fa", "math", "Year 8: what's the difference between a prime and a composite number?", "school definition +"),
            ("small", "rw", "ling", "GCSE: 'the dogs wagged ___ tails' - their or there?", "one-word grammar"),
            ("small", "ar", "math", "Year 10: what is 15% of 240?", "one-step sum"),
            ("medium", "pr", "math", "A-level, please check: I integrated x e^{2x} by parts and got (x/2)e^{2x} - (1/4)e^{2x} + C. Is every step right?", "textbook calculus check"),
            ("medium", "pr", "math", "Uni year 1: just a hint, how do I start proving that 1 + 3 + ... + (2n-1) = n^2?", "induction hint"),
            ("medium", "pr", "math", "Undergrad: why is the determinant of an orthogonal matrix always 1 or -1? Show it.", "textbook proof"),
            ("large", "pr", "math", "Graduate, please grade: Claim: if f_n -> f in L^1(R) then f_n -> f almost everywhere. Proof: by Chebyshev, m{|f_n - f| > e} <= ||f_n - f||_1 / e -> 0 for every e > 0, so the set where f_n does not converge to f has measure zero. QED", "grading a graduate proof with a subtle false step"),
            ("large", "pr", "math", "Graduate algebra, grade my proof: every group of order 45 is abelian. By Sylow, n_3 | 5 and n_3 = 1 mod 3 so n_3 = 1; n_5 | 9 and n_5 = 1 mod 5 so n_5 = 1. Both Sylow subgroups are normal, intersect trivially, so G = P_3 x P_5, and groups of order 9 and 5 are abelian.", "verifying a graduate proof line by line"),
            ("large", "pr", "phys", "PhD qual prep: check my derivation that the first-order Stark shift of hydrogen's n=2 level splits it into three levels, with shifts 0 and +-3eEa_0.", "graduate perturbation theory to verify"),
            ("small", "fa", "bio", "Year 9: explain photosynthesis in three sentences.", "school explanation"),
            ("small", "fa", "hist", "Year 7: when did the Berlin Wall fall?", "well-known date"),
            ("small", "ar", "math", "Year 5: 7 x 8?", "one step"),
            ("medium", "fa", "hist", "A-level history: three causes of the 1929 Wall Street Crash, with a piece of evidence for each.", "explanation with requirements"),
            ("medium", "fa", "chem", "Undergrad chemistry: why does water boil so much higher than H2S?", "undergraduate explanation"),
            ("medium", "wp", "math", "GCSE: a train leaves at 09:40, travels 183 km at an average of 76 km/h and stops once for 12 minutes. When does it arrive?", "multi-step word problem"),
            ("medium", "fa", "psych", "Psychology undergrad: explain the replication crisis with two examples and what pre-registration changes.", "undergraduate explanation"),
            ("large", "wp", "math", "A-level further maths: roll two dice repeatedly. Which comes first, a total of 7 or two totals of 12 in a row? I got P(7 first) = 6/7, check it.", "probability trap with dependent steps"),
            ("large", "ea", "phil", "Philosophy MA: does Parfit's teletransporter case show that identity is not what matters? Assess the strongest four-dimensionalist reply.", "graduate philosophy"),
            ("large", "ea", "chem", "PhD: Suzuki coupling of an ortho-substituted aryl chloride, Pd(PPh3)4, K2CO3, dioxane/water, 5% yield. What do I change and why?", "specialist synthesis troubleshooting"),
            ("large", "ea", "bio", "Grad genetics: our CRISPR knockout clone has no phenotype and the western still shows a band, slightly lower MW. Likely explanations and how to test each?", "specialist experimental reasoning"),
            ("medium", "wp", "phys", "A-level physics: ball thrown at 20 m/s, 30 degrees above horizontal, from a 15 m cliff. I got 52 m from the base. Right?", "multi-step kinematics check"),
            ("large", "pr", "math", "IMO training: find all f: R -> R with f(x + y) + f(xy) = f(x) f(y) + 1 for all real x, y. Full solution please, I'll compare with mine.", "olympiad functional equation"),
            ("large", "ea", "econ", "Graduate econometrics, check my claim: with exactly one instrument the 2SLS estimator has no finite mean, so in a just-identified model we shouldn't report it at all.", "graduate econometrics claim, half right"),
        ],
    ),
    "notebook": (
        m.NOTEBOOK,
        [
            ("small", "cw", "cs", "first 5 rows of orders", "one-line pandas +"),
            ("small", "sq", "cs", "orders per channel", "a groupby count"),
            ("small", "cw", "cs", "convert created_at to Europe/Berlin", "one method call"),
            ("medium", "sq", "cs", "Monthly signup cohorts: share of each cohort still not churned 1..12 months after signup, as a heatmap.", "cohort analysis with several steps"),
            ("medium", "sq", "cs", "Weekly refund rate by country for the 10 countries with the most orders, one line each, legend outside the plot.", "grouped chart with requirements"),
            ("large", "ea", "econ", "checkout_v2: treatment spends 4% more per order, t-test p=0.03 on per-order gross. some customers were assigned at signup, others at their first order. is this result valid?", "unit of analysis, clustering and assignment bias; a wrong call ships a bad decision"),
            ("large", "ea", "econ", "Estimate the causal effect of being on the plus plan on churn. Acquisition channel drives both plan choice and churn. Which estimator, and code it.", "causal inference design"),
            ("small", "cw", "cs", "describe() of orders but with gross in euros", "one line of pandas"),
            ("small", "sq", "cs", "how many customers churned in 2025", "one filter and a count"),
            ("medium", "cw", "cs", "Flag orders whose discount is more than half the gross and plot their weekly share by channel.", "code with requirements"),
            ("medium", "sq", "cs", "Bootstrap a 95% CI for median order value by channel, 2,000 resamples, vectorised.", "statistics code with requirements"),
            ("large", "ea", "econ", "Weekly revenue fell 8% after the 3.0 app release. Using orders, separate the release from seasonality and the Easter shift and tell me whether the drop is real.", "causal attribution with confounders"),
            ("medium", "sq", "cs", "Logistic regression of churned (ever) on plan and acquisition with statsmodels; report odds ratios with 95% CIs and say what they mean.", "model fit and interpretation"),
        ],
    ),
    "translator": (
        m.TRANSLATOR,
        [
            ("small", "rw", "ling", "Target: German\n<p>Hello {name}, your order <b>#%s</b> has shipped.</p>", "translation keeping placeholders"),
            ("small", "rw", "ling", "Target: French\n{{count}} items in your cart", "short translation"),
            ("small", "rw", "ling", "Target: Portuguese (Brazil)\nYour trial ends in {days} days. [Upgrade now](/billing) to keep your dashboards.", "translation keeping Markdown"),
            ("medium", "cr", "ling", "Target: Spanish (Mexico)\nThis is a slogan with a pun, keep the pun working in Spanish and explain nothing: 'Harbor: where your data drops anchor.'", "transcreation of a pun"),
            ("small", "rw", "ling", "Target: Japanese\n" + m.RELEASE_NOTES, "translation, however long"),
            ("small", "rw", "ling", "Target: Italian\n" + m.DICTATION, "translation, however long"),
            ("small", "rw", "ling", "Target: Korean\n" + m.SUPPORT_BOT, "translation, however long"),
            ("small", "rw", "ling", "Target: Polish\n" + m.TENANT_STATEMENT, "translation, however long"),
        ],
    ),
    "email": (
        m.EMAIL_ASSISTANT,
        [
            ("small", "cr", "gen", "reply to Tom: yes to thursday 3pm, I'll bring the Q2 numbers", "two-line reply +"),
            ("small", "ex", "gen", "Which of these need a reply today?\n1. Newsletter: Freight Weekly #212\n2. Marta (customs): missing EORI on shipment 4471, truck held at Dover\n3. HR: reminder, benefits window closes in 3 weeks\n4. Tom: lunch Friday?\n5. Kestrel Ltd: invoice 2291 overdue, final notice\n6. LinkedIn: you appeared in 14 searches", "triage of six subject lines"),
            ("small", "rw", "gen", "make this sound less angry: 'I've asked three times for the POD. Send it today.'", "tone rewrite"),
            ("small", "su", "gen", "Summarise for my boss in 3 lines:\n\nMarta: Truck 4471 is held at Dover, customs need our EORI.\nDana: Sent it at 9:10.\nMarta: Received, they're processing. Release expected by 14:00.\nMarta: Released 13:40, ETA Birmingham 18:30.", "short summary"),
            ("medium", "cr", "gen", "Draft a reply to Hartmann Logistics declining their 9% rate increase. Offer 4% with a 12-month volume commitment, and mention the three late deliveries on the Rotterdam lane in Q1 without sounding hostile.", "negotiation email with several requirements"),
            ("large", "ea", "law", "A customer's lawyer says we're liable for the full EUR 480k value of the spoiled vaccine shipment (reefer failure, Rotterdam-Milan, road). Our terms say CMR applies. Draft my reply.", "liability position under CMR; an admission could cost six figures"),
            ("medium", "cr", "fin", "Draft a reply to Kestrel's final notice: we dispute EUR 1,240 of the EUR 8,900 (duplicate lines on 14 and 16 March), we're paying the undisputed part today, and we want a credit note.", "reply with figures and a position"),
            ("large", "ea", "law", "Draft a reply to Jess, who says she was passed over for the team lead role because she's pregnant. She has cc'd her solicitor.", "discrimination claim; wording has legal consequences"),
        ],
    ),
}

# Earlier turns of chats; the last turn, below, sets the difficulty.
HISTORIES = {
    "raft": [
        u("how does raft leader election actually work"),
        a("Each node starts as a follower with a randomised election timeout (say 150-300 ms). If it hears no heartbeat before the timeout, it becomes a candidate, increments its term, votes for itself and sends RequestVote to the others. A node grants its vote if it has not voted in this term and the candidate's log is at least as up to date as its own (compare last log term, then last index). A candidate with votes from a majority becomes leader and starts sending heartbeats; one that sees a higher term steps down."),
        u("and what stops two leaders in the same term?"),
        a("Each node votes at most once per term and persists its vote before replying, and a leader needs a majority. Two majorities of the same cluster always share at least one node, and that node cannot vote twice in one term, so at most one candidate can win a given term. Split votes just time out and a new election starts with a higher term; the randomised timeouts make repeated splits unlikely."),
    ],
    "iso": [
        u("what's the difference between ISOs and NSOs"),
        a("Both are options to buy company stock at a fixed strike price. With NSOs, the spread between fair market value and strike at exercise is ordinary income, subject to withholding. With ISOs there is no regular income tax at exercise, but the spread counts for the alternative minimum tax; if you hold the shares for more than two years from grant and one year from exercise, the whole gain on sale is long-term capital gain. Selling earlier is a disqualifying disposition, which turns the spread at exercise into ordinary income."),
        u("ok and how does AMT work with that"),
        a("AMT is a parallel tax calculation. The ISO spread at exercise is added to your AMT income; if your tentative minimum tax exceeds your regular tax, you pay the difference. The AMT you pay because of ISOs can generate a credit you may recover in later years when your regular tax is higher than your AMT."),
    ],
    "weekend": [
        u("heyy how's it going"),
        a("Hi! All good here. How's your day going?"),
        u("pretty chill, going hiking with the kids tomorrow if it doesn't rain lol"),
        a("That sounds lovely! Fingers crossed for the weather. Do you have a trail picked out?"),
        u("yeah a short one by the lake, the little one is 3 so nothing crazy"),
        a("Perfect for a three-year-old. Bring snacks, a spare layer and something for them to collect, like pine cones. Kids love a mission."),
    ],
    "dinner": [
        u("I'm hosting 6 people saturday, ideas for a starter?"),
        a("A few easy crowd-pleasers: burrata with roasted tomatoes and basil, a chilled pea and mint soup, or crostini with whipped feta and honey. All can be prepped ahead."),
        u("love the crostini. main?"),
        a("A slow-roasted lamb shoulder with garlic and rosemary works well for six: it takes four hours in a low oven with almost no attention. Serve with crushed potatoes and a green salad."),
    ],
    "react": [
        u("my profile form re-renders on every keystroke and loses focus, here's the component:\n\nfunction Profile() {\n  const [data, setData] = useState({name: '', bio: ''});\n  const Field = ({k}) => <input value={data[k]} onChange={e => setData({...data, [k]: e.target.value})} />;\n  return <form><Field k=\"name\" /><Field k=\"bio\" /></form>;\n}"),
        a("The input loses focus because `Field` is defined inside `Profile`: every render creates a new component type, so React unmounts the old input and mounts a new one. Move `Field` outside `Profile` and pass `value` and `onChange` as props, or inline the inputs. Also use the functional update `setData(d => ({...d, [k]: v}))`."),
        u("moved it out, works now, thanks"),
        a("Great! Defining components at module level is the usual fix for this."),
    ],
    "primes": [
        u("prove there are infinitely many primes of the form 4k+3"),
        a("Suppose there are finitely many, p_1, ..., p_n. Let N = 4 p_1 ... p_n - 1, so N = 3 mod 4. N is odd, so every prime factor is 1 or 3 mod 4. If all were 1 mod 4, their product N would be 1 mod 4, a contradiction; so some prime factor q is 3 mod 4. But q cannot be any p_i, because N = -1 mod p_i. So q is a new prime of the form 4k+3, a contradiction."),
    ],
    "contract": [
        u("I'm a joinery subcontractor. Clause 14 of the main contractor's terms says 'Neither party shall be liable for any indirect or consequential loss, including loss of profit.' what does that mean for me?"),
        a("It excludes liability for losses that are not the direct and natural result of a breach. Under English law, 'consequential loss' has traditionally been read narrowly as losses under the second limb of Hadley v Baxendale (those that arise from special circumstances), though recent cases read the words in context. Including 'loss of profit' expressly is significant: it may exclude your lost profit on the rest of the job even where that would otherwise be a direct loss."),
        u("and clause 22 lets them terminate for convenience with 7 days notice"),
        a("A termination-for-convenience clause lets them end the contract without any breach. What you can recover then depends on what the clause says you are paid on termination: usually work done to date, sometimes materials ordered, rarely lost profit."),
    ],
    "lisbon": [
        u("going to lisbon in june, where should we stay"),
        a("Alfama and Graca for the old-town feel and views, Chiado or Baixa to be central and walkable, Principe Real for quieter streets with good restaurants."),
        u("chiado it is. best day trip?"),
        a("Sintra is the classic: 40 minutes by train from Rossio station. Go early to beat the crowds at Pena Palace."),
    ],
    "ibuprofen": [
        u("is it ok to take ibuprofen and paracetamol together for a bad back"),
        a("For most healthy adults, yes: they work differently and can be taken together or alternated, each at its usual dose (for example ibuprofen 400 mg up to three times a day with food, paracetamol 1 g up to four times a day). Avoid ibuprofen if you have stomach ulcers, kidney problems, heart failure, are on blood thinners, or are pregnant, and see a doctor if the pain lasts more than a couple of weeks or comes with numbness, weakness or problems passing urine."),
    ],
    "pipeline": [
        u("we have an events table: user_id, event_name, occurred_at (timestamptz), ~2B rows in postgres, partitioned by month"),
        a("Got it. With monthly partitions, make sure queries filter on occurred_at so the planner can prune partitions, and consider a BRIN index on occurred_at within each partition."),
    ],
    "puppy": [
        u("we got a puppy!! 10 week old mini dachshund"),
        a("Congratulations! Dachshunds are full of character. Have you picked a name?"),
        u("Pretzel :)"),
        a("Perfect name for a dachshund. How is Pretzel settling in?"),
        u("good, bit bitey. she's 6 kg already"),
        a("Nipping is normal at that age. Redirect her to a chew toy and keep play sessions short."),
    ],
    "leak": [
        u("our C++ service's RSS grows ~200 MB/day. heaptrack shows most live allocations from std::string in the request parser"),
        a("Live std::string allocations that keep growing usually mean something holds on to the strings: a cache without eviction, a map keyed by request data, or objects captured in long-lived lambdas. Check which containers own them: heaptrack's 'peak' and 'leaked' views with the backtrace will show the owning call site."),
        u("found it, the header interner never evicts. added an LRU with 10k entries and RSS is flat now"),
        a("That fits. An interner keyed by header values grows with every distinct value, such as user agents or request ids. A bounded LRU fixes it; also consider interning only header names, not values."),
    ],
    "interview": [
        u("got a senior backend interview next week, can you help me prep"),
        a("Of course. Senior interviews usually have a system design round, a coding round and a behavioural round. Which one worries you most?"),
        u("system design"),
        a("Good choice to practise. A solid structure: clarify requirements, estimate scale, sketch the API, design the data model, draw the high-level architecture, then go deep on the bottleneck and discuss trade-offs."),
    ],
}

# (history, tier, kind, domain, last turn, reason)
CHATS = [
    ("raft", "small", "rw", "cs", "thanks! can you make that shorter?", "shortening the previous answer"),
    ("raft", "small", "rw", "cs", "can you turn both answers into 5 bullet points for my notes", "reformatting the chat"),
    ("raft", "large", "db", "cs", "our implementation lets the leader serve reads from local state without a heartbeat round. we saw a stale read after a partition. explain exactly how that happened", "linearisability under partition"),
    ("raft", "large", "sd", "cs", "ok but during a membership change with joint consensus, could the old and new configs elect different leaders in the same term? walk me through why or why not", "consensus safety argument"),
    ("iso", "small", "rw", "fin", "great, can you put that in a table, ISO vs NSO?", "reformatting the earlier answer"),
    ("iso", "large", "ea", "fin", "so I'm in California, exercised 10k ISOs at a $4 strike when FMV was $31, and I might sell in 11 months. What's my AMT exposure this year and should I do a disqualifying disposition before Dec 31?", "individual tax decision with real money"),
    ("weekend", "small", "st", "gen", "haha yeah. any other tips for a first hike with a toddler?", "everyday advice in small talk"),
    ("weekend", "large", "ea", "med", "wait my 3yo just said he swallowed one of the little round batteries from the remote like 20 min ago?? he seems totally fine", "button-battery ingestion is an emergency; triage must be right"),
    ("weekend", "medium", "pr", "math", "random q, how would you prove sqrt(2) + sqrt(3) is irrational?", "textbook proof after small talk"),
    ("dinner", "small", "ar", "gen", "how many cups is 250 g of flour?", "one conversion"),
    ("dinner", "medium", "wp", "gen", "now it's 10 people, not 6. the lamb was 2 kg for 4 hours at 160C. how much meat do I buy and how long do I cook it?", "scaling where time does not scale linearly"),
    ("dinner", "large", "ea", "med", "one guest has a severe peanut allergy and carries an EpiPen. she just said her lips are tingling and her throat feels tight after the crostini. what do we do right now", "anaphylaxis triage"),
    ("dinner", "medium", "cr", "gen", "Write the menu card: three courses, a short evocative line under each, and flag which dishes are gluten-free.", "writing with constraints"),
    ("react", "small", "rw", "cs", "can you rename `data` to `profile` everywhere in that component", "mechanical rename"),
    ("react", "medium", "db", "cs", "now in prod (React 18, StrictMode) the save effect fires twice and we POST the profile twice. how do I make it safe?", "everyday React debugging"),
    ("primes", "small", "rw", "math", "nice, can you format that proof in LaTeX?", "formatting"),
    ("primes", "large", "pr", "math", "does the same trick work for primes of the form 4k+1? if not, prove there are infinitely many another way", "non-trivial proof needing quadratic residues"),
    ("contract", "small", "su", "law", "summarise what we've covered in 3 bullets", "summary of the chat"),
    ("contract", "large", "ea", "law", "ok so if they terminate for convenience after I've ordered GBP 38k of bespoke oak, can I recover that given clause 14? what should I do this week?", "individual legal decision on two interacting clauses"),
    ("lisbon", "small", "fa", "gen", "what's the time difference between lisbon and tokyo in june", "well-known fact"),
    ("lisbon", "small", "fa", "gen", "list 5 foods we have to try there", "everyday list"),
    ("ibuprofen", "small", "rw", "med", "thanks, that's clear. can you say it in one sentence?", "shortening"),
    ("ibuprofen", "large", "ea", "med", "I'm 71 and on apixaban for AF and lisinopril. Does that change anything?", "individual drug interaction with bleeding and kidney risk"),
    ("pipeline", "medium", "sq", "cs", "write the SQL for 7-day rolling distinct active users per day for the last 90 days", "window query with a distinct count"),
    ("pipeline", "medium", "db", "cs", "a one-day query takes 40 s and EXPLAIN shows a seq scan on every partition, with WHERE occurred_at::date = '2026-05-01'. why?", "everyday slow query: the cast defeats pruning"),
    ("pipeline", "large", "sd", "cs", "we need exactly-once counts of events into this table from Kafka, consumers autoscale 4-40 and we can't add a unique index on the 2B-row table. design it", "exactly-once delivery design"),
    ("interview", "medium", "sd", "cs", "ok give me a senior-level answer to 'design a URL shortener'", "textbook system design"),
    ("interview", "small", "cr", "gen", "thanks! wish me luck :)", "pleasantry"),
    ("puppy", "small", "fa", "gen", "what's the best way to house-train her?", "everyday advice"),
    ("puppy", "large", "ea", "med", "oh no she just ate about 30 g of 85% dark chocolate, maybe an hour ago. what do we do", "theobromine dose for a 6 kg dog; triage"),
    ("leak", "small", "cr", "cs", "cool, write the commit message for the LRU fix", "short summary of the chat"),
    ("leak", "large", "db", "cs", "the interner is shared by 16 worker threads; I guarded the LRU with a shared_mutex, reads take the shared lock. is that correct?", "an LRU read mutates recency order; concurrency reasoning"),
    ("weekend", "large", "ea", "law", "totally unrelated but my landlord just changed the locks while I was at work and put my stuff on the lawn. I'm in Ontario. what can I do tonight?", "individual legal emergency"),
    ("lisbon", "medium", "cr", "gen", "make it a 3-day plan: one museum a day max, nothing on monday since most museums close, under 150 eur per person a day excluding the hotel", "plan with constraints"),
    ("iso", "medium", "rw", "fin", "rewrite the AMT part for someone who has never filed US taxes, with a worked example in round numbers", "explanation with a correct worked example"),
]

AGENT_SYSTEM = "You are an operations agent. Use the tools; ask before anything you cannot undo."

# (tools, tier, kind, domain, user turn, reason)
AGENTS = [
    ("travel", "small", "ag", "gen", "weather in porto tomorrow?", "one obvious call"),
    ("travel", "small", "ag", "fin", "250 USD in EUR", "one obvious call"),
    ("shop", "small", "ag", "gen", "look up order 88123 for me", "one obvious call"),
    ("infra", "small", "ag", "cs", "how many checkout pods are running in staging?", "one read-only call"),
    ("office", "medium", "ag", "gen", "Find 30 minutes with ana@corvid.example and bo@corvid.example this week and send them an invite called 'Q3 planning'.", "two-call chain"),
    ("travel", "medium", "ag", "gen", "Cheapest flight Lisbon to Berlin on 12 June, and what it costs in EUR if it's priced in another currency.", "search then convert"),
    ("office", "medium", "ag", "gen", "Find the latest invoice email from Kestrel and draft a reply asking for the PO number it should reference.", "search then draft"),
    ("infra", "medium", "ag", "cs", "On staging, find pods in CrashLoopBackOff and show me the last 50 log lines of each.", "read-only chain on staging"),
    ("infra", "large", "ag", "cs", "checkout in prod-eu has been throwing 500s since the 14:02 deploy. roll it back and scale it to 12 replicas", "acting on production"),
    ("infra", "large", "ag", "cs", "delete every row in orders older than 2019 from orders-primary, it's all test data", "irreversible delete on a production database"),
    ("infra", "large", "ag", "cs", "the orders-primary replica lag alert is firing. investigate and fix it", "open-ended action on production"),
    ("ledger", "large", "ag", "fin", "Pay all of this month's approved supplier invoices and post the accruals for the ones not yet invoiced.", "moving money and posting to the books"),
    ("ledger", "large", "ag", "fin", "Post the entry recognising March's deferred revenue for the annual contracts signed in Q1.", "revenue recognition posted to the ledger"),
    ("ledger", "small", "ag", "fin", "what's the balance on account 1200?", "one read-only call"),
    ("shop", "large", "ag", "fin", "refund order 55102 in full, the customer says it never arrived", "moving money without checking delivery"),
    ("shop", "medium", "ag", "gen", "Order 55102: what did they buy and has it shipped? If MUG-BLU shows 0 in Leeds in the order notes, set it to 0 in the system too.", "lookup then a conditional stock update"),
    ("office", "small", "ag", "gen", "search my email for boarding pass", "one obvious call"),
    ("office", "medium", "ag", "gen", "Move my 1:1 with tom@corvid.example on Thursday to any free slot on Friday and draft him a note saying it's because of the Dover customs hold.", "three-call chain"),
    ("ledger", "large", "ag", "fin", "reverse last week's payroll journal and repost it with the corrected NI figures from the payroll email", "posting to the books"),
    ("shop", "medium", "ag", "gen", "Which of orders 88123 and 88124 arrives first?", "two lookups and a comparison"),
    ("infra", "large", "ag", "cs", "run migration 0042_drop_legacy_columns on orders-primary now, the release is blocked on it", "irreversible schema change on production"),
]

WEATHER = '{"city": "Porto", "days": [{"date": "2026-06-03", "high_c": 24, "low_c": 16, "summary": "sunny, light wind"}, {"date": "2026-06-04", "high_c": 21, "low_c": 15, "summary": "showers after 3pm"}]}'
ORDER = '{"order_id": "88123", "status": "shipped", "carrier": "DPD", "tracking": "15501234567", "shipped_at": "2026-05-30", "eta": "2026-06-02", "items": [{"sku": "KTL-RED", "qty": 1, "price_cents": 5990}]}'
INBOX = (
    '[{"from": "marta@customs.example", "subject": "Shipment 4471 held", "snippet": "EORI missing, truck held at Dover until we receive it"}, '
    '{"from": "ap@kestrel.example", "subject": "Invoice 2291 final notice", "snippet": "If unpaid by Friday we will suspend the account"}, '
    '{"from": "tom@corvid.example", "subject": "Friday lunch", "snippet": "Thai place at 1?"}, '
    '{"from": "legal@hartmann.example", "subject": "Rate review", "snippet": "Please confirm acceptance of the new rates by 30 June"}, '
    '{"from": "it@corvid.example", "subject": "Password expiry", "snippet": "Your password expires in 3 days"}]'
)
PODS = (
    "NAME                        READY   STATUS             RESTARTS      AGE\n"
    "checkout-7d9f8b6c4-2kq9x    0/1     CrashLoopBackOff   14 (32s ago)  41m\n"
    "checkout-7d9f8b6c4-8zt2m    1/1     Running            9 (4m ago)    41m\n"
    "checkout-7d9f8b6c4-mm4rd    0/1     OOMKilled          12 (1m ago)   41m\n"
    "pricing-5c6d7e8f9-q1w2e     1/1     Running            0             6d\n"
)
DESCRIBE = (
    "Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\nLimits:\n  memory: 512Mi\n"
    "Requests:\n  cpu: 250m\n  memory: 512Mi\nEnvironment:\n  JAVA_OPTS: -Xmx768m\n  DB_POOL_SIZE: 50\n"
    "Events:\n  Warning  Unhealthy  readiness probe failed: connection refused (port 8081)\n"
)
TRIAL = '{"rows": [{"account": "1100 Receivables", "debit": 182400.00, "credit": 0}, {"account": "2400 Deferred revenue", "debit": 0, "credit": 96000.00}, {"account": "4000 Revenue", "debit": 0, "credit": 71250.00}, {"account": "2200 VAT payable", "debit": 0, "credit": 14250.00}, {"account": "1000 Bank", "debit": 8100.00, "credit": 0}], "totals": {"debit": 190500.00, "credit": 181500.00}}'

# (tools, tier, kind, domain, messages after the system prompt, reason)
TOOL_RESULTS = [
    ("travel", "small", "su", "gen", [u("weather in porto for the next 2 days?"), calls(("c1", "get_weather", '{"city": "Porto", "days": 2}')), result("c1", WEATHER)], "summarise a tool result"),
    ("shop", "small", "ex", "gen", [u("where's my order 88123, when will it arrive?"), calls(("c1", "lookup_order", '{"order_id": "88123"}')), result("c1", ORDER)], "one value from a tool result"),
    ("office", "medium", "ag", "gen", [u("anything in my inbox I need to act on before friday? draft a one-line reply for each"), calls(("c1", "search_email", '{"query": "is:unread", "limit": 5}')), result("c1", INBOX)], "triage and several drafts"),
    ("infra", "large", "ld", "cs", [u("checkout keeps restarting in prod-eu, what's going on and what should we change?"), calls(("c1", "kubectl", '{"context": "prod-eu", "args": "get pods -n shop"}')), result("c1", PODS), calls(("c2", "kubectl", '{"context": "prod-eu", "args": "describe pod checkout-7d9f8b6c4-mm4rd -n shop"}')), result("c2", DESCRIBE)], "production root cause from tool output"),
    ("ledger", "small", "ex", "fin", [u("balance of 1000 bank?"), calls(("c1", "get_balance", '{"account": "1000"}')), result("c1", '{"account": "1000 Bank", "balance": 8100.00, "currency": "GBP"}')], "one value from a tool result"),
    ("ledger", "large", "ea", "fin", [u("month-end trial balance doesn't balance. why, and what entry fixes it?"), calls(("c1", "get_balance", '{"account": "trial_balance"}')), result("c1", TRIAL)], "accounting diagnosis before posting to the books"),
]

# Long pasted material: name -> (material for variant v, variants, system prompt or None, rows)
LONG = {
    "k8s": (m.k8s_config, 2, None, [
        ("small", "ex", "cs", "List each Deployment with its replica count and image tag.", "pull values"),
        ("small", "rw", "cs", "Convert this to JSON, one object per document:", "reformatting"),
        ("small", "ex", "cs", "which deployment has the most replicas", "pick one value"),
        ("medium", "cw", "cs", "Add a topologySpreadConstraint to each Deployment so pods spread across zones, and return the changed YAML.", "config edit with requirements"),
        ("large", "ld", "cs", "We get brief 503s on every rollout and checkout pods were OOMKilled last night. Review this config: every setting that could cause either, why, and the fix.", "production config review"),
    ]),
    "pglog": (m.pg_log, 2, None, [
        ("small", "ex", "cs", "How many deadlock errors are in this log?", "count lines"),
        ("small", "ex", "cs", "timestamps of the FATAL lines pls", "pull lines"),
        ("small", "su", "cs", "Summarise this log in three bullets for the status page.", "short summary"),
        ("medium", "db", "cs", "Which statements are slow, and what index would you add for them?", "everyday query tuning"),
        ("large", "ld", "cs", "Explain the deadlock from these lines: which transactions lock which rows in what order, why the connections then run out, and how the application must change so neither can happen again.", "root cause across the whole log"),
    ]),
    "gomod": (lambda v: m.GO_MODULE, 1, m.CODING_ASSISTANT, [
        ("small", "su", "cs", "What does Sweep do, in one sentence?", "reading one function"),
        ("small", "ex", "cs", "list the exported functions and methods", "listing"),
        ("small", "rw", "ling", "Translate the doc comments into Spanish, leave the code unchanged.", "translation"),
        ("medium", "cw", "cs", "Write table-driven tests for Allow using a fake clock.", "tests with a fake clock"),
        ("medium", "cw", "cs", "Rewrite AllowN so it does not allocate a timer on every retry.", "everyday refactor"),
        ("large", "db", "cs", "This runs in our API gateway at ~20k rps and `go test -race` fires. Find every data race and give a corrected version.", "concurrency review of a module"),
    ]),
    "invoices": (m.invoices_csv, 2, None, [
        ("small", "ex", "fin", "How many invoices have no paid_on date?", "count rows"),
        ("small", "ex", "fin", "List the invoice_ids billed in USD:", "filter rows"),
        ("small", "rw", "fin", "Convert this CSV to JSON Lines:", "reformatting"),
        ("medium", "ar", "fin", "Which customer has the largest total amount_cents across all invoices? Show the sum exactly.", "exact sums over many rows"),
        ("medium", "sq", "fin", "Compute MRR per month by plan for EUR invoices only; show the pandas code and the resulting table.", "analysis with several steps"),
        ("large", "ld", "fin", "We're preparing for a revenue restatement. Under ASC 606, given these discounts and the unpaid invoices, is the Q1 revenue we reported (EUR 1.9M annualised from this export) defensible? Show the reasoning.", "revenue recognition judgement with consequences"),
    ]),
    "tenant": (lambda v: m.TENANT_STATEMENT, 1, m.LEGAL_INTAKE, [
        ("small", "ex", "law", "List every date in my statement and what happened on it.", "extraction"),
        ("medium", "cr", "law", "Write a firm but polite letter to my landlord asking for the mould to be fixed, listing when I reported it.", "letter with facts to keep"),
        ("large", "ld", "law", "Is this notice valid? Can he actually evict me before August, and should I pay the GBP 500?", "individual housing-law decision"),
    ]),
    "dictation": (lambda v: m.DICTATION, 1, m.CLINICAL_DOC, [
        ("small", "ex", "med", "List the medications with dose and frequency.", "extraction"),
        ("medium", "cr", "med", "Write the falls clinic referral letter from this.", "letter that must choose the relevant facts"),
        ("medium", "su", "med", "Write this up as a SOAP note.", "structuring a consultation without inventing findings"),
        ("large", "ld", "med", "Check this for prescribing safety issues and tell me which doses I should change.", "apixaban dose criteria, triple whammy, metformin in CKD"),
        ("small", "rw", "ling", "Translate the plan section into Polish for his daughter.", "translation"),
    ]),
    "release": (lambda v: m.RELEASE_NOTES, 1, None, [
        ("small", "su", "gen", "Summarise these release notes in 3 bullets for customers.", "short summary"),
        ("small", "ex", "cs", "Which of these changes affect API users?", "pull items"),
        ("medium", "cr", "gen", "Write the 200-word email to free-plan users announcing 4.2, honest about the dashboard limit change.", "writing for an audience with constraints"),
    ]),
}

# One-turn requests in other languages: (lang, tier, kind, domain, text, reason)
LANGS = [
    ("es", "small", "st", "gen", "hola! qué tal todo", "greeting"),
    ("es", "small", "su", "gen", "Resúmeme este correo en dos frases: 'Hola equipo, la reunión del jueves se mueve al viernes a las 11 porque el cliente no puede. Traed la propuesta revisada y los números de marzo. Si alguien no puede, avisad a Lucía antes del miércoles.'", "short summary"),
    ("es", "medium", "cw", "cs", "Escribe una función en Python que valide un IBAN español (dígitos de control incluidos) y sus tests.", "function with edge cases"),
    ("es", "large", "ea", "med", "Mi padre toma Sintrom y el médico le ha recetado claritromicina. ¿Es peligroso?", "anticoagulant interaction"),
    ("fr", "small", "rw", "ling", "Corrige les fautes : « Je vous est envoyé le dossier hier, et il manque des piéce. »", "proofreading"),
    ("fr", "medium", "fa", "law", "Quelle est la différence entre une SARL et une SAS pour quelqu'un qui crée sa boîte ?", "general legal information"),
    ("fr", "large", "ea", "law", "Licencié pour faute grave le 3 mars après 8 ans d'ancienneté. Quel délai pour saisir les prud'hommes et quelles indemnités espérer ?", "individual dismissal deadline"),
    ("fr", "large", "pr", "math", "Montrer que tout groupe d'ordre p² est abélien, puis classifier les groupes d'ordre p³ à isomorphisme près.", "graduate classification proof"),
    ("de", "small", "rw", "ling", "Übersetze ins Englische: „Bitte senden Sie uns die unterschriebene Vollmacht bis Freitag zurück.“", "translation"),
    ("de", "medium", "sq", "cs", "SQL bitte: Umsatz pro Kunde, Rang innerhalb seines Landes, nur die Top 3 je Land.", "window query"),
    ("de", "large", "sd", "cs", "Unser Kubernetes-Operator reconciled doppelt, wenn zwei Replikas laufen, trotz Leader Election per Lease. Warum reicht das nicht, und wie wird die Reconcile-Schleife idempotent?", "distributed coordination"),
    ("de", "large", "ea", "fin", "Wohne in Konstanz, arbeite in Kreuzlingen. Wo versteuere ich den Lohn, und muss ich in Deutschland eine Steuererklärung abgeben?", "cross-border tax"),
    ("pt", "small", "fa", "gen", "qual é a capital da Austrália?", "well-known fact"),
    ("pt", "medium", "cr", "cs", "Escreva um post de 500 palavras para o LinkedIn sobre migrar para microsserviços, tom crítico mas construtivo.", "long-form writing with constraints"),
    ("pt", "large", "ea", "med", "Minha filha de 2 anos, 12 kg, está com febre de 39,5. Quantas gotas de dipirona posso dar?", "paediatric dosing"),
    ("zh", "small", "rw", "ling", "把这句话翻译成英文：我们下周二上午十点开会。", "translation"),
    ("zh", "medium", "cw", "cs", "用 Python 写一个函数，把中文数字（比如“一千二百零三”）转换成阿拉伯数字，并附上测试。", "function with edge cases"),
    ("zh", "large", "db", "cs", "Java 内存模型下，双重检查锁定的单例为什么必须加 volatile？不加会出现什么重排序？", "memory-model reasoning"),
    ("zh", "large", "ea", "fin", "我是外籍人士在上海工作，持美国绿卡。年终奖单独计税还是并入综合所得更划算？美国那边还要报吗？", "cross-border tax decision"),
    ("ja", "small", "rw", "ling", "「お世話になっております」を英語のメールで自然に言うと？", "phrase translation"),
    ("ja", "small", "ar", "math", "1/3 + 1/4 はいくつ？", "one-step sum"),
    ("ja", "medium", "cw", "cs", "この関数のユニットテストを書いて：def is_leap(y): return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)", "tests with edge cases"),
    ("ja", "large", "cw", "cs", "Rust で lock-free な MPSC キューを実装したい。ABA 問題と Acquire/Release の選び方も含めて。", "lock-free concurrency"),
    ("it", "small", "rw", "gen", "Riscrivi in modo più formale: 'ciao, mi mandi il file entro domani? grazie'", "rewrite"),
    ("it", "medium", "fa", "math", "Spiegami il teorema di Bayes con un esempio medico sui falsi positivi.", "undergraduate explanation"),
    ("it", "large", "ea", "law", "Ho ereditato un immobile in Italia da mio padre, residente in Germania. Devo pagare l'imposta di successione in entrambi i paesi?", "cross-border inheritance tax"),
    ("nl", "small", "rw", "ling", "Vertaal naar het Engels: 'De levering is vertraagd tot volgende week.'", "translation"),
    ("nl", "medium", "cw", "cs", "Schrijf een bash-script dat logbestanden ouder dan 7 dagen comprimeert en na 30 dagen verwijdert.", "script with requirements"),
    ("nl", "large", "ea", "law", "Ik ben 18 maanden ziek en mijn werkgever wil me ontslaan. Mag dat, en wat moet ik nu doen?", "individual employment-law decision"),
    ("ko", "small", "st", "gen", "안녕하세요! 오늘 날씨 정말 좋네요", "greeting"),
    ("ko", "medium", "cw", "cs", "파이썬으로 CSV를 읽어서 월별 매출 합계를 구하는 스크립트를 써 주세요. 날짜 형식이 섞여 있어요.", "script with messy input"),
    ("ko", "large", "sd", "cs", "2PC에서 코디네이터가 커밋 결정 직후 죽으면 참여자들은 어떻게 되나요? Paxos Commit은 이걸 어떻게 해결하나요?", "distributed commit protocols"),
    ("ru", "small", "rw", "ling", "Переведи на английский: «Спасибо за быстрый ответ».", "translation"),
    ("ru", "medium", "fa", "cs", "Объясни разницу между процессом и потоком в Linux, с примерами.", "undergraduate explanation"),
    ("ru", "large", "pr", "math", "Докажите, что в любой последовательности из n²+1 различных чисел есть монотонная подпоследовательность длины n+1.", "olympiad-style proof"),
    ("pl", "small", "rw", "ling", "Popraw błędy: 'Wczoraj poszłem do sklepu i kupiłem chleba.'", "proofreading"),
    ("pl", "medium", "cw", "cs", "Napisz hook Reacta w TypeScript do debounce'owania wartości, z testami.", "code with tests"),
    ("pl", "large", "ea", "fin", "Mam JDG i sprzedaję usługi klientowi z USA. Czy doliczam VAT i jak to wykazać w JPK?", "individual tax decision"),
    ("es", "large", "pr", "math", "Demuestra que ningún entero n > 1 divide a 2^n - 1.", "olympiad proof"),
    ("fr", "medium", "cw", "cs", "Écris un script Python qui renomme les photos d'un dossier d'après leur date EXIF, sans écraser les doublons.", "script with edge cases"),
    ("it", "medium", "cw", "cs", "Scrivi una funzione Python che valida un codice fiscale italiano (carattere di controllo incluso), con i test.", "function with edge cases"),
    ("nl", "large", "db", "cs", "Onze Go-service lekt goroutines onder load. Context wordt doorgegeven, maar de retry-loop wacht met time.After en kijkt niet naar ctx.Done(). Hoe vind en fix ik dit?", "concurrency debugging"),
    ("de", "small", "fa", "gen", "Wie viele Einwohner hat Berlin ungefähr?", "well-known fact"),
    ("fr", "small", "ex", "gen", "Ce message est-il positif, négatif ou neutre : « Encore un retard, c'est la troisième fois ce mois-ci. »", "sentiment label"),
    ("ja", "large", "ea", "med", "80歳の母がワーファリンを飲んでいて、来週抜歯の予定です。休薬すべきですか？", "anticoagulant decision before a procedure"),
    ("it", "small", "fa", "gen", "Quanti giorni ha febbraio in un anno bisestile?", "well-known fact"),
    ("zh", "medium", "sq", "cs", "写一个 SQL：每个部门工资第二高的员工，没有的话返回 NULL。", "ranking query with an edge case"),
    ("pt", "small", "rw", "gen", "Deixa esse texto mais formal: 'oi, vc pode me mandar o relatório até amanhã? valeu'", "rewrite"),
    ("ko", "large", "ea", "med", "생후 8개월 아기가 열이 38.9도예요. 체중 8kg인데 타이레놀 시럽 몇 ml 먹여야 하나요?", "infant dosing"),
    ("ru", "small", "fa", "gen", "Какая столица Канады?", "well-known fact"),
    ("ru", "large", "ea", "med", "Ребёнку 5 лет, 18 кг, температура 39. Можно ли давать ибупрофен и парацетамол вместе и в каких дозах?", "paediatric dosing"),
    ("pl", "small", "st", "gen", "cześć, jak się masz?", "greeting"),
    ("pl", "large", "ea", "law", "Dostałem wypowiedzenie umowy na czas nieokreślony po 6 latach, bez podania przyczyny. Ile mam czasu na odwołanie do sądu pracy?", "dismissal deadline"),
    ("ko", "small", "rw", "ling", "이 문장을 영어로 번역해 주세요: 회의는 다음 주 화요일로 연기되었습니다.", "translation"),
    ("ko", "medium", "sq", "cs", "월별 신규 가입자 수와 전월 대비 증감률을 구하는 SQL을 써 주세요. 테이블은 users(id, created_at)입니다.", "window query"),
    ("zh", "small", "su", "gen", "用一句话总结：公司决定从下个月起实行每周两天远程办公，员工需要提前在系统里登记。", "one-sentence summary"),
    ("ja", "medium", "cr", "gen", "新商品のコーヒー豆の紹介文を200字で。酸味が少なく、チョコのような香り、深煎り。", "copy with constraints"),
    ("de", "large", "ea", "med", "Meine Mutter (82) nimmt Amiodaron und soll jetzt Simvastatin 40 mg bekommen. Ist das in Ordnung?", "drug interaction"),
    ("es", "medium", "wp", "fin", "Si ahorro 150 € al mes al 3 % anual con capitalización mensual, ¿cuánto tendré en 10 años? Muestra el cálculo.", "compound interest, exact arithmetic"),
    ("fr", "small", "fa", "gen", "C'est quoi la capitale du Portugal ?", "well-known fact"),
    ("it", "large", "sd", "cs", "Un pagamento non deve essere addebitato due volte se il client ritenta dopo un timeout. Progetta le chiavi di idempotenza tra API, coda e PSP.", "idempotency across systems"),
    ("pt", "medium", "db", "cs", "Meu useEffect entra em loop infinito quando passo um objeto de opções como dependência. Por quê e como corrijo?", "everyday React debugging"),
    ("nl", "small", "fa", "gen", "Hoeveel provincies heeft Nederland?", "well-known fact"),
]

SIGNATURE = "Thanks,\nRenata Oduya\nProcurement Lead | Kessel & Rowe GmbH\nrenata.oduya@kesselrowe.example | +49 40 5550 1182"
TICKET = "my internet has been dropping every evening for a week, I work from home and I've lost two client calls. also you charged me twice this month??"
REVIEWS = "\n".join(
    f"{i + 1}. {t}"
    for i, t in enumerate(
        (
            "Arrived fast, works perfectly.",
            "Broke after two days. Useless.",
            "It's fine, nothing special.",
            "Customer service sorted my issue in minutes, love it",
            "Smaller than in the photos",
            "Would buy again!!",
            "Battery life is awful",
            "ok",
        )
    )
)
CLAUSES = (
    "4.1 The Supplier shall deliver the Goods to the Site within 10 Business Days of each Purchase "
    "Order. 4.2 The Customer shall notify the Supplier of any defect within 5 Business Days of "
    "delivery, failing which the Goods are deemed accepted. 6.1 The Customer shall pay each "
    "invoice within 30 days of receipt. 6.2 Late payments bear interest at 4% above the Bank of "
    "England base rate. 9.1 The Supplier shall maintain product liability insurance of at least "
    "GBP 5,000,000 and provide a certificate on request within 7 days. 11.2 Either party may "
    "terminate on 90 days' written notice after the first anniversary of the Effective Date."
)
IAM = (
    '{"Version": "2012-10-17", "Statement": ['
    '{"Sid": "Deploy", "Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", '
    '"lambda:InvokeFunction"], "Resource": "*"}, '
    '{"Sid": "Logs", "Effect": "Allow", "Action": "logs:*", "Resource": "*"}, '
    '{"Sid": "Artifacts", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], '
    '"Resource": "arn:aws:s3:::ci-artifacts/*"}]}'
)
OCR = (
    "INVOICE 2026-0419  Tern Office Supplies\nQty  Item                 Unit    Total\n"
    "12   A4 paper (box)       18.50   222.00\n3    Toner HP 59A         89.90   269.70\n"
    "40   Ring binders          2.15    86.00\n1    Desk lamp            34.00    34.00\n"
    "Subtotal 611.70   VAT 20% 122.34   Total 734.04"
)
RISK = {"type": "array", "items": {"type": "object", "properties": {"sid": S, "risk": S, "escalation_path": S}, "required": ["sid", "risk", "escalation_path"], "additionalProperties": False}}
DOSE = {"type": "array", "items": {"type": "object", "properties": {"drug": S, "current": S, "recommended": S, "why": S}, "required": ["drug", "current", "recommended", "why"], "additionalProperties": False}}
OBLIGATION = {"type": "array", "items": {"type": "object", "properties": {"clause": S, "party": S, "duty": S, "deadline": S}, "required": ["clause", "party", "duty", "deadline"], "additionalProperties": False}}

# (family, tier, kind, domain, request, reason)
STRUCTURED = [
    ("sig", "small", "ex", "gen", req(u(f"Extract the contact:\n\n{SIGNATURE}"), response_format=schema("contact", {"name": S, "email": S, "company": S, "phone": S}, ["name", "email", "company", "phone"])), "fields out of a signature"),
    ("ticket", "small", "ex", "gen", req(sys_("Classify the ticket. Reply as JSON with keys category (billing|outage|moving|cancel|other, a list) and urgency (low|normal|high)."), u(TICKET), response_format=JSON_OBJECT), "ticket labels"),
    ("reviews", "small", "ex", "gen", req(u(f"Sentiment of each review as JSON {{\"1\": \"positive\"|\"negative\"|\"neutral\", ...}}:\n{REVIEWS}"), response_format=JSON_OBJECT), "sentiment labels"),
    ("notes-items", "small", "ex", "cs", req(u(f"{m.RELEASE_NOTES}\n\nReturn every bullet as {{section, title}}."), response_format=schema("items", {"items": {"type": "array", "items": {"type": "object", "properties": {"section": S, "title": S}, "required": ["section", "title"], "additionalProperties": False}}}, ["items"])), "listing bullets into a schema"),
    ("tenant-json", "small", "ex", "law", req(sys_(m.LEGAL_INTAKE), u(m.TENANT_STATEMENT), u("Fill the intake record as JSON: name, address, landlord, tenancy_start, rent, deposit, documents_held, outcome_wanted, deadlines."), response_format=JSON_OBJECT), "fields out of a statement"),
    ("title", "small", "cr", "gen", req(u("Give me a title for a blog post about why our team stopped doing daily standups and moved to async updates."), max_tokens=30), "a title"),
    ("leap", "small", "fa", "gen", req(u("Answer yes or no: is 2028 a leap year?"), max_tokens=3), "well-known fact"),
    ("obligations", "medium", "ex", "law", req(u(f"Extract every obligation: which clause, which party, what they must do, by when.\n\n{CLAUSES}"), response_format=schema("obligations", {"obligations": OBLIGATION}, ["obligations"])), "structured extraction with several fields that must all be right"),
    ("ocr", "medium", "ex", "fin", req(u(f"Extract the line items and totals from this OCR text and set totals_consistent to whether the lines, subtotal, VAT and total add up.\n\n{OCR}"), response_format=schema("invoice", {"lines": {"type": "array", "items": {"type": "object"}}, "subtotal": {"type": "number"}, "vat": {"type": "number"}, "total": {"type": "number"}, "totals_consistent": {"type": "boolean"}}, ["lines", "subtotal", "vat", "total", "totals_consistent"])), "extraction plus exact arithmetic checks"),
    ("pwtests", "medium", "cw", "cs", req(u("Generate 12 test cases for a password validator (min 12 chars, one digit, one symbol, no 3 repeated chars, not in a breach list) as JSON: input, expected, why."), response_format=JSON_OBJECT), "test cases that must all hold"),
    ("iam", "large", "ea", "cs", req(u(f"Security review of this IAM policy for a CI role. For each statement: risk and any privilege-escalation path.\n\n{IAM}"), response_format=schema("review", {"statements": RISK}, ["statements"])), "privilege escalation via PassRole; security judgement"),
    ("doses", "large", "ea", "med", req(sys_(m.CLINICAL_DOC), u(m.DICTATION), u("Return the medication changes you'd recommend as JSON."), response_format=schema("changes", {"changes": DOSE}, ["changes"])), "individual prescribing changes"),
    ("pg-rca", "large", "ld", "cs", req(u(f"{m.pg_log(3)}\n\nReturn JSON: root_cause, evidence (log lines), fix."), response_format=JSON_OBJECT, max_tokens=800), "root cause of a production incident"),
    ("sig-translate", "small", "rw", "ling", req(u(f"Translate into Japanese, keep names and emails:\n\n{SIGNATURE}"), max_tokens=200), "translation"),
    ("actions", "small", "ex", "gen", req(u("Action items as JSON [{owner, task, due}] from: 'Ana to send the deck by Tue. Bo books the venue this week. Chen checks the budget with finance before the 15th.'"), response_format=JSON_OBJECT), "extraction"),
    ("clause-risk", "large", "ea", "law", req(u(f"We are the Supplier. Rate each clause's risk to us (low/medium/high) and what to negotiate, as JSON.\n\n{CLAUSES}"), response_format=JSON_OBJECT), "expert contract review"),
    ("sql-json", "medium", "sq", "cs", req(u("Return JSON {sql, explanation}: customers whose three most recent orders were all refunded. Table orders(order_id, customer_id, created_at, refunded)."), response_format=schema("answer", {"sql": S, "explanation": S}, ["sql", "explanation"])), "window query"),
    ("ddl-json", "medium", "sd", "cs", req(u("Return JSON {tables: [{name, ddl}]} for a library loans system: books, copies, members, loans, holds. Postgres, with the constraints that stop a copy being lent twice."), response_format=JSON_OBJECT), "schema design with constraints"),
    ("lang-detect", "small", "ex", "ling", req(u("Language of each line as JSON {line number: ISO 639-1 code}:\n1. Dziękuję bardzo\n2. Obrigado\n3. ありがとう\n4. Merci beaucoup\n5. 감사합니다"), response_format=JSON_OBJECT), "labels"),
    ("dictation-json", "medium", "ex", "med", req(sys_(m.CLINICAL_DOC), u(m.DICTATION), u("Return JSON: problems, medications (name, dose, frequency), observations (name, value, unit), plan items."), response_format=JSON_OBJECT), "clinical record where every dose and unit must be exact"),
]


def _app_entries() -> list[Entry]:
    out = []
    for app, (system, rows) in APPS.items():
        for i, (tier, kind, domain, text, reason) in enumerate(rows):
            family = f"app-{app}-{i:02d}"
            variants = [req(sys_(system), u(text))]
            if reason.endswith(" +"):
                reason = reason[:-2]
                variants.append(req(sys_(system), *GREETING, u(text)))
            out.append((family, tier, kind, domain, APP_LANGS.get(family, "en"), reason, variants))
    return out


def _chat_entries() -> list[Entry]:
    return [
        (f"chat-{history}-{i:02d}", tier, kind, domain, "en", reason,
         [req(*HISTORIES[history], u(text))])
        for i, (history, tier, kind, domain, text, reason) in enumerate(CHATS)
    ]


def _agent_entries() -> list[Entry]:
    out = []
    for i, (tools, tier, kind, domain, text, reason) in enumerate(AGENTS):
        spec = m.TOOLS[tools]
        variants = [req(u(text), tools=spec), req(sys_(AGENT_SYSTEM), u(text), tools=spec)]
        out.append((f"agent-{tools}-{i:02d}", tier, kind, domain, "en", reason, variants))
    for i, (tools, tier, kind, domain, messages, reason) in enumerate(TOOL_RESULTS):
        variant = req(sys_(AGENT_SYSTEM), *messages, tools=m.TOOLS[tools])
        out.append((f"toolres-{tools}-{i:02d}", tier, kind, domain, "en", reason, [variant]))
    return out


def _long_entries() -> list[Entry]:
    out = []
    for name, (make, n, system, rows) in LONG.items():
        head = [sys_(system)] if system else []
        for i, (tier, kind, domain, ask, reason) in enumerate(rows):
            variants = []
            for v in range(n):
                text = make(v)
                body = f"{ask}\n\n{text}" if ask.endswith(":") or v % 2 else f"{text}\n\n{ask}"
                variants.append(req(*head, u(body)))
            out.append((f"long-{name}-{i:02d}", tier, kind, domain, "en", reason, variants))
    return out


def entries() -> list[Entry]:
    """Every family of w3's requests."""
    return [
        *_app_entries(),
        *_chat_entries(),
        *_agent_entries(),
        *_long_entries(),
        *(
            (f"lang-{i:02d}", tier, kind, domain, lang, reason, [req(u(text))])
            for i, (lang, tier, kind, domain, text, reason) in enumerate(LANGS)
        ),
        *(
            (f"json-{family}", tier, kind, domain, "en", reason, [request])
            for family, tier, kind, domain, request, reason in STRUCTURED
        ),
    ]
