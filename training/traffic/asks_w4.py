"""Writer w4's requests: people who are not engineers, in a chat app or an internal assistant.

Patients and carers, parents, tenants, small-business owners, students, hobbyists, and
professionals asking about their own work casually (nurses, pharmacists, paralegals,
accountants, teachers, lab technicians, site engineers, HR staff, reporters, researchers).
High-stakes asks phrased like small talk (`large`), easy asks in a domain's jargon (`small`),
long pasted e-mails, reports, charts, transcripts and exports with an easy or an expert ask
about them, app system prompts, multi-turn chats whose last turn sets the tier, a few agents,
and asks in eleven other languages. Each label was written with its row, by README.md's rules,
before anything was scored.

entries() yields (family, tier, kind, domain, lang, reason, requests) for build.py, the shape
asks_w3.py uses; material and system prompts are in materials_w4.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import materials_w4 as m
from turns import Entry, a, function_tool, req, sys_, u

Row = tuple[str, str, str, str, str]






# Short app system prompts: a row whose reason ends in " +" is also sent under one of these
# (chosen by the row's position), and a row ending in " ~" after a short greeting exchange.
APP_PROMPTS = (
    "You are Pip, the helpful assistant inside the Hearth family organiser app.",
    "You are a friendly general assistant. Keep answers clear and kind.",
    "You are StudyBuddy, a study helper for students. Explain step by step.",
    "You are the assistant in the staff intranet. Answer briefly.",
)
HELLO = [u("hey"), a("Hey! What can I do for you?")]

# One-turn asks: (tier, kind, domain, text, reason).
ROWS: list[Row] = [
    # --- high stakes, typed like small talk ---------------------------------------------------
    ("large", "ea", "med", "quick q my husband is on sertraline and wants to try st johns wort his sister swears by. thats fine right its herbal", "serotonergic interaction for one patient +"),
    ("large", "ea", "med", "my 3yo is about 14kg, how much calpol can i give her? bottle says 2-4 yrs 7.5ml but shes tiny for her age", "paediatric dose by weight vs label ~"),
    ("large", "ea", "med", "mums on methotrexate once a week for her RA and the gp just gave her trimethoprim for a uti. ok together?", "dangerous antifolate interaction"),
    ("large", "ea", "med", "been getting this heavy feeling in my chest since lunch, goes into my jaw a bit. prob indigestion? 54 m", "possible cardiac chest pain, triage ~"),
    ("large", "ea", "med", "baby is 5 weeks old, temp 38.2, feeding ok. can i give calpol and wait til morning?", "fever under 3 months needs same-day assessment +"),
    ("large", "ea", "med", "nurse here, pt on fluid restriction, Na was 124 yesterday and 131 this morning (12h). too fast?", "osmotic demyelination risk judgement"),
    ("large", "ea", "med", "pharmacist q - pt on simvastatin 40 just got clarithromycin 500 bd x7 days. hold the statin or switch?", "CYP3A4 interaction, individual advice"),
    ("large", "ea", "med", "10 weeks pregnant, out of hours gave me nitrofurantoin for a uti. is it safe for the baby", "drug safety in pregnancy for one patient"),
    ("large", "ea", "med", "my son (4) might have eaten one of grandmas amlodipine tablets like 20 min ago. he seems totally fine", "calcium channel blocker ingestion in a child, triage +"),
    ("large", "ea", "med", "type 1, flying london to tokyo next week (14h). how do i change my lantus times?", "insulin timing across time zones"),
    ("large", "ea", "med", "is it ok to give my dog one of my ibuprofen for his limp? 30kg lab", "NSAID toxicity in dogs, vet dosing"),
    ("large", "ea", "chem", "accidentally mixed bleach and limescale remover in the loo, strong smell, im coughing a bit. what now", "chlorine gas exposure triage +"),
    ("large", "ea", "law", "landlord served a section 21 yesterday but never gave me the gas safety cert when i moved in. is it even valid? england", "validity of a possession notice"),
    ("large", "ea", "law", "got let go today after 22 months, no warning, they said restructure. how long have i got to do something? uk", "qualifying period and tribunal deadline +"),
    ("large", "ea", "law", "paralegal q: claim form served on the 3rd, particulars to follow. when's our acknowledgment of service due?", "CPR deadline computation with consequences"),
    ("large", "ea", "law", "my ex wants to take our daughter to spain for 6 weeks this summer, i said no. can she just go anyway? england, no court order", "child abduction law, individual case"),
    ("large", "ea", "law", "bought a used car from a dealer 5 weeks ago and the gearbox has gone. they say not their problem. can i still reject it", "Consumer Rights Act remedies after 30 days +"),
    ("large", "ea", "fin", "uk resident, did freelance work for a us company and they took 30% tax off. do i pay uk tax on it as well??", "cross-border tax and treaty relief"),
    ("large", "ea", "fin", "58, pension pot about 240k, still working part time. lump sum or drawdown?", "individual retirement decision"),
    ("large", "ea", "fin", "client's a sole trader, turnover 88k and climbing, sells mostly to the public. register for vat now or wait?", "VAT threshold decision for a client"),
    ("large", "ea", "fin", "lived in my flat 3 yrs then rented it out 4 yrs, selling now. roughly how much CGT and do i get PRR on all of it", "private residence relief apportionment"),
    ("large", "ea", "fin", "hmrc letter says i owe the high income child benefit charge for 3 years, i genuinely didnt know. will they fine me", "penalty rules for one taxpayer"),
    ("large", "ea", "fin", "my gran got a call from 'her bank' and moved 8k to a 'safe account' an hour ago. what do we do right now", "live fraud, time-critical steps +"),
    ("large", "ea", "cs", "knocking through the wall between kitchen and dining room, bedroom above. will a 4x2 timber do as a lintel over 3m?", "structural load over an opening"),
    ("large", "ea", "cs", "site eng: ok to pour the slab tonight at -2C if we use blankets and accelerator? C32/40", "cold-weather concreting judgement"),
    ("large", "ea", "phys", "want a hot tub on my first floor deck, 2.1 tonnes full. joists 150x47 at 400 centres spanning 3.6m. enough?", "structural check of a point load"),
    ("large", "ea", "cs", "electrician mate says i can put the ev charger on a 32A socket off the ring main. sound right?", "electrical safety, regulations"),
    ("large", "ea", "math", "my study tested 40 variables vs the outcome, 3 came out p<0.05. supervisor says thats a finding. is it?", "multiple comparisons trap"),
    ("large", "ea", "math", "test is 99% accurate and 1 in 10,000 people have the disease. i tested positive so theres a 99% chance i have it right?", "base-rate probability trap +"),
    ("large", "ea", "med", "my RCT had 12 clinics randomised but i analysed patients as individuals, p=0.01. reviewer is unhappy. is my result wrong?", "cluster randomisation analysis"),
    ("large", "ea", "math", "treatment is better for men and better for women in my data but worse overall?? which one do i report", "Simpson's paradox, causal judgement"),
    ("large", "ea", "law", "journalist q - can i name the 16yo charged over the stabbing? his name's all over facebook already", "reporting restrictions on a minor"),
    ("large", "ea", "law", "hr here. employee off sick with depression 7 months now. can we start capability dismissal?", "disability discrimination risk in a dismissal"),
    ("large", "ea", "psych", "teacher here, a kid told me something about home and made me promise not to tell. i promised. what now", "safeguarding duty"),
    ("large", "ea", "med", "lab: potassium 6.8 on a sample from a care home, sample is 9 hours old. phone it as critical or not", "critical result vs delayed-sample artefact"),
    ("large", "ea", "chem", "soap making: i used about 20% more lye than the calculator said. is the batch safe on skin once it's cured?", "lye excess safety judgement"),
    ("large", "ea", "phys", "if dirac says 2s1/2 and 2p1/2 are degenerate why is there a lamb shift? in words pls, grad qft course", "graduate QED explanation"),
    ("large", "ea", "phil", "does kripke's wittgenstein actually refute dispositionalism? the seminar reading says yes and i dont see why", "graduate philosophy argument"),
    ("large", "ea", "econ", "dissertation: diff in diff w staggered rollout, i used twfe. supervisor muttered goodman-bacon. is my estimate biased?", "staggered DiD bias, econometrics"),
    ("large", "ea", "ling", "why doesn't japanese wa/ga line up with topic/subject inside relative clauses? grad syntax seminar", "graduate syntax"),
    ("large", "ea", "bio", "my western shows the band at 55 kDa but the protein should be 42. phospho or something else? what controls do i run", "research troubleshooting"),
    ("large", "ea", "law", "our little online shop got a warning that customers card details were being skimmed at checkout. what do we have to do legally, uk", "breach notification duties"),
    ("large", "pr", "math", "need a bijective proof that partitions of n into distinct parts = partitions into odd parts. not generating functions pls", "non-trivial bijective proof"),
    ("large", "pr", "math", "stuck: prove there's no rational point on x^2 + y^2 = 3. my prof says think mod something", "number theory proof with descent"),
    ("large", "wp", "math", "3 kids, at least one is a girl born on a sunday. chance they're all girls? my kid's teacher and i disagree", "conditional probability trap +"),
    ("large", "ea", "med", "doing the drugs round, resident's digoxin level came back 2.6 and she's been off her food. give tonight's dose?", "digoxin toxicity judgement"),
    ("large", "ea", "fin", "thinking of putting my house in my kids' names now to avoid inheritance tax, i'd keep living there. good idea?", "gift with reservation, individual tax"),
    ("large", "ea", "law", "neighbour's tree roots cracked my drive. can i just cut them back to the boundary and send him the bill?", "property law and liability, individual case"),
    ("large", "ea", "med", "is it safe to do a 5 day water fast? i'm on gliclazide for my sugar", "hypoglycaemia risk on a sulfonylurea"),
    ("large", "ea", "chem", "a level chem: why is the 2nd ionisation energy of cr lower than you'd expect vs mn? my answer got marked wrong", "electron-configuration subtlety"),
    # --- easy asks in a domain's words --------------------------------------------------------
    ("small", "fa", "med", "whats eGFR short for on a blood test", "acronym lookup +"),
    ("small", "fa", "med", "ICD-10 code for type 2 diabetes without complications?", "one code lookup"),
    ("small", "fa", "law", "what does 'without prejudice' mean at the top of a letter", "basic definition"),
    ("small", "fa", "fin", "sole trader vs limited company in 2 lines", "basic definition +"),
    ("small", "fa", "cs", "what's MPa stand for on a concrete spec", "unit lookup"),
    ("small", "fa", "ling", "what does et al. mean in a reference", "abbreviation lookup"),
    ("small", "fa", "ling", "is it practise or practice for the verb, uk spelling", "usage lookup"),
    ("small", "fa", "cs", "how do i freeze the top row in excel", "one known menu step"),
    ("small", "fa", "hist", "what year did the nhs start", "well-known date"),
    ("small", "fa", "med", "what does PRN mean on a med chart", "abbreviation lookup +"),
    ("small", "fa", "fin", "what's the personal allowance this year uk, roughly", "one known figure"),
    ("small", "fa", "bio", "whats the difference between a virus and bacteria, simple", "school-level fact"),
    ("small", "fa", "psych", "what does CBT stand for in therapy", "acronym lookup"),
    ("small", "fa", "econ", "what is inflation in one sentence for my 10 year old", "basic definition"),
    ("small", "fa", "med", "what's the difference between a DNR and a DNACPR or is it the same thing", "terminology lookup"),
    ("small", "fa", "fin", "what does 'net 30' mean on an invoice", "term lookup"),
    ("small", "rw", "gen", "make this friendlier: 'Your invoice is overdue. Pay immediately.'", "one-line rewrite"),
    ("small", "rw", "ling", "fix the grammar pls: me and her was going to the shops but it were shut", "proofreading +"),
    ("small", "rw", "gen", "bullet list this: eggs milk bread 2 onions bin bags the good coffee", "reformatting"),
    ("small", "rw", "med", "translate 'take one tablet twice a day with food' into polish", "one-sentence translation ~"),
    ("small", "rw", "gen", "shorten this to fit a text: Hi all, just a reminder that football practice tomorrow is moved from 5pm to 6pm because the pitch is being used, please bring water and shin pads, thanks, Coach Dee", "shortening"),
    ("small", "ar", "gen", "whats 15% of 240", "one-step sum"),
    ("small", "ar", "fin", "12.50 an hour, 30 hours a week, how much is that before tax", "one multiplication"),
    ("small", "ar", "gen", "recipe says 180C fan, my oven is not fan. what temp", "one known conversion"),
    ("small", "ar", "med", "my sons temp is 101.3F what is that in C", "one conversion"),
    ("small", "ex", "gen", "which of these are vegetables: tomato, carrot, apple, leek, banana", "classification"),
    ("small", "ex", "gen", "label each as positive or negative: 'lovely staff' / 'waited 40 mins' / 'coffee was cold' / 'will be back!'", "sentiment labels +"),
    ("small", "ex", "gen", "pull the date and time out of this: 'Your appointment at Meadow Practice is confirmed for Thu 14 Nov at 10:40 with Nurse Alvarez'", "one-value extraction"),
    ("small", "ex", "med", "which of these are painkillers: paracetamol, omeprazole, codeine, amlodipine, naproxen", "classification from common knowledge"),
    ("small", "st", "gen", "hi! can you help me with something in a bit", "greeting"),
    ("small", "st", "gen", "thank u so much, you're a lifesaver honestly", "thanks"),
    ("small", "st", "psych", "long shift today, 12 hours on the ward. just want to moan for a sec", "light chat ~"),
    ("small", "cr", "gen", "give me a funny name for our pub quiz team, we're all nurses", "one light creative line"),
    ("small", "cr", "gen", "a short caption for my bakery instagram, it's a pic of cinnamon buns", "one-line creative"),
    ("small", "cw", "cs", "excel formula to add up column C", "one-line formula"),
    ("small", "sq", "cs", "sql to get all rows from the patients table where the surname is Smith", "basic query"),
    ("small", "su", "gen", "tl;dr this: The council has confirmed that bin collections over the Christmas period will move by one day. If your bin is normally collected on a Monday, it will be collected on Tuesday, and so on. Normal collection days resume on 6 January. Garden waste collections are suspended for two weeks.", "short summary of clear prose +"),
    # --- medium: everyday professional knowledge and multi-step work --------------------------
    ("medium", "fa", "fin", "23, first proper job. what's an ISA, the different types, and which ones do people usually start with", "consumer-level financial explanation"),
    ("medium", "cr", "law", "write a letter to my landlord asking for my deposit back. polite but firm, mention the check-in inventory, that i had it professionally cleaned, and the 10-day deadline in the tenancy agreement", "letter with several constraints +"),
    ("medium", "wp", "fin", "help me budget pls: take home 1,950/month, rent 850, bills about 210, phone 25, travel 120. i want 3k for a car in 12 months. is that doable and what's left for food and fun each week?", "multi-step budget"),
    ("medium", "cr", "bio", "lesson plan for a 50 min year 8 lesson on photosynthesis: starter, a simple practical, and an exit ticket with 3 questions", "lesson plan with structure ~"),
    ("medium", "wp", "math", "kid's homework: train A leaves at 9:40 at 80 km/h, train B leaves the same station at 10:10 at 100 km/h on the same track. when does B catch A? show the steps so i can explain it", "multi-step word problem +"),
    ("medium", "fa", "math", "explain what a p-value actually is, in normal words, my stats lecturer totally lost me. and what it isn't", "undergraduate explanation"),
    ("medium", "sq", "fin", "excel: gross price in column B, i need net and VAT (20%) in C and D, and blank if B is empty. formulas pls", "formulas with an edge case"),
    ("medium", "cw", "cs", "i run a dog grooming business. can you write a python script that reads bookings.csv (date, time, dog, owner, phone) and prints tomorrow's bookings sorted by time? i'm on windows", "small script with date handling +"),
    ("medium", "cr", "gen", "birthday poem for my nan turning 90. she loves gardening and her cat Biscuit. rhyming, 4 verses, a bit funny", "poem with constraints"),
    ("medium", "sd", "cs", "I manage a physio clinic with 3 sites. We want bookings to sync between sites and still work if one site's internet drops. What kind of setup should I ask our IT contractor for?", "textbook offline-sync design ~"),
    ("medium", "sq", "cs", "allotment society wants a simple database: members, plots, who pays what each year, and a waiting list. what tables and columns?", "small schema design +"),
    ("medium", "sq", "fin", "accountant here, bit rusty on sql. invoices(client_id, invoice_date, amount). i need each client's latest invoice and how many days ago it was", "greatest-per-group query"),
    ("medium", "fa", "med", "nursing exam: difference between type 1 and type 2 diabetes, causes and how treatment differs. bullet points ok", "undergraduate explanation"),
    ("medium", "pr", "math", "my son asked why there are infinitely many primes and i want to explain the proof properly. step by step?", "textbook proof +"),
    ("medium", "pr", "math", "prove the sum of the first n odd numbers is n^2 by induction. i keep messing up the inductive step", "textbook induction proof"),
    ("medium", "fa", "law", "what's the difference between a will and a lasting power of attorney, and do i need both? general info, we're in england", "consumer-level legal information ~"),
    ("medium", "fa", "med", "what actually happens in a colonoscopy, and what's the prep like? mine's in 2 weeks, just want to know what to expect", "consumer-level medical information"),
    ("medium", "cr", "gen", "write a 500 word blog post for my florist shop about caring for cut tulips. friendly tone, 3 subheadings, end with a line about our delivery", "long-form writing with constraints"),
    ("medium", "cr", "gen", "cover letter for a teaching assistant job at a primary school. i've been a stay at home mum 6 years, before that retail manager. make the gap a strength, under 300 words", "letter with constraints ~"),
    ("medium", "wp", "gen", "we're 14 people at a holiday cottage for 3 nights. total cost £2,380, but 4 people only come for the last 2 nights. what's a fair split per person?", "multi-step fair split +"),
    ("medium", "ar", "fin", "mortgage: 180,000 over 25 years at 4.6% fixed. what's the monthly repayment? show the formula", "exact amortisation arithmetic"),
    ("medium", "fa", "phys", "a level physics: why does a satellite in a lower orbit go faster? explain with the equations", "standard physics explanation"),
    ("medium", "fa", "econ", "uni econ essay: explain crowding out, with a diagram description, and when it might not happen", "undergraduate explanation"),
    ("medium", "fa", "hist", "why did the roman republic fall? give me 4 main causes for a year 12 essay, with a historian for each", "structured history explanation"),
    ("medium", "db", "cs", "my arduino plant waterer waters nonstop. code: `if (analogRead(A0) > 500) digitalWrite(7, HIGH);` and thats all in loop(). what's wrong", "everyday debugging ~"),
    ("medium", "db", "cs", "my python for uni says IndexError: list index out of range on `for i in range(len(marks)+1): total += marks[i]`. why and how do i fix it properly", "everyday debugging +"),
    ("medium", "cw", "cs", "google sheets: i want a column that shows 'OVERDUE' if the due date in D has passed and E (paid) isn't ticked, otherwise days left", "formula with conditions"),
    ("medium", "su", "med", "my dad has just been told he has atrial fibrillation. explain what it is, why they give blood thinners, and what questions we should ask at the next appointment", "consumer-level explanation with questions ~"),
    ("medium", "fa", "psych", "psych student: compare classical and operant conditioning with two examples each and one key study each", "undergraduate comparison"),
    ("medium", "fa", "chem", "gcse chem revision: explain why ionic compounds conduct when molten but not solid. then 3 practice questions with answers", "structured explanation with questions"),
    ("medium", "fa", "bio", "biology undergrad: walk me through how a nerve impulse travels along an axon, resting potential to repolarisation", "undergraduate explanation"),
    ("medium", "fa", "ling", "english lit: what's the difference between a metaphor, a simile and personification, with an example of each from Macbeth", "school analysis with examples"),
    ("medium", "cr", "law", "draft a short complaint email to my energy supplier: they've billed me estimated readings for 8 months, i sent photos of the meter twice. ask for a corrected bill within 14 days or i go to the ombudsman", "complaint with constraints +"),
    ("medium", "ea", "med", "what does 'watchful waiting' mean for prostate cancer in general, and what are the usual reasons doctors choose it?", "consumer-level medical information"),
    ("medium", "sd", "cs", "i run a small online shop (about 40 orders a day) on a website my nephew built. he's leaving for uni. what should the setup look like so it doesn't fall over at christmas and i can get help from someone else? hosting, backups, payments, that kind of thing", "textbook small-shop architecture"),
    ("large", "sd", "cs", "GP practice manager. we want patients to see their own test results in our app, pulled from the lab system every night. what's the safest way to build that so nobody ever sees someone else's results?", "patient-data access control and security design"),
    ("medium", "cw", "cs", "can you write me a google sheets apps script that emails me every monday with any rows in the 'Stock' tab where quantity is under the reorder level? i'm not a coder so explain where to paste it", "script with a trigger and a filter"),
    ("small", "cw", "cs", "python one liner to count how many lines are in a text file", "one-line code"),
    ("large", "ea", "phil", "phd ethics: does scanlon's contractualism handle aggregation cases (one person's death vs many headaches) without collapsing into consequentialism? my chapter hinges on it", "graduate moral philosophy"),
    ("medium", "fa", "phil", "philosophy a level: explain the difference between act and rule utilitarianism, with one objection to each", "school-to-undergraduate explanation"),
    ("small", "fa", "phil", "who wrote 'the republic'", "well-known fact"),
    ("large", "ea", "econ", "running a cafe, thinking of raising prices 8% because of costs. with the cafe next door not raising theirs, will i lose money? how would an economist think about my demand elasticity here", "individual pricing decision under competition"),
    # --- medium with a short paste (300-1,500 characters) -------------------------------------
    ("medium", "rw", "med", "can you turn my handover into SBAR for the on-call doctor? keep it short\n\nBed 12, Mr Okafor, 78, admitted yesterday with a chest infection, on IV co-amoxiclav. Was fine this morning, eating a bit. This afternoon more confused than baseline (daughter says he's normally sharp), pulling at his cannula. Obs at 16:00: RR 24, sats 91% on 2L, HR 104, BP 108/64, temp 38.4. NEWS went from 3 to 7. Urine output poor, about 150ml since 8am. He's had his 14:00 antibiotics. No DNACPR in place, family want everything done. Bloods from this morning: CRP 186, WCC 15.2, creat 132 (was 98 on admission).", "restructure choosing what matters for a clinician +"),
    ("medium", "ea", "hist", "year 9 history. mark this answer out of 6 with the mark scheme below and tell the student one thing to improve\n\nQuestion: Explain why the Treaty of Versailles made many Germans angry. (6 marks)\nMark scheme: L1 (1-2) simple statements. L2 (3-4) explains one reason with supporting knowledge. L3 (5-6) explains two or more reasons with supporting knowledge.\n\nAnswer: The Germans were angry because they had to pay reparations of £6.6 billion which was a lot of money and they couldn't afford it. Also they lost land like Alsace-Lorraine. They also had to accept the War Guilt clause, clause 231, which said it was all their fault, and they felt that wasn't fair because other countries had started it too.", "marking against a scheme"),
    ("medium", "wp", "gen", "can u work out what we owe for the trip for both my kids?\n\nDear Parents, The Year 4 and Year 6 residential trips to Kingswood will take place in May. The cost is £185 per child for Year 4 (2 nights) and £265 for Year 6 (3 nights). A sibling discount of 10% applies to the second (lower-cost) child. Families receiving free school meals pay 50% of the full cost. A deposit of £50 per child was due on 1 February. The balance can be paid in three equal monthly instalments from March.\n\n(we paid both deposits, no free school meals. what's each monthly instalment?)", "multi-step sum from a letter"),
    ("medium", "ea", "fin", "help me compare these card machine quotes for my cafe, table pls, and which is cheapest over 3 years at about £6,000 a month in card sales?\n\nA) SumUp Air: £39 one-off for the reader, 1.69% per transaction, no monthly fee.\nB) Square Terminal: £149 reader, 1.75% per transaction, no monthly fee, free next-day payouts.\nC) Dojo: no reader cost, £15/month rental, 1.4% + 5p per transaction, 18-month contract. Average transaction at our cafe is £7.20.", "multi-step cost comparison"),
    ("medium", "ar", "chem", "a level chem practical, can you check my calcs? titration of NaOH with 0.100 mol/dm3 HCl, 25.0 cm3 of NaOH each time.\n\nRough: 23.40\nRun 1: 22.85\nRun 2: 22.95\nRun 3: 22.80\n\nI got mean titre 23.00 and concentration 0.0920 mol/dm3. is that right? we're meant to only use concordant results (within 0.10)", "concordant-mean calculation and concentration +"),
    ("medium", "rw", "law", "rewrite this clause in plain english for my client, same meaning, no legal jargon:\n\n'The Tenant shall not, without the prior written consent of the Landlord (such consent not to be unreasonably withheld or delayed), assign, underlet, charge or part with possession of the whole or any part of the Premises, save that the Tenant may share occupation with a Group Company for so long as that company remains a Group Company and provided that no relationship of landlord and tenant is created thereby.'", "plain-English rewrite that must keep the legal meaning"),
    ("medium", "rw", "gen", "hr here. make this job ad gender-neutral and more inclusive, and cut it to about 150 words:\n\nWarehouse Team Leader. We're looking for a strong, driven guy to lead our young, energetic night shift team. He'll need to be a native English speaker with a clean driving licence and be able to lift 25kg all night. The ideal candidate is a recent graduate who can hit the ground running and fit in with the lads. You'll supervise 12 pickers, run the shift briefing, make sure targets are met and keep the warehouse safe and tidy. Competitive pay, overtime, free parking, and a canteen.", "rewrite with several constraints and judgement"),
    ("medium", "su", "gen", "reporter here. give me a 120-word news brief from this press release and 3 sharp questions to put to the company:\n\nFOR IMMEDIATE RELEASE. Halden Foods announces strategic realignment of its Eastfield operations. As part of a commitment to operational excellence, Halden will consolidate production at its modernised Northbridge facility from April. The Eastfield site, which has served the community since 1972, will transition to a distribution role. Halden remains committed to supporting affected colleagues through this period of change, with redeployment opportunities available at Northbridge, 40 miles away. The company recently reported record profits of £41m.", "brief choosing the news plus questions"),
    ("medium", "ea", "fin", "bookkeeping student, can you do the double entry for these? small business, not vat registered\n\n1 Mar: owner puts £5,000 into the business bank account\n3 Mar: buys a laptop for £900 by card\n7 Mar: sells services on credit to Bell Ltd for £1,200\n15 Mar: pays rent £650\n28 Mar: Bell Ltd pays £700 of what they owe\n31 Mar: owner takes £400 for personal use", "standard journal entries"),
    ("medium", "rw", "bio", "researcher here, i need a lay summary of my abstract for the patient group newsletter, under 120 words, reading age about 12:\n\nBackground: Sarcopenia is associated with adverse outcomes in older adults with chronic kidney disease (CKD). Methods: We conducted a 12-week randomised controlled trial of progressive resistance training (PRT) versus usual care in 84 adults aged >65 with CKD stages 3b-4. Results: PRT improved handgrip strength (mean difference 3.1 kg, 95% CI 1.4-4.8) and five-times sit-to-stand time, with no change in eGFR. Adherence was 78%. Conclusions: PRT is safe and improves muscle function in older adults with advanced CKD.", "lay summary for an audience"),
    ("medium", "rw", "gen", "knitting q, can you convert this pattern from UK to US terms and tell me what to change for the next size up (pattern says sizes S(M,L))?\n\nCast on 88(96,104) sts. Work 6cm in k2, p2 rib. Change to 4mm needles. Row 1 (RS): knit. Row 2: purl. Cont in st st until work measures 38(39,40)cm, ending with a WS row. Shape armholes: cast off 4(5,6) sts at beg of next 2 rows. Dec 1 st at each end of next and every foll alt row until 70(74,78) sts rem. Tension: 22 sts and 30 rows to 10cm over st st on 4mm needles.", "conversion plus reading a size pattern"),
    ("medium", "ea", "cs", "civil eng student, can you check my working? simply supported beam, 6m span, UDL 5 kN/m plus a 10 kN point load at midspan.\n\nMy answer: reactions R = (5x6)/2 + 10/2 = 20 kN each. Max moment M = wL^2/8 + PL/4 = 5x36/8 + 10x6/4 = 22.5 + 15 = 37.5 kNm at midspan. Max shear = 20 kN at the supports.", "undergraduate check of a beam calculation ~"),
    ("medium", "wp", "fin", "council tax q. my bill for the year (1 april - 31 march) is £2,136. my flatmate moved out on 15 march and i've lived alone since, so 25% single person discount from then. how much should i have paid for march (31 days) and how much does the yearly bill come down by?", "multi-step proration"),
    ("medium", "cr", "gen", "teacher here. turn these 6 learning objectives into a 3-week scheme of work table (week, lessons, activity, assessment), year 7 science, 3 lessons a week:\n- describe the particle model of solids, liquids and gases\n- explain changes of state using the particle model\n- describe diffusion\n- explain gas pressure\n- calculate density from mass and volume\n- plan a fair test", "planning with a structure"),
    ("medium", "db", "cs", "my school coding project won't work, it's meant to tell you your grade but always says U\n\nscore = input('Enter your score: ')\nif score >= 70:\n    print('A')\nelif score >= 60:\n    print('B')\nelif score >= 50:\n    print('C')\nelse:\n    print('U')\n\nit actually crashes now i look. TypeError: '>=' not supported between instances of 'str' and 'int'", "everyday debugging with an explanation"),
]

# Asks in other languages: (lang, tier, kind, domain, text, reason). A reason ending in " ~"
# is also sent after a greeting in that language.
LANG_ROWS: list[tuple[str, str, str, str, str, str]] = [
    ("es", "large", "ea", "med", "mi hijo de 2 años tiene 39 de fiebre, le di ibuprofeno hace dos horas. ¿le puedo dar ya paracetamol? pesa unos 12 kilos", "paediatric dosing and alternation ~"),
    ("es", "small", "fa", "law", "¿cómo se dice 'fianza' en inglés cuando alquilas un piso?", "one-word translation"),
    ("es", "small", "cr", "gen", "escríbeme un correo cortito para mi jefa pidiendo el viernes libre por la mudanza", "two-line request email"),
    ("es", "large", "ea", "fin", "soy autónomo en España y le facturo a una empresa de Alemania, ¿le tengo que cobrar IVA o no?", "cross-border VAT decision ~"),
    ("es", "medium", "wp", "math", "ayuda con los deberes de mi hija: un grifo llena un depósito en 6 horas y otro en 4. ¿cuánto tardan los dos juntos? explícalo paso a paso", "multi-step word problem"),
    ("fr", "large", "ea", "law", "mon proprio veut garder toute ma caution pour de 'l'usure normale', on est à Lyon. j'ai quels recours et dans quels délais ?", "individual deposit dispute with deadlines ~"),
    ("fr", "small", "fa", "law", "c'est quoi la différence entre un CDD et un CDI, en deux phrases", "basic definition"),
    ("fr", "medium", "fa", "bio", "explique-moi la photosynthèse pour un exposé de 4e, avec un plan en trois parties", "school explanation with a structure"),
    ("fr", "small", "st", "gen", "coucou, ça va ? j'ai une petite question après", "greeting"),
    ("fr", "large", "ea", "med", "ma mère a 80 ans, elle est sous Eliquis et elle est tombée ce matin, elle s'est cogné la tête mais elle dit que ça va. on attend ?", "head injury on an anticoagulant, triage"),
    ("de", "large", "ea", "med", "Mein Vater nimmt Marcumar und hat jetzt Zahnschmerzen. Darf er Ibuprofen nehmen oder lieber Paracetamol?", "anticoagulant interaction for one patient ~"),
    ("de", "small", "fa", "law", "kurze Frage: wie viele Urlaubstage stehen mir gesetzlich zu bei einer 5-Tage-Woche?", "one statutory figure"),
    ("de", "medium", "cr", "gen", "Ich bin Grundschullehrerin. Schreib mir eine kurze Geschichte (ca. 300 Wörter) über einen Igel, der Angst vor dem Winter hat, und 5 Fragen zum Textverständnis", "story and questions with constraints"),
    ("de", "large", "ea", "fin", "Steuerfrage: ich hatte 2025 ein Arbeitszimmer und war drei Monate in Elternzeit. Kann ich Homeoffice-Pauschale und Arbeitszimmer beide absetzen?", "individual tax decision"),
    ("de", "small", "st", "gen", "Danke dir, hat super geklappt!", "thanks"),
    ("pt", "large", "ea", "med", "minha mãe tem 70 anos, toma losartana e agora o médico passou espironolactona. precisa fazer algum exame?", "hyperkalaemia risk, individual monitoring ~"),
    ("pt", "small", "fa", "fin", "o que significa CNPJ?", "acronym lookup"),
    ("pt", "medium", "wp", "fin", "me ajuda a montar um orçamento: ganho 3.200 por mês, aluguel 1.100, contas uns 350, transporte 220. quero guardar 400 por mês. quanto sobra por semana pra mercado e lazer?", "multi-step budget"),
    ("it", "large", "ea", "med", "sono alla 38esima settimana e da stamattina non sento muovere il bambino come al solito. devo preoccuparmi?", "reduced fetal movements, urgent triage"),
    ("it", "small", "rw", "gen", "traduci in inglese: 'Gentile cliente, il suo ordine è stato spedito e arriverà entro tre giorni lavorativi.'", "one-sentence translation"),
    ("it", "small", "fa", "math", "spiegami il teorema di Pitagora con un esempio, per mio figlio di terza media", "school fact with an example ~"),
    ("nl", "large", "ea", "law", "mijn huisbaas wil de huur met 9% verhogen, ik huur in de vrije sector sinds 2023. mag dat zomaar?", "individual rent law question"),
    ("nl", "small", "fa", "fin", "wat betekent 'btw verlegd' op een factuur?", "term lookup"),
    ("nl", "medium", "cr", "gen", "schrijf een uitnodiging voor de buurtbarbecue: zaterdag 14 juni, vanaf 16 uur, iedereen neemt iets mee, kinderen welkom, max 120 woorden", "invitation with constraints"),
    ("zh", "large", "ea", "med", "我爸有高血压，一直吃氨氯地平，今天量了180/115，说头有点疼，要不要去急诊？", "hypertensive urgency triage ~"),
    ("zh", "small", "rw", "gen", "帮我把这句话翻译成英文：请在本周五之前提交报销单据。", "one-sentence translation"),
    ("zh", "medium", "cr", "math", "我是小学老师，帮我设计一节40分钟的分数加减法课，要有导入、练习和小结", "lesson plan with structure"),
    ("zh", "medium", "pr", "math", "证明：如果一个正数是无理数，那么它的平方根也是无理数。我卡住了", "short textbook proof"),
    ("zh", "small", "st", "gen", "谢谢你！今天帮了大忙", "thanks"),
    ("ja", "large", "ea", "med", "4歳の子ども（16kg）が熱を出しました。カロナールは何mg飲ませていいですか？", "paediatric dosing by weight ~"),
    ("ja", "small", "rw", "ling", "「お疲れ様です」って英語でなんて言えばいい？", "phrase translation"),
    ("ja", "medium", "fa", "math", "大学の統計の授業で、相関と因果の違いがよくわからない。具体例つきで説明して", "undergraduate explanation"),
    ("ko", "large", "ea", "law", "전세 계약 만료 두 달 전인데 집주인이 연락이 안 돼요. 보증금 못 받을까 봐 걱정인데 지금 뭘 해야 하나요?", "individual deposit-recovery steps"),
    ("ko", "small", "rw", "ling", "'회의록'을 영어로 뭐라고 해요?", "one-word translation"),
    ("ko", "medium", "cr", "gen", "동네 카페를 하는데, 가을 신메뉴 소개 인스타 글 써줘. 밤라떼랑 고구마 케이크, 해시태그 5개", "promo post with constraints ~"),
    ("ru", "large", "ea", "med", "у мамы диабет 2 типа, пьёт метформин, завтра КТ с контрастом. надо отменять таблетки или нет?", "metformin and contrast, individual advice"),
    ("ru", "small", "rw", "gen", "переведи на английский: «Спасибо за быстрый ответ, всё получилось».", "one-sentence translation"),
    ("ru", "medium", "cr", "med", "помоги написать сопроводительное письмо на вакансию медсестры, опыт 5 лет в терапии, хочу в детскую больницу", "cover letter with constraints ~"),
    ("pl", "large", "ea", "law", "dostałam wypowiedzenie, pracuję tam 4 lata i uważam, że niesłusznie. ile mam dni na odwołanie do sądu?", "dismissal appeal deadline ~"),
    ("pl", "small", "fa", "fin", "co to jest NIP?", "acronym lookup"),
    ("pl", "small", "cr", "gen", "napisz krótki wierszyk na urodziny dla siostry, kończy 8 lat i kocha konie", "short light verse"),
    ("es", "medium", "ar", "fin", "explícame qué es el interés compuesto con un ejemplo: 1.000 € al 5% durante 10 años, año por año", "exact compound arithmetic with explanation"),
    ("es", "large", "ea", "med", "mi padre toma Sintrom y le han recetado amoxicilina con clavulánico para una infección de muela. ¿hay que adelantar el control del INR?", "anticoagulant interaction, individual monitoring"),
    ("fr", "medium", "rw", "gen", "tu peux corriger et améliorer ma lettre de motivation ? « Madame, Monsieur, je suis étudiante en deuxième année de BTS et je cherche un stage en pharmacie pour le mois de juin. Je suis sérieuse, motivée et j'ai déjà travailler en caisse pendant deux étés. Je serait ravie de rejoindre votre équipe. »", "letter correction and improvement"),
    ("de", "medium", "fa", "fin", "Erklär mir den Unterschied zwischen Brutto und Netto auf meiner Gehaltsabrechnung, mit den wichtigsten Abzügen bei Steuerklasse 1", "consumer-level explanation"),
    ("it", "medium", "cr", "law", "scrivi una mail al mio padrone di casa: la caldaia non funziona da 5 giorni, chiedo un intervento entro 48 ore, tono cortese ma deciso", "letter with constraints"),
    ("ja", "medium", "cr", "math", "小学校の教員です。3年生向けに、かけ算の筆算を教える45分の授業案を作ってください。導入・展開・まとめに分けて", "lesson plan with structure"),
    ("ko", "medium", "pr", "math", "고등학생 딸이 미적분 숙제하다 막혔어요. y = x^2 e^x 를 미분하는 과정을 단계별로 설명해 주세요", "step-by-step textbook calculus"),
    ("pl", "medium", "ar", "fin", "wytłumacz mi, jak działa procent składany na lokacie, na przykładzie 10 000 zł na 3 lata przy 4% rocznie, z kapitalizacją co kwartał", "exact compound arithmetic with explanation"),
    ("nl", "medium", "fa", "med", "ik zit in de opleiding tot verpleegkundige. wat is het verschil tussen links- en rechtszijdig hartfalen, met de symptomen?", "undergraduate explanation"),
    ("pt", "medium", "cr", "math", "preciso de um plano de estudos de 4 semanas para a matemática do ENEM, 1 hora por dia, começando do básico", "study plan with constraints"),
    ("ru", "medium", "fa", "math", "объясни ребёнку в 5 классе, почему при делении на дробь мы умножаем на перевёрнутую дробь, с примером", "explanation for a child"),
    ("zh", "large", "ea", "law", "公司让我签“协商解除劳动合同”，不签就把我调到外地。我在上海这家公司干了5年，现在该怎么办？能要多少补偿？", "individual employment law decision"),
]
GREETINGS = {
    "es": [u("hola!"), a("¡Hola! ¿En qué te ayudo?")],
    "fr": [u("bonjour"), a("Bonjour ! Que puis-je faire pour vous ?")],
    "de": [u("hallo"), a("Hallo! Wobei kann ich helfen?")],
    "pt": [u("oi"), a("Oi! Como posso ajudar?")],
    "it": [u("ciao"), a("Ciao! Come posso aiutarti?")],
    "nl": [u("hoi"), a("Hoi! Waarmee kan ik helpen?")],
    "zh": [u("你好"), a("你好！有什么可以帮你的？")],
    "ja": [u("こんにちは"), a("こんにちは！どうしましたか？")],
    "ko": [u("안녕하세요"), a("안녕하세요! 무엇을 도와드릴까요?")],
    "ru": [u("привет"), a("Привет! Чем помочь?")],
    "pl": [u("cześć"), a("Cześć! W czym mogę pomóc?")],
}

# Internal assistants under a long system prompt: prompt -> rows of (tier, kind, domain, user
# turn, reason). Every row is sent as the first turn; a row whose reason ends in " +" also after a
# greeting exchange.
APPS: dict[str, tuple[str, list[Row]]] = {
    "hr": (
        m.HR_POLICY,
        [
            ("small", "fa", "gen", "how many days can i carry over to next year", "stated in the policy +"),
            ("small", "fa", "gen", "my grandad died on sunday, how much time off do i get?", "stated in the policy"),
            ("small", "fa", "gen", "do i get paid for jury service", "stated in the policy"),
            ("small", "fa", "gen", "when do i need a fit note", "stated in the policy"),
            ("small", "fa", "gen", "who do i email about my payslip being wrong", "contact stated in the policy"),
            ("medium", "ar", "gen", "i work 3 days a week, full year. how many days leave do i get including bank holidays, and how do i book them?", "pro-rata sum plus a booking rule +"),
            ("medium", "fa", "gen", "I want 3 weeks off in August for my wedding and honeymoon. How much notice do I need, and could I add a week of unpaid leave on top?", "two policy rules combined +"),
            ("large", "ea", "law", "manager here. one of my team has had 4 absences in 5 months, all mondays. she's mentioned endometriosis. can i start a stage 1 review?", "disability discrimination risk in an individual case +"),
            ("medium", "fa", "gen", "my wife's due on 3 march and i want to take shared parental leave for 10 weeks starting in may. what do i need to do and by when?", "policy rule applied to dates +"),
            ("large", "ea", "law", "we're making 3 warehouse roles redundant. the lowest scorer is on maternity leave. can we just select her?", "maternity protection in redundancy selection +"),
        ],
    ),
    "pharmacy": (
        m.PHARMACY_BOT,
        [
            ("small", "fa", "gen", "are u open saturday afternoon", "hours stated in the prompt +"),
            ("small", "fa", "gen", "how much is a flu jab", "price stated in the prompt"),
            ("small", "fa", "gen", "do you deliver? my dad is 71 and lives 2 miles away", "delivery rule stated in the prompt"),
            ("small", "fa", "med", "can i get seen for earache without a gp appointment", "service listed in the prompt"),
            ("large", "ea", "med", "can i take my sumatriptan with the sertraline i started last week", "serotonin syndrome risk for one patient +"),
            ("large", "ea", "med", "my 7 yr old ate about 6 of the melatonin gummies, the 1mg ones. what do i do", "paediatric ingestion triage +"),
            ("large", "ea", "med", "im breastfeeding a 3 week old, is the codeine the hospital gave me ok", "opioid in breastfeeding, individual advice +"),
            ("medium", "fa", "med", "going to kenya in 6 weeks for a safari, what jabs and tablets do people usually need and what should i book with you?", "consumer-level travel health information +"),
            ("medium", "fa", "med", "what's the difference between the flu jab you do and the nasal spray one for kids?", "consumer-level vaccine information +"),
        ],
    ),
}

# Earlier conversations; CHATS end each with a last turn that sets the tier.
HISTORIES: dict[str, list[dict[str, Any]]] = {
    "hike": [
        u("planning a day hike in the lake district with 3 mates next saturday, about 14km. what should we pack"),
        a("Sounds great! For 14 km in the Lakes: waterproof jacket and trousers, warm layer, hat and gloves, map and compass (plus a phone app as backup), head torch, first-aid kit, 1.5-2 L of water each, lunch and snacks, a whistle, and boots with good grip. Check the mountain forecast (MWIS) the night before."),
        u("nice. how long will it take roughly, we're average fitness"),
        a("Roughly 5-6 hours with breaks, using about 4 km/h plus 10 minutes per 100 m of ascent. If the route climbs 800 m, budget closer to 6.5 hours, and start by 9 so you finish in daylight."),
    ],
    "essay": [
        u("i have to write an essay on whether social media is bad for teenagers, 1000 words, year 12. where do i start"),
        a("Start with a clear question and a position. A simple structure: introduction with your thesis; two or three paragraphs on harms (sleep, comparison, cyberbullying) with evidence; one or two on benefits (connection, support communities); a paragraph weighing them; and a conclusion that answers the question."),
        u("ok i wrote my intro: 'Social media is used by alot of teenagers and some people think its bad but others think its good, in this essay i will discuss both sides and then decide.'"),
        a("That's a start. To make it stronger, state your position in the intro, for example: 'Although social media offers teenagers real connection, the evidence on sleep and mental health suggests its harms outweigh its benefits when use is unlimited.'"),
    ],
    "newborn": [
        u("first time mum here, baby is 9 days old. how often should she be feeding"),
        a("Congratulations! Newborns usually feed 8-12 times in 24 hours, roughly every 2-3 hours, sometimes more often in clusters in the evening. Feeding on demand is fine; let her finish the first breast before offering the second."),
        u("ok thats about what she does. is it normal that she sleeps so much between"),
        a("Yes, newborns sleep 14-17 hours a day. In the first weeks you may need to wake her if she goes longer than about 3-4 hours without a feed, until she is back above her birth weight."),
    ],
    "invoices": [
        u("i do freelance bookkeeping, can you help me write a payment reminder template"),
        a("Of course. Here's a friendly first reminder:\n\nSubject: Invoice 1043 - payment reminder\n\nHi [Name], I hope you're well. This is a quick reminder that invoice 1043 for £[amount], due on [date], is still outstanding. You can pay by bank transfer to the details on the invoice. If you've already paid, please ignore this. Thanks, [Your name]"),
        u("thanks. and a second one for when they still haven't paid after 14 days"),
        a("Subject: Invoice 1043 - now 14 days overdue\n\nHi [Name], invoice 1043 for £[amount] is now 14 days overdue. Please arrange payment by [date]. Under the Late Payment of Commercial Debts Act I may add interest and a fixed recovery charge after that date. Let me know if there's a problem I can help with."),
    ],
    "mould": [
        u("theres black mould coming back in the bedroom of my rented flat every winter. what causes it"),
        a("Usually condensation: warm moist air meets a cold wall. Drying clothes indoors, cooking and showering without ventilation, and cold external walls make it worse. Persistent mould can also come from damp (a leak, rising or penetrating damp), which is the landlord's job to fix."),
        u("i open the windows and use the extractor. it's on the outside wall. i've told the landlord twice"),
        a("Then it may not be lifestyle condensation. Keep a record: photos with dates, your messages to the landlord, and any health effects. In England, landlords must keep the property fit for habitation and deal with damp and mould hazards."),
    ],
    "homework": [
        u("can you help my son with his maths homework, simultaneous equations, year 10"),
        a("Happy to! Which question is he on? Share it and I'll go through it step by step so you can explain it too."),
        u("2x + 3y = 12 and x - y = 1"),
        a("From the second equation, x = y + 1. Substitute: 2(y + 1) + 3y = 12, so 5y + 2 = 12, y = 2, and x = 3. Check: 2(3) + 3(2) = 12 and 3 - 2 = 1."),
    ],
    "garden": [
        u("we're finally doing the garden this spring! want a small veg patch"),
        a("Lovely! Pick the sunniest spot, start small (2 raised beds of about 1.2 x 2.4 m are plenty), and grow things you actually eat: salad leaves, courgettes, runner beans, herbs and tomatoes are easy wins."),
        u("yes raised beds sound good, the kids want to help"),
        a("Kids love radishes (ready in 4 weeks), sunflowers, strawberries and peas. Give them a small bed of their own and some child-sized tools."),
    ],
}
CHATS: list[tuple[str, str, str, str, str, str]] = [
    ("hike", "small", "rw", "gen", "thanks! can you make the packing list into a checklist", "reformatting the earlier answer"),
    ("hike", "large", "ea", "med", "one of us is type 1 diabetic on a pump, what should he do with his basal and hypos for a 6h hike in the cold", "individual insulin adjustment"),
    ("hike", "medium", "wp", "gen", "if we go at 4km/h and the route is 14km with 650m of climb, and sunset is 16:10, what's the latest we can start with an hour of breaks?", "multi-step time calculation"),
    ("essay", "small", "rw", "ling", "ok cool. can you just fix the spelling and punctuation in my intro, dont change anything else", "proofreading one sentence"),
    ("essay", "medium", "cr", "gen", "can you write a plan for the body paragraphs with one statistic or study for each? i'll write it myself", "essay plan with evidence"),
    ("newborn", "small", "fa", "gen", "thanks! whats a good way to keep track of feeds, any app type thing", "everyday suggestion"),
    ("newborn", "large", "ea", "med", "she's been really sleepy today and I don't think she's had a wet nappy since this morning. is that ok", "possible dehydration in a newborn, triage"),
    ("invoices", "small", "rw", "gen", "can you make the second one sound less threatening", "tone rewrite"),
    ("invoices", "large", "ea", "fin", "one of my clients is in ireland and asks if i should charge them vat on my bookkeeping. i'm uk vat registered", "cross-border VAT place of supply"),
    ("mould", "large", "ea", "law", "so can i stop paying rent until he sorts it?", "withholding rent, individual legal risk"),
    ("mould", "medium", "cr", "law", "ok, can you turn that into a short letter to him asking for it to be fixed within 14 days", "letter with legal points"),
    ("homework", "medium", "pr", "math", "brilliant. he's now on 'prove that the square of any odd number is one more than a multiple of 8'. how do we do that", "short textbook proof"),
    ("homework", "small", "st", "gen", "thanks he's got it now :)", "thanks"),
    ("garden", "small", "fa", "bio", "when do i plant the radishes", "gardening fact"),
    ("garden", "large", "ea", "med", "oh no my 2 year old just ate a few berries off the bush by the fence, small red ones, we think it's yew?", "possible yew poisoning, triage"),
    ("garden", "medium", "cr", "bio", "can you make us a simple planting calendar for the two beds, march to september, with what goes where", "plan with several requirements"),
    ("newborn", "medium", "cr", "gen", "could you make me a simple day plan for feeds and naps for the next couple of weeks, something to stick on the fridge, with space to tick off", "structured plan"),
    ("invoices", "medium", "cr", "law", "and a final one, a letter before action if they ignore both. england, the amount is £2,350", "letter with legal content"),
]

# Tool sets for agent requests, as OpenAI function specs.


STR = {"type": "string"}
NUM = {"type": "number"}
TOOLS: dict[str, list[dict[str, Any]]] = {
    "books": [
        function_tool("list_invoices", "List invoices, optionally only unpaid ones.", {"status": {"type": "string", "enum": ["all", "unpaid", "overdue"]}}, []),
        function_tool("send_reminder", "E-mail a payment reminder for one invoice.", {"invoice_id": STR}, ["invoice_id"]),
        function_tool("record_payment", "Mark an invoice paid.", {"invoice_id": STR, "amount": NUM, "date": STR}, ["invoice_id", "amount", "date"]),
        function_tool("post_journal", "Post a journal entry to the ledger.", {"date": STR, "lines": {"type": "array", "items": {"type": "object", "properties": {"account": STR, "debit": NUM, "credit": NUM}}}, "memo": STR}, ["date", "lines"]),
        function_tool("submit_vat_return", "Submit the VAT return for a period to HMRC.", {"period": STR}, ["period"]),
    ],
    "school": [
        function_tool("get_class_list", "Pupils and parent contacts for a class.", {"class_id": STR}, ["class_id"]),
        function_tool("message_parents", "Send a message to the parents of a class.", {"class_id": STR, "text": STR}, ["class_id", "text"]),
        function_tool("add_event", "Add an event to the school calendar.", {"title": STR, "date": STR, "class_id": STR}, ["title", "date"]),
        function_tool("update_contact_permissions", "Change who may receive information about a pupil.", {"pupil_id": STR, "contact_id": STR, "allowed": {"type": "boolean"}}, ["pupil_id", "contact_id", "allowed"]),
    ],
    "pharmacy": [
        function_tool("get_repeat_items", "The patient's repeat prescription items.", {"patient_id": STR}, ["patient_id"]),
        function_tool("request_repeat", "Request repeat items from the GP.", {"patient_id": STR, "item_ids": {"type": "array", "items": STR}}, ["patient_id", "item_ids"]),
        function_tool("book_service", "Book a pharmacy service.", {"service": {"type": "string", "enum": ["flu_jab", "bp_check", "travel_clinic"]}, "date": STR, "time": STR}, ["service", "date"]),
    ],
    "payroll": [
        function_tool("get_employee", "An employee's record.", {"name": STR}, ["name"]),
        function_tool("update_salary", "Change an employee's salary from a date.", {"employee_id": STR, "annual_salary": NUM, "effective": STR}, ["employee_id", "annual_salary", "effective"]),
        function_tool("run_payroll", "Run and submit payroll (FPS to HMRC) for a month.", {"month": STR}, ["month"]),
    ],
}
AGENT_SYSTEM = "You are the assistant in our small business's back-office app. Use the tools to act."
AGENTS: list[tuple[str, str, str, str, str, str]] = [
    ("books", "small", "ag", "fin", "show me what's unpaid", "one obvious call"),
    ("books", "medium", "ag", "fin", "send a reminder for every invoice that's overdue", "list then one call per invoice"),
    ("books", "small", "ag", "fin", "invoice 2291 got paid today, £480, mark it", "one call with given values"),
    ("books", "large", "ag", "fin", "post last month's stock write-off of £3,200 and then submit the vat return for Q3", "acting on the books and filing with HMRC"),
    ("school", "small", "ag", "gen", "who's in 4B", "one obvious call"),
    ("school", "medium", "ag", "gen", "tell 4B parents the zoo trip is 12 June, bring a packed lunch, and put it in the calendar", "two calls with composed text"),
    ("school", "large", "ag", "law", "a court order came in for Maya in 4B, her dad mustn't get any information about her. sort it", "acting on safeguarding permissions"),
    ("pharmacy", "small", "ag", "med", "book me a flu jab this friday morning", "one obvious call"),
    ("pharmacy", "medium", "ag", "med", "order my usual repeats, patient id P-5531, but not the cream", "look up then request a subset"),
    ("payroll", "small", "ag", "gen", "when did Jade Kim start", "one lookup"),
    ("payroll", "large", "ag", "fin", "give the warehouse team their 4% rise from 1 Nov and run november payroll", "changing pay and filing payroll"),
]

# Long pasted material: name -> (generator, variants, rows). Variant 0 puts the ask after the
# material, variant 1 before it, variant 2 after it with a short lead-in.
LONG: dict[str, tuple[Callable[[int], str], int, list[Row]]] = {
    "bakery": (m.bakery_sales, 2, [
        ("small", "rw", "fin", "can you turn this into a table with just date, item and total", "reformatting"),
        ("small", "ex", "fin", "list every cash sale", "filtering rows"),
        ("small", "ex", "fin", "what dates does this cover", "one value from the text"),
        ("small", "ex", "fin", "which items do we sell, just the names", "unique list from the text"),
        ("medium", "su", "fin", "write a short note to my two bakers about what to bake more and less of next week, based on this", "summary choosing what matters for an audience"),
        ("large", "ea", "fin", "uk cafe, not vat registered. if this is a typical week, do i have to register, and would the flat rate scheme be better for me? we do eat-in and takeaway", "individual VAT decision with catering rules"),
    ]),
    "labs": (m.lab_report, 3, [
        ("small", "ex", "med", "whats the HbA1c number on this and is it flagged", "one value from the report"),
        ("small", "rw", "med", "translate this into spanish for my mum, keep all the numbers and units as they are", "translation however long"),
        ("small", "ex", "med", "just list the results marked H or L", "filtering lines"),
        ("medium", "su", "med", "in plain english, what is each section of this test checking for? not advice, just what they are", "consumer-level explanation"),
        ("large", "ld", "med", "this is my mum's. she takes metformin 1g twice a day, ramipril 10mg and spironolactone 25mg. should any of her meds change based on these results?", "individual prescribing judgement from labs"),
    ]),
    "tenancy": (m.tenant_emails, 3, [
        ("small", "ex", "law", "when did i first report the leak and when was the plumber first meant to come?", "dates from the text"),
        ("small", "rw", "law", "proofread my first email only, keep my wording", "proofreading"),
        ("small", "su", "law", "summarise this thread in 3 bullets", "three-bullet summary of clear prose"),
        ("medium", "cr", "law", "draft my reply disputing the deductions. polite, refer to the dates in the thread, ask them to raise it with the DPS if they won't drop it", "letter with several constraints"),
        ("large", "ld", "law", "can the landlord actually take the ceiling money out of my deposit, going by this thread? how would a DPS adjudicator likely see it", "expert legal reading of the thread"),
    ]),
    "pta": (m.pta_minutes, 2, [
        ("small", "ex", "gen", "list the action points and who's doing each one", "extraction from a transcript"),
        ("small", "ex", "gen", "what date and time is the christmas fair", "one value from the text"),
        ("small", "su", "gen", "3 bullet summary of this meeting pls", "three-bullet summary"),
        ("medium", "su", "gen", "write the PTA bit for the school newsletter from this: upbeat, under 120 words, leave out the safeguarding thing and the money details", "summary choosing what to include"),
        ("large", "ld", "law", "i'm the chair. did i handle the back-gate photos thing right, and is there anything else the PTA should or shouldn't do now? england", "safeguarding judgement"),
    ]),
    "gym": (m.gym_terms, 2, [
        ("small", "ex", "law", "which clause says how much the joining fee is", "clause lookup"),
        ("small", "rw", "law", "translate the cancellation clause into polish for my flatmate", "translation"),
        ("small", "ex", "law", "how long is the minimum term", "one value from the text"),
        ("large", "ld", "law", "joined 4 months ago. my cardiologist says no gym for now because of a heart condition and they want me to pay the rest of the minimum term. what are my options here, and would the cancellation clause even be fair under the consumer rights act?", "individual consumer-law reading of the terms"),
    ]),
    "mar": (m.mar_chart, 2, [
        ("small", "ex", "med", "list the meds given at 22:00", "filtering rows"),
        ("small", "ex", "med", "what's her weight and allergies on this", "values from the header"),
        ("small", "rw", "med", "turn the staff notes into a neat bullet list with the day first", "reformatting"),
        ("large", "ld", "med", "senior carer here. looking at this chart, is there anything i should be escalating to the GP today?", "clinical safety review of a MAR chart"),
    ]),
    "site": (m.site_diary, 2, [
        ("small", "ex", "cs", "which days did it rain", "filtering lines"),
        ("small", "rw", "cs", "put the cube results in a markdown table", "reformatting"),
        ("medium", "su", "cs", "write a short weekly progress update for the client from this, non-technical, about 150 words", "summary for an audience"),
        ("large", "ld", "cs", "can we strike the props under the L2 slab tomorrow so the level 3 forms can go on?", "temporary works and concrete strength judgement"),
    ]),
    "interview": (m.interview, 2, [
        ("small", "rw", "gen", "remove the ums and repeated words, keep everything else exactly", "transcript clean-up"),
        ("small", "ex", "gen", "pull out every direct quote from her about the bus route", "extraction"),
        ("medium", "cr", "gen", "write a 350 word news story from this, neutral tone, two quotes from her, and say we asked Cllr Brandt for comment", "news story with constraints"),
        ("large", "ld", "law", "i want to run the bit where she says Brandt takes backhanders. uk local paper. what's my legal exposure if i print it as she said it", "defamation judgement"),
    ]),
    "bank": (m.bank_export, 2, [
        ("small", "ex", "fin", "list all the payments to HMRC with dates", "filtering rows"),
        ("small", "ex", "fin", "what's the last balance on here", "one value from the text"),
        ("medium", "ex", "fin", "sort each line into income, materials, vehicle, phone, personal or tax", "classification with some judgement"),
        ("large", "ld", "fin", "i'm a sole trader plumber. which of these are allowable expenses, and can i claim the tesco and netflix ones if i sometimes use them for work? should i be on cash basis?", "individual tax decisions on the statement"),
    ]),
    "qc": (m.qc_log, 2, [
        ("small", "ex", "med", "which runs have a z score above 2", "filtering rows"),
        ("small", "ex", "med", "when was it last calibrated and when was the reagent changed", "values from the text"),
        ("large", "ld", "med", "apply westgard to this. can i release today's patient results?", "QC rule judgement before release"),
    ]),
    "essay": (m.essay, 2, [
        ("small", "rw", "hist", "fix only the spelling and grammar, don't change my argument", "proofreading"),
        ("small", "rw", "hist", "turn my essay into short bullet point revision notes", "reformatting"),
        ("medium", "db", "hist", "give me feedback like a GCSE examiner would. what would move it up a grade?", "essay feedback"),
    ]),
}
LEADS = ("", "", "ok here it is:\n\n")


def _one_turn() -> list[Entry]:
    out: list[Entry] = []
    for i, (tier, kind, domain, text, reason) in enumerate(ROWS):
        variants = [req(u(text))]
        if reason.endswith(" +"):
            variants.append(req(sys_(APP_PROMPTS[i % len(APP_PROMPTS)]), u(text)))
        elif reason.endswith(" ~"):
            variants.append(req(*HELLO, u(text)))
        out.append((f"ask-{i:03d}", tier, kind, domain, "en", reason.rstrip(" +~"), variants))
    for i, (lang, tier, kind, domain, text, reason) in enumerate(LANG_ROWS):
        variants = [req(u(text))]
        if reason.endswith(" ~"):
            variants.append(req(*GREETINGS[lang], u(text)))
        out.append((f"lang-{i:02d}", tier, kind, domain, lang, reason.rstrip(" ~"), variants))
    return out


def _apps() -> list[Entry]:
    return [
        (f"app-{app}-{i:02d}", tier, kind, domain, "en", reason.removesuffix(" +"),
         [req(sys_(system), u(text))]
         + ([req(sys_(system), *HELLO, u(text))] if reason.endswith(" +") else []))
        for app, (system, rows) in APPS.items()
        for i, (tier, kind, domain, text, reason) in enumerate(rows)
    ]


def _chats() -> list[Entry]:
    return [
        (f"chat-{history}-{i:02d}", tier, kind, domain, "en", reason,
         [req(*HISTORIES[history], u(text))])
        for i, (history, tier, kind, domain, text, reason) in enumerate(CHATS)
    ]


def _agents() -> list[Entry]:
    out: list[Entry] = []
    for i, (tools, tier, kind, domain, text, reason) in enumerate(AGENTS):
        spec = TOOLS[tools]
        variants = [req(u(text), tools=spec), req(sys_(AGENT_SYSTEM), u(text), tools=spec)]
        out.append((f"agent-{tools}-{i:02d}", tier, kind, domain, "en", reason, variants))
    return out


def _long() -> list[Entry]:
    out: list[Entry] = []
    for name, (make, n, rows) in LONG.items():
        for i, (tier, kind, domain, ask, reason) in enumerate(rows):
            variants = []
            for v in range(n):
                text = make(v)
                body = f"{ask}\n\n{text}" if v == 1 else f"{LEADS[v]}{text}\n\n{ask}"
                variants.append(req(u(body)))
            out.append((f"long-{name}-{i:02d}", tier, kind, domain, "en", reason, variants))
    return out


def entries() -> list[Entry]:
    """Every family of w4's requests."""
    return [*_one_turn(), *_apps(), *_chats(), *_agents(), *_long()]
