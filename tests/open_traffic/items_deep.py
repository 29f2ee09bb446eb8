# ruff: noqa: E501  (request texts and reasons are data: one request per call, not wrapped)
"""More top-tier work of every length: pasted code and output with hard asks, regulated advice."""

from build import doc, item

MSA = doc("msa.txt")
CODE = doc("inventory_service.py.txt")
EARN = doc("article_earnings.txt")
SH = "short_hard"

_ASYNC = """```python
async def fetch_all(urls, limit=10):
    sem = asyncio.Semaphore(limit)
    results = {}

    async def one(url):
        async with sem:
            try:
                async with session.get(url, timeout=5) as r:
                    results[url] = await r.text()
            except Exception:
                log.warning("failed %s", url)

    tasks = [asyncio.create_task(one(u)) for u in urls]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
    except asyncio.TimeoutError:
        pass
    return results
```"""

_OLS = """```
                            OLS Regression Results
==============================================================================
Dep. Variable:            log_revenue   R-squared:                       0.912
Model:                            OLS   Adj. R-squared:                  0.909
No. Observations:                 412   F-statistic:                     301.4
Covariance Type:            nonrobust   Prob (F-statistic):          1.2e-201
==============================================================================
                 coef    std err          t      P>|t|      [0.025      0.975]
------------------------------------------------------------------------------
const          2.1432      0.311      6.891      0.000       1.532       2.755
log_ad_spend   0.4121      0.052      7.925      0.000       0.310       0.514
log_search     0.3877      0.049      7.912      0.000       0.291       0.484
price         -0.0213      0.006     -3.550      0.000      -0.033      -0.009
promo_weeks    0.0154      0.019      0.811      0.418      -0.022       0.053
==============================================================================
Omnibus:                       61.203   Durbin-Watson:                   0.612
Cond. No.                        1.87e+03
==============================================================================
Notes: corr(log_ad_spend, log_search) = 0.94
```"""

_JWT = """```js
function verify(token) {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(b64decode(h));
  const key = header.alg === 'HS256' ? process.env.JWT_SECRET : PUBLIC_KEY_PEM;
  const ok = jwt.verify(token, key, { algorithms: [header.alg] });
  if (!ok) throw new Error('bad token');
  return JSON.parse(b64decode(p));
}
```"""

ITEMS = [
    item("dp-001", "large", "debugging_review", "cs_engineering",
         "asyncio cancellation semantics: wait_for cancels gather, the broad except hides CancelledError issues, results are partial; easy to misdiagnose.",
         f"Sometimes this returns an empty dict even though most URLs respond in under a second, and sometimes it hangs past 30 s. Why?\n\n{_ASYNC}"),
    item("dp-002", "large", "expert_analysis", "economics",
         "Interpreting regression output with collinearity and autocorrelation, and saying what can't be concluded causally.",
         f"Marketing wants to cut search spend because 'ad spend has the bigger coefficient'. Is that supported by this? What's wrong with the model and what would you do?\n\n{_OLS}"),
    item("dp-003", "large", "debugging_review", "cs_engineering",
         "Security review: algorithm confusion lets an attacker sign HS256 tokens with the public key; missing claim checks.",
         f"Security review this token check before we ship it:\n\n{_JWT}"),
    item("dp-004", "large", "expert_analysis", "law",
         "Fr: droit du bail (loi de 1989, dépôt de garantie, délais, pénalités) avec des enjeux financiers réels.",
         "Mon propriétaire à Lyon garde 900 € sur mon dépôt de garantie de 1 200 € pour « usure des peintures » après 6 ans de location, sans état des lieux d'entrée signé. Il m'a rendu le reste 3 mois après la remise des clés. Quels sont mes droits et que puis-je réclamer ?"),
    item("dp-005", "large", "expert_analysis", "finance",
         "UK capital gains with partial main-residence relief and letting; numbers and rules must be exact.",
         "I bought a London flat in 2012 for £310k, lived in it until 2017, then let it out until I sold it in 2025 for £560k. How much of the gain is taxable after private residence relief, and is lettings relief available?", group=SH),
    item("dp-006", "large", "expert_analysis", "medicine",
         "Medication in pregnancy; a wrong answer risks harm to mother or baby.",
         "I'm 8 weeks pregnant and on sertraline 100 mg for anxiety. My midwife mentioned stopping it. What are the actual risks of continuing versus stopping?", group=SH),
    item("dp-007", "large", "expert_analysis", "medicine",
         "Possible acute coronary syndrome; triage advice must be right.",
         "54M, 40 minutes of pressure in my chest and left jaw while shovelling snow, went away when I rested, now I feel fine. Can I wait to see my GP next week?", group=SH),
    item("dp-008", "large", "expert_analysis", "physics",
         "Control engineering: tuning with stability margins for a given plant.",
         "Plant G(s) = 2 / (s(s+1)(s+4)). Design a PI or PID controller giving at least 45° phase margin and no steady-state error to a ramp; show the Bode reasoning.", group=SH),
    item("dp-009", "large", "expert_analysis", "chemistry",
         "Retrosynthesis of a real drug needs expert organic chemistry.",
         "Propose a retrosynthesis of ibuprofen from isobutylbenzene and compare the Boots and BHC routes on atom economy.", group=SH),
    item("dp-010", "large", "code_writing", "cs_engineering",
         "A B-tree with deletion (borrow/merge) is long and error-prone.",
         "Implement a B-tree of order t in Python with insert, search and delete (including borrowing and merging), plus a property-based test with hypothesis.", group=SH),
    item("dp-011", "large", "code_writing", "cs_engineering",
         "A CRDT for collaborative text needs correct convergence under concurrency.",
         "Implement an RGA sequence CRDT in TypeScript for collaborative text editing and explain why concurrent inserts converge.", group=SH),
    item("dp-012", "large", "debugging_review", "cs_engineering",
         "Kubernetes OOMKilled below the limit involves cgroup accounting, page cache and JVM native memory.",
         "Java pods get OOMKilled at ~1.6Gi with limits.memory 2Gi and -Xmx1g. Heap dumps look fine. What's using the memory and how do I prove it?", group=SH),
    item("dp-013", "large", "system_design", "cs_engineering",
         "Point-in-time correct feature store design; leakage bugs are silent.",
         "Design a feature store that gives point-in-time correct training data and sub-10ms online reads for ~2k features. How do you prevent label leakage in backfills?", group=SH),
    item("dp-014", "large", "data_sql", "maths",
         "Experiment design with sequential testing; naive peeking inflates false positives.",
         "We check our A/B test dashboard daily and stop when p < 0.05. Baseline conversion 3.2%, we care about +5% relative. How badly does peeking inflate false positives, and how should we run it instead (sample size, sequential method)?", group=SH),
    item("dp-015", "large", "word_problems", "finance",
         "LBO returns need a multi-step model with debt paydown; small errors compound.",
         "Buy a company at 8x EBITDA of $50M, 60% debt at 9%, EBITDA grows 6%/yr, all free cash flow (EBITDA minus 30% for tax, capex, working capital) pays down debt, exit at 8x after 5 years. What's the equity IRR and MOIC?", group=SH),
    item("dp-016", "large", "expert_analysis", "economics",
         "Trade theory derivation with a specific result.",
         "Derive the optimal tariff for a large country facing a foreign export supply elasticity e, and explain why it is zero for a small country.", group=SH),
    item("dp-017", "large", "expert_analysis", "philosophy",
         "Frankfurt cases and the principle of alternate possibilities; needs the literature's precise moves.",
         "Do Frankfurt-style cases refute the principle of alternate possibilities? Present the dilemma defence (Kane/Widerker) and the best response to it.", group=SH),
    item("dp-018", "large", "competition_maths_proofs", "maths",
         "Counting with Burnside's lemma; easy to miscount symmetries.",
         "How many distinct necklaces of 6 beads can be made with 3 colours, up to rotation and reflection? Use Burnside and show each group element's fixed points.", group=SH),
    item("dp-019", "large", "competition_maths_proofs", "maths",
         "A classical analytic number theory proof.",
         "Prove that the sum of the reciprocals of the primes diverges.", group=SH),
    item("dp-020", "large", "word_problems", "maths",
         "A Monty Hall variant where the usual answer is wrong.",
         "Monty Hall, but the host doesn't know where the car is and opens a door at random, which happens to show a goat. Should you switch? Compare with the standard version.", group=SH),
    item("dp-021", "large", "expert_analysis", "biology",
         "Kin selection with inclusive fitness calculation and its limits.",
         "Use Hamilton's rule to explain worker sterility in haplodiploid Hymenoptera, then explain why the haplodiploidy hypothesis is now considered insufficient.", group=SH),
    item("dp-022", "large", "long_document_analysis", "cs_engineering",
         "A production symptom to trace through code paths (release after commit, re-reserve, cache) needs careful reasoning over the whole module.",
         f"In production `reserved` for some SKUs slowly goes negative, and sometimes we sell stock we don't have. Using only this code, find every path that can cause each symptom.\n\n{CODE}"),
    item("dp-023", "large", "long_document_analysis", "law",
         "Drafting a compliant data processing addendum (Art. 28, UK/EU transfers, SCCs) is specialist legal drafting.",
         f"{MSA}\n\nDraft a data processing addendum that replaces clause 5 and fully satisfies UK GDPR and EU GDPR Art. 28, including international transfers from Germany to the UK and to Supplier's US sub-processors."),
    item("dp-024", "large", "long_document_analysis", "finance",
         "Bull and bear cases with quantified assumptions from an earnings report is analyst work.",
         f"{EARN}\n\nBuild a bull case and a bear case for the next 12 months with quantified assumptions (cocoa, pricing, volumes, FX, synergies) and the EPS each implies."),
    item("dp-025", "large", "agentic_tool_use", "cs_engineering",
         "An SRE agent acting on production with kubectl: a wrong action causes an outage.",
         "payments-api in prod is crash-looping after this morning's deploy. Investigate and get it healthy again; page me before anything destructive.",
         system="You are an SRE assistant with access to the production cluster. Prefer read-only commands; explain each action.",
         tools=[{"type": "function", "function": {"name": "kubectl", "description": "Run a kubectl command against the prod cluster",
                 "parameters": {"type": "object", "properties": {"args": {"type": "string"}}, "required": ["args"]}}},
                {"type": "function", "function": {"name": "page_human", "description": "Page the on-call engineer with a message",
                 "parameters": {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]}}}]),
    item("dp-026", "large", "expert_analysis", "finance",
         "A liquidation-preference waterfall with participation and a cap, in a conversation with context.",
         "OK so if we sell for $40M, how much do the founders get?",
         turns=[
             ("user", "We're raising a Series A. Term sheet: $8M at $24M pre-money, 1x participating preferred with a 3x cap, 10% option pool created pre-money. Founders own 100% now (two founders, 50/50)."),
             ("assistant", "So post-money is $32M and the investors own 25%. The 10% pool is carved out of the pre-money, so it dilutes the founders only: after the round the founders hold 65% (32.5% each), the pool 10% and the investors 25%. With 1x participating preferred capped at 3x, in a sale the investors first take $8M back, then share pro rata with everyone until their total reaches $24M, at which point they would convert to common if that pays more."),
         ], group=SH),
    item("dp-027", "large", "expert_analysis", "finance",
         "Es: tributación de RSU de una empresa estadounidense en España (rendimiento del trabajo, ganancia patrimonial, doble imposición).",
         "Trabajo en Madrid para una empresa de EE. UU. que me paga en RSU. ¿Cómo tributan en España al consolidarse y al venderlas, y cómo evito la doble imposición con la retención de EE. UU.?", group=SH),
    item("dp-028", "large", "expert_analysis", "law",
         "Ja: 労働基準法と36協定の具体的な法解釈が必要で、誤りは実害につながる。",
         "月80時間の残業が続いています。36協定の特別条項がある場合でも違法になるのはどんなときですか?未払い残業代の時効は何年ですか?", group=SH),
    item("dp-029", "large", "code_writing", "cs_engineering",
         "A safe Rust wrapper over a C API with ownership and lifetimes; unsoundness is easy to introduce.",
         "Write a safe Rust wrapper around this C API with correct ownership, Drop and lifetimes:\n"
         "db_t* db_open(const char* path); void db_close(db_t*);\n"
         "iter_t* db_iter(db_t*); const char* iter_next(iter_t*); /* valid until next call */ void iter_free(iter_t*);", group=SH),
    item("dp-030", "large", "expert_analysis", "cs_engineering",
         "Distributed systems theory with a precise impossibility result.",
         "Explain the FLP impossibility result and how Paxos and Raft sidestep it in practice. What exactly do they give up?", group=SH),
    item("dp-031", "large", "creative_writing", "linguistics",
         "Verse translation that keeps meaning, metre and rhyme at once; the top tier is clearly better and the user asked for all three.",
         "Translate Rilke's 'Der Panther' into English verse, keeping the iambic pentameter and the ABAB rhymes as far as possible without losing the meaning. Then note where you had to compromise.\n\n"
         "Sein Blick ist vom Vorübergehn der Stäbe\nso müd geworden, daß er nichts mehr hält.\nIhm ist, als ob es tausend Stäbe gäbe\nund hinter tausend Stäben keine Welt.\n\n"
         "Der weiche Gang geschmeidig starker Schritte,\nder sich im allerkleinsten Kreise dreht,\nist wie ein Tanz von Kraft um eine Mitte,\nin der betäubt ein großer Wille steht.\n\n"
         "Nur manchmal schiebt der Vorhang der Pupille\nsich lautlos auf –. Dann geht ein Bild hinein,\ngeht durch der Glieder angespannte Stille –\nund hört im Herzen auf zu sein."),
    item("dp-032", "large", "summarisation", "medicine",
         "An evidence summary naming specific trials is where cheaper models invent studies and results.",
         "Summarise the RCT evidence on time-restricted eating vs plain calorie restriction for weight loss. Name the main trials, their size and results.", group=SH),
    item("dp-033", "large", "extraction_classification", "medicine",
         "Coding adverse events to MedDRA terms and grading them (CTCAE) is specialist work that feeds safety reporting.",
         "From this trial narrative, extract each adverse event, map it to a MedDRA preferred term, grade it by CTCAE v5 and say whether it's serious:\n\n"
         "'Subject 014 (F, 61) developed a maculopapular rash over 40% of the body surface on day 12, with pruritus, managed with topical steroids. On day 19 she presented with ALT 6x ULN and bilirubin 1.2x ULN; study drug was interrupted. On day 23 she was admitted for febrile neutropenia (ANC 0.4, temp 38.6 C) and received IV antibiotics for 5 days.'"),
    item("dp-034", "large", "rewrite_translate_format", "law",
         "A legally equivalent translation of a liability clause for use before a German court needs legal terminology (Vorsatz, grobe Fahrlässigkeit, AGB-Kontrolle).",
         f"{MSA}\n\nTranslate clause 8 into German so that it can be used in a German-law version of this contract, and flag where a literal translation would be invalid under German AGB law (§§ 307, 309 BGB)."),
    item("dp-035", "medium", "expert_analysis", "psychology", "A practical psychology explanation with known techniques; moderate stakes.",
         "What CBT techniques actually help with procrastination? Give me a short plan I can try for two weeks."),
    item("dp-036", "medium", "factual_lookup", "history", "A short overview of a debated history question.",
         "Why did the Roman Republic fall? Give the main explanations historians offer, in about 300 words."),
    item("dp-037", "medium", "expert_analysis", "chemistry", "Balancing a redox equation by half-reactions: standard but multi-step.",
         "Balance in acidic solution: MnO4- + Fe2+ -> Mn2+ + Fe3+. Show the half-reactions."),
    item("dp-038", "medium", "expert_analysis", "philosophy", "An intro-level philosophy explanation.",
         "Explain Hume's problem of induction with an everyday example, and one famous response to it."),
    item("dp-039", "small", "factual_lookup", "history", "A well-known history fact.", "who was the first roman emperor"),
    item("dp-040", "small", "small_talk", "linguistics", "Light conversational practice with gentle corrections.",
         "Let's practise Spanish. You're a waiter in a café in Madrid and I'm ordering. Correct my mistakes gently. Empiezo: 'Hola, quiero un café con leche y uno tostada, por favor.'"),
]
