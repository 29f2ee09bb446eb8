"""Writer w4's long material: what people who are not engineers paste into a chat app or an
internal assistant. Every generator takes a variant number and is deterministic (a fixed seed
per variant), so build.py writes the same corpus every time.

bakery_sales   a small bakery's till export for one week (CSV)
lab_report     a patient's blood test report with reference ranges and flags
tenant_emails  a tenant's e-mail thread with a letting agent about a leak and the deposit
pta_minutes    a transcript of a school parents' association meeting
gym_terms      a gym's membership terms and conditions
mar_chart      a care home resident's medication administration record
site_diary     a site engineer's diary for a concrete frame, with cube results
interview      a local reporter's interview transcript with a councillor
bank_export    a sole trader's business bank statement export
qc_log         a hospital lab analyser's quality-control log
essay          a year-11 student's history essay
HR_POLICY      an employer's leave and absence policy, the system prompt of an HR assistant
PHARMACY_BOT   a community pharmacy's chat assistant prompt
"""

from __future__ import annotations

import random

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def bakery_sales(v: int) -> str:
    rng = random.Random(4100 + v)
    items = [
        ("Sourdough loaf", 4.20), ("Croissant", 1.90), ("Pain au chocolat", 2.10),
        ("Cinnamon bun", 2.60), ("Seeded rye", 3.80), ("Flat white", 3.10),
        ("Sausage roll", 2.90), ("Lemon drizzle slice", 2.75),
    ]
    lines = ["date,day,item,qty,unit_price_gbp,total_gbp,payment"]
    for d in range(7):
        date = f"2026-03-{9 + d + 7 * v:02d}"
        for name, price in rng.sample(items, 6):
            qty = rng.randint(4, 48) if _DAYS[d] in ("Sat", "Sun") else rng.randint(2, 30)
            pay = rng.choice(("card", "card", "card", "cash"))
            lines.append(f"{date},{_DAYS[d]},{name},{qty},{price:.2f},{qty * price:.2f},{pay}")
    return "\n".join(lines)


_ANALYTES = [
    ("FULL BLOOD COUNT", [
        ("Haemoglobin", "g/L", 115, 165, 1), ("White cell count", "x10^9/L", 4.0, 11.0, 1),
        ("Platelets", "x10^9/L", 150, 400, 0), ("MCV", "fL", 80, 100, 0),
    ]),
    ("UREA & ELECTROLYTES", [
        ("Sodium", "mmol/L", 133, 146, 0), ("Potassium", "mmol/L", 3.5, 5.3, 1),
        ("Urea", "mmol/L", 2.5, 7.8, 1), ("Creatinine", "umol/L", 45, 84, 0),
        ("eGFR", "mL/min/1.73m2", 60, 120, 0),
    ]),
    ("LIVER FUNCTION", [
        ("Bilirubin", "umol/L", 0, 21, 0), ("ALT", "U/L", 0, 33, 0), ("ALP", "U/L", 30, 130, 0),
        ("Albumin", "g/L", 35, 50, 0),
    ]),
    ("LIPIDS", [
        ("Total cholesterol", "mmol/L", 0, 5.0, 1), ("HDL cholesterol", "mmol/L", 1.2, 3.0, 1),
        ("LDL cholesterol", "mmol/L", 0, 3.0, 1), ("Triglycerides", "mmol/L", 0, 1.7, 1),
    ]),
    ("DIABETES / THYROID", [
        ("HbA1c", "mmol/mol", 20, 41, 0), ("TSH", "mU/L", 0.27, 4.2, 2),
        ("Free T4", "pmol/L", 12, 22, 1),
    ]),
]


def lab_report(v: int) -> str:
    rng = random.Random(4200 + v)
    egfr = rng.choice((38, 44, 52, 58))
    out = [
        "WESTFIELD PATHOLOGY SERVICE - CUMULATIVE REPORT",
        f"Patient: MRS J. HALLORAN   DOB: 14/02/19{44 + v}   NHS No: 485 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        f"Requested by: Dr A Mensah, Riverside Surgery   Collected: 0{3 + v}/11/2026 08:{rng.randint(10, 59)}",
        "Clinical details: annual review, T2DM, hypertension, tired all the time",
        "",
    ]
    for section, tests in _ANALYTES:
        out.append(section)
        for name, unit, lo, hi, dp in tests:
            low = lo - 0.25 * (hi - lo) if lo > 0 else 0.3 * hi
            value = rng.uniform(low, hi + 0.3 * (hi - lo))
            if name == "eGFR":
                value = egfr
            if name == "Creatinine":
                value = 3400 / egfr + rng.uniform(-4, 4)
            if name == "HbA1c":
                value = rng.choice((49, 56, 61, 68))
            shown = f"{value:.{dp}f}"
            before = f"{value * rng.uniform(0.85, 1.1):.{dp}f}"
            flag = "H" if float(shown) > hi else ("L" if float(shown) < lo else "")
            out.append(f"  {name:<20} {shown:>7} {unit:<14} ({lo}-{hi}) {flag:<2} prev {before:>6} (11/2025)")
        out.append("")
    out += [
        "Comment (duty biochemist): eGFR calculated using CKD-EPI 2009 without ethnicity adjustment.",
        "Results outside reference range are flagged H/L. Reference ranges apply to adults.",
        "Haemolysed samples may give falsely raised potassium; repeat if clinically unexpected.",
        "Report authorised electronically. Please contact the lab on ext. 4471 with queries.",
    ]
    return "\n".join(out)


def tenant_emails(v: int) -> str:
    rng = random.Random(4300 + v)
    agent = rng.choice(("Keystone Lettings", "Harbour & Vale Property", "Northgate Homes"))
    name = rng.choice(("Priya", "Tom", "Agnieszka"))
    flat = rng.choice(("Flat 3, 22 Orchard Road", "Flat 7B, Millbank Court", "12a Station Street"))
    deposit = rng.choice((950, 1100, 1250))
    leak = f"{rng.randint(2, 9)} September"
    return f"""From: {name} <{name.lower()}.tenant@mailbox.example>
To: lettings@{agent.split()[0].lower()}.example
Subject: Leak in bathroom ceiling - {flat}

Hi,

I'm writing to report that water has been coming through the bathroom ceiling since {leak}. It
started as a small drip near the light fitting and is now a brown stain about the size of a
dinner plate. I've put a bucket under it and turned the bathroom light off at the switch just in
case. I think it's coming from the flat upstairs. Could someone come and look at it please?

Thanks,
{name}

---
From: Dan Whitlow, {agent}
To: {name}
Subject: RE: Leak in bathroom ceiling - {flat}

Hi {name},

Thanks for letting us know. I've passed this to the landlord and our plumber, Gary, will attend
on Thursday between 10am and 2pm. Please make sure someone is home to give access. If you can't
be in, let me know and we can use the office key with your permission.

Kind regards,
Dan

---
From: {name}
To: Dan Whitlow
Subject: RE: RE: Leak in bathroom ceiling

Hi Dan, nobody came on Thursday. I took the morning off work for it. The drip is worse now and
the paint is bubbling. Can you give me a new date? It's been nearly three weeks.

---
From: Dan Whitlow, {agent}
To: {name}

Apologies {name}, Gary was called to an emergency. The landlord has asked the upstairs tenant to
check their shower seal. Gary can come next Tuesday at 9am. The landlord has also asked me to
remind you that your tenancy renews on 1 December and the rent will go up from £1,150 to £1,290
per month; a formal notice will follow.

---
From: {name}
To: Dan Whitlow

Tuesday is fine. I'd also like to ask why the rent is going up by so much when the bathroom
still isn't fixed. I've been a good tenant for three years and always paid on time.

---
From: Dan Whitlow, {agent}
To: {name}
Subject: End of tenancy / deposit

Hi {name},

Following your notice that you will be leaving on 30 November, the landlord has inspected the
property. He intends to deduct £{deposit - rng.choice((350, 400, 600))} from your deposit of
£{deposit} for redecoration of the bathroom ceiling, which he says was damaged because the
leak was not reported promptly, and £85 for professional cleaning. Your deposit is protected
with the DPS. Please confirm whether you agree to these deductions within 14 days.

Regards,
Dan Whitlow
Senior Lettings Negotiator, {agent}"""


_PTA_LINES = [
    ("Chair (Rachel)", "Okay, let's start, it's 7:05. Thanks everyone for coming, I know it's a school night."),
    ("Treasurer (Mo)", "Quick update on money: we've got £2,340 in the account after the summer fair, and £410 of that is already promised to the Year 6 leavers' hoodies."),
    ("Rachel", "Great. First item is the Christmas fair. Date is Saturday the 6th, 11 till 2, in the hall."),
    ("Lena", "I can do the tombola again but I need people to collect prizes. Last year we had like forty bottles of bubble bath."),
    ("Mo", "Can we do a card-reader this year? Half the parents don't carry cash any more."),
    ("Rachel", "Yes, Mo, can you look into the SumUp one? Under fifty quid I think."),
    ("Mo", "Will do, I'll report back next meeting."),
    ("Gareth", "On the bake sale, I'm happy to organise it, but we really need to sort allergen labels. Last year a child with a nut allergy nearly had a brownie."),
    ("Rachel", "Good point. Gareth, can you make a simple label template? Every item has to list the 14 allergens or say 'may contain'."),
    ("Priya", "Can I raise something separate? A parent told me a man has been standing by the back gate at pick-up, taking photos. I didn't know who to tell."),
    ("Rachel", "That needs to go to the head and the safeguarding lead, not sit with us. I'll email Mrs Okafor tonight and we'll not discuss names here."),
    ("Lena", "Should we put something in the WhatsApp group?"),
    ("Rachel", "No, let's leave that with the school. Next: the playground bid. We applied to the council fund for £5,000 for new equipment."),
    ("Gareth", "We'll hear in January. If we get it the PTA has to put in 20%, so a thousand pounds."),
    ("Mo", "That's fine if the Christmas fair does okay. We made £1,870 last year."),
    ("Priya", "Can we also do a second-hand uniform rail at the fair? Loads of families are struggling."),
    ("Rachel", "Love that. Priya, are you happy to run it? Pay what you can, all proceeds to the PTA."),
    ("Priya", "Yes, I'll ask for donations in the newsletter."),
    ("Lena", "Last thing, the disco. Year 5 parents want a Halloween one on the 31st."),
    ("Rachel", "We'd need four DBS-checked adults. Lena, can you ask the class reps?"),
    ("Rachel", "Okay, I think that's everything. Next meeting is Tuesday 18th, same time. Thanks all, 8:10, we're done."),
]


def pta_minutes(v: int) -> str:
    rng = random.Random(4400 + v)
    school = rng.choice(("St Anne's Primary", "Hillcrest Primary School", "Brook Lane Primary"))
    lines = list(_PTA_LINES)
    if v % 2:
        lines.insert(7, ("Gareth", "Sorry, can I just say, the hall booking clashes with the Scouts until 11, so we'd set up late."))
        lines.insert(8, ("Rachel", "I'll check with the office and get back to you."))
    body = "\n".join(f"{who}: {text}" for who, text in lines)
    return f"{school} PTA meeting - transcript (auto-generated, not checked)\nPresent: Rachel (chair), Mo (treasurer), Lena, Gareth, Priya, 6 other parents\n\n{body}"


_GYM_CLAUSES = [
    "Membership. Your membership starts on the date shown on your welcome e-mail and allows you to use the facilities of your home club during staffed opening hours. Off-peak memberships may only be used between 10:00 and 16:00 on weekdays and all day at weekends.",
    "Joining fee. A one-off joining fee of £{fee} is payable on sign-up and is non-refundable except where you cancel within the 14-day cooling-off period described in clause 9.",
    "Minimum term. Your membership has a minimum term of {term} months. Monthly fees are payable by Direct Debit on or around the 1st of each month.",
    "Price changes. We may increase the monthly fee once in any 12-month period by giving you at least 30 days' written notice. If you do not accept the increase you may cancel without charge before it takes effect.",
    "Freezing. You may freeze your membership for between 1 and 3 months in any 12-month period for a fee of £{freeze} per month. Your minimum term is extended by the length of the freeze.",
    "Guests. Members on our Premium plan may bring one guest per month. Guests must be 18 or over and must complete a health questionnaire.",
    "Cancellation. After the minimum term you may cancel by giving one full calendar month's notice in writing or through the app. If you cancel during the minimum term, the monthly fees for the remainder of the minimum term become payable immediately.",
    "Medical conditions. If a medical condition, injury or pregnancy prevents you from exercising, you may cancel or freeze your membership on production of a letter from your GP. No fee is payable for a medical freeze.",
    "Cooling-off. You may cancel within 14 days of joining and receive a full refund of your joining fee and first payment, less a charge for any visits made.",
    "Conduct. We may suspend or terminate your membership if you behave in a way that is abusive, unsafe or in breach of club rules. No refund is payable where membership is terminated for misconduct.",
    "Lockers. Day lockers must be emptied by closing time. Items left overnight will be removed and held for 14 days, after which they may be disposed of.",
    "Liability. Nothing in these terms limits our liability for death or personal injury caused by our negligence. We are not responsible for loss of or damage to personal belongings except where caused by our negligence.",
    "Changes to these terms. We may change these terms from time to time. We will tell you about material changes at least 30 days in advance.",
]


def gym_terms(v: int) -> str:
    rng = random.Random(4500 + v)
    brand = rng.choice(("PulseFit", "IronWorks Gyms", "Motion24"))
    values = {"fee": rng.choice((20, 25, 35)), "term": rng.choice((12, 6)), "freeze": rng.choice((5, 8))}
    clauses = [c.format(**values) for c in _GYM_CLAUSES]
    if v % 2:
        clauses[5], clauses[10] = clauses[10], clauses[5]
    body = "\n\n".join(f"{i + 1}. {c}" for i, c in enumerate(clauses))
    return f"{brand} Membership Terms and Conditions (version {3 + v}.{rng.randint(0, 9)})\n\n{body}"


_MEDS = [
    ("Amlodipine", "5 mg", "oral", ["08:00"], "BP"),
    ("Metformin", "500 mg", "oral", ["08:00", "18:00"], "with food"),
    ("Furosemide", "40 mg", "oral", ["08:00"], "check weight daily"),
    ("Sertraline", "50 mg", "oral", ["08:00"], ""),
    ("Paracetamol", "1 g", "oral", ["08:00", "12:00", "16:00", "22:00"], "max 4 g/24h"),
    ("Alendronic acid", "70 mg", "oral", ["07:00 (Mondays)"], "30 min before food, upright"),
    ("Lansoprazole", "15 mg", "oral", ["08:00"], ""),
    ("Donepezil", "10 mg", "oral", ["22:00"], ""),
    ("Ibuprofen gel 5%", "thin layer", "topical", ["08:00", "20:00"], "left knee, PRN"),
    ("Laxido", "1 sachet", "oral", ["08:00"], "PRN, hold if loose stools"),
    ("Atorvastatin", "20 mg", "oral", ["22:00"], ""),
    ("Citalopram", "10 mg", "oral", ["22:00"], "started by locum"),
]


def mar_chart(v: int) -> str:
    rng = random.Random(4600 + v)
    meds = rng.sample(_MEDS, 10)
    if v % 2 == 0 and not any(m[0] == "Citalopram" for m in meds):
        meds[-1] = _MEDS[-1]
    out = [
        "ROSEWOOD CARE HOME - MEDICATION ADMINISTRATION RECORD",
        f"Resident: Edna P. (Room {rng.randint(10, 40)})   DOB 03/06/1936   Weight {rng.randint(48, 61)} kg",
        "Allergies: penicillin (rash)   GP: Dr Farouk, Meadow Practice   Pharmacy: Lindon Chemist",
        f"Week commencing 1{v}/11/2026",
        "",
        "Medicine | Dose | Route | Times | Notes | Mon Tue Wed Thu Fri Sat Sun",
    ]
    codes = ("A", "A", "A", "A", "R", "A", "S")
    for name, dose, route, times, note in meds:
        for t in times:
            marks = " ".join(rng.choice(codes) for _ in range(7))
            out.append(f"{name} | {dose} | {route} | {t} | {note or '-'} | {marks}")
    out += [
        "",
        "Codes: A = administered, R = refused, S = asleep, H = in hospital, N = not required (PRN)",
        "Staff notes:",
        f"  Tue: Edna refused morning meds, said she felt sick. Offered again 10:00, taken. ({rng.choice(('KM', 'JT'))})",
        "  Thu: Fell in lounge 14:20, no obvious injury, GP informed, obs stable. Incident form done.",
        "  Sat: Daughter asked about the two antidepressants, told her we'd ask the GP on Monday.",
        "  Sun: Ankles swollen, weight up 1.8 kg since Wednesday. Drinking well. Not reported yet.",
        "",
        "PRN protocol: paracetamol not within 4 hours of a previous dose; record the reason for",
        "every PRN dose on the back of the chart; two signatures for any handwritten entry.",
        "Stock check (Sun night): metformin 12 left, sertraline 9 left, furosemide 4 left - reorder.",
    ]
    return "\n".join(out)


def site_diary(v: int) -> str:
    rng = random.Random(4700 + v)
    out = [
        f"SITE DIARY - Block {'AB'[v % 2]}, 4-storey RC frame, Canal Street residential",
        "Site engineer: K. Adeyemi   Contractor: Morland Build Ltd   Concrete: C32/40, CEM II/A-LL",
        "",
    ]
    for d in range(14):
        weather = rng.choice(("dry, 9C", "dry, 6C", "rain pm, 7C", "heavy rain, 5C", "overcast, 11C", "frost am, 2C"))
        work = rng.choice((
            "Fixing rebar to level 2 slab, bays 1-4.",
            "Formwork to columns C1-C8, level 3.",
            "Pour 3: level 2 slab, 46 m3, pumped, finished 16:40.",
            "Curing blankets on level 2 slab. Props in place.",
            "Scaffold inspection, tag updated.",
            "Waiting on rebar delivery, 2 fixers stood down.",
            "Strike column formwork level 2. Honeycombing noted at C5 base, photographed.",
        ))
        out.append(f"Day {d + 1} ({_DAYS[d % 7]}) weather: {weather}. {work} Labour on site: {rng.randint(6, 14)}.")
    out += ["", f"CUBE RESULTS (lab ref MB-26-{100 + v:03d})", "Pour | Element | Age (days) | Cube 1 | Cube 2 | Mean (MPa)"]
    for pour, elem in ((1, "L1 slab"), (2, "L2 columns"), (3, "L2 slab")):
        for age in (7, 28) if pour < 3 else (7,):
            c1 = rng.uniform(17, 26) if age == 7 else rng.uniform(36, 45)
            c2 = c1 + rng.uniform(-2, 2)
            if pour == 3:
                c1, c2 = 18.4 + v, 17.6 + v
            out.append(f"{pour} | {elem} | {age} | {c1:.1f} | {c2:.1f} | {(c1 + c2) / 2:.1f}")
    out += [
        "",
        "Notes: Temporary works design TW-07 requires level 2 slab props to stay until the slab",
        "reaches 25 MPa (by cube or maturity). Level 3 formwork loading planned for Day 12.",
        "Architect's instruction AI-014: change balcony drainage outlet to 75 mm.",
    ]
    return "\n".join(out)


_INTERVIEW = [
    ("Reporter", "Thanks for making time, Councillor. Can we start with the number 14 bus route?"),
    ("Cllr Haines", "Of course. Um, so, the, the operator told us in August that the 14 isn't viable after 7pm. We didn't make that decision, I want to be really clear about that."),
    ("Reporter", "But the council's transport committee signed off the subsidy cut."),
    ("Cllr Haines", "The committee, yes, approved a reduced budget. That's not the same thing. We were facing a £3.2 million gap and, you know, every line was on the table."),
    ("Reporter", "Residents in Eastfield say they've been cut off. One woman told me she can't get home from her night shift."),
    ("Cllr Haines", "And I, honestly, I sympathise. My own mum lives on that route. We're talking to the operator about a demand-responsive service, like a minibus you book."),
    ("Reporter", "When would that start?"),
    ("Cllr Haines", "I can't give you a date. Spring, hopefully. Don't, don't quote me on spring."),
    ("Reporter", "Your opposition colleague, Councillor Brandt, says the cut was made to fund the new leisure centre."),
    ("Cllr Haines", "That's rubbish, frankly. Brandt knows that's capital money, it's a different pot. He's been taking backhanders from the developers on the Quay scheme for years, everybody knows it."),
    ("Reporter", "That's a serious allegation. Do you have evidence of that?"),
    ("Cllr Haines", "Look, I'm just saying what people say. Let's move on."),
    ("Reporter", "What about the consultation? People say it ran over the summer holidays so nobody noticed."),
    ("Cllr Haines", "It ran for the statutory period, eight weeks. We had 412 responses, which is, um, actually quite good for us."),
    ("Reporter", "And 380 of those opposed the cut."),
    ("Cllr Haines", "A lot of them did, yes. Consultation isn't a referendum."),
    ("Reporter", "Final question: would you support reinstating the evening service if the money was found?"),
    ("Cllr Haines", "Absolutely. If someone finds me the money tomorrow, the 14 runs till midnight. That's a promise."),
]


def interview(v: int) -> str:
    lines = _INTERVIEW if v == 0 else _INTERVIEW[:12] + [("Reporter", "Sorry, the recording cut out for a second there, can you repeat that about the consultation?")] + _INTERVIEW[12:]
    head = f"Interview transcript, Cllr Sue Haines (Lab, Eastfield ward), recorded {'Monday' if v == 0 else 'Tuesday'} 10:15, Otter auto-transcript\n\n"
    return head + "\n".join(f"{who}: {text}" for who, text in lines)


def bank_export(v: int) -> str:
    rng = random.Random(4900 + v)
    payees = [
        ("HMRC SELF ASSESSMENT", -1, (800, 2400)), ("SCREWFIX DIRECT", -1, (14, 220)),
        ("SHELL FORECOURT", -1, (35, 90)), ("TESCO STORES", -1, (8, 120)),
        ("VODAFONE LTD", -1, (28, 45)), ("CLIENT: A PATEL", 1, (180, 1200)),
        ("CLIENT: GREENWAY LETTINGS", 1, (400, 2600)), ("NETFLIX.COM", -1, (10.99, 10.99)),
        ("TRAVIS PERKINS", -1, (40, 650)), ("DIRECT LINE VAN INS", -1, (96, 96)),
        ("TFR TO PERSONAL A/C", -1, (300, 1500)), ("AMAZON MKTPLACE", -1, (6, 180)),
        ("DVLA VEHICLE TAX", -1, (27.5, 27.5)), ("CLIENT: MRS J DOYLE", 1, (90, 640)),
    ]
    balance = rng.uniform(2000, 6000)
    out = ["Business Current Account ****4471  - R. OKONJO PLUMBING & HEATING", "Date,Description,Money in,Money out,Balance"]
    for d in range(44):
        name, sign, (lo, hi) = rng.choice(payees)
        amount = round(rng.uniform(lo, hi), 2)
        balance += sign * amount
        day = f"{1 + d % 28:02d}/{(1 + v + d // 28):02d}/2026"
        cols = f"{amount:.2f}," if sign > 0 else f",{amount:.2f}"
        out.append(f"{day},{name},{cols},{balance:.2f}")
    return "\n".join(out)


def qc_log(v: int) -> str:
    rng = random.Random(5000 + v)
    mean, sd = (5.60, 0.12) if v % 2 == 0 else (8.10, 0.20)
    analyte = "Potassium (mmol/L), QC level 2" if v % 2 == 0 else "Glucose (mmol/L), QC level 2"
    out = [
        f"ANALYSER: Cobas c503 #2   ANALYTE: {analyte}   Lot QC2-{rng.randint(1000, 9999)}",
        f"Target mean {mean:.2f}  SD {sd:.2f}   Acceptable range (2SD) {mean - 2 * sd:.2f}-{mean + 2 * sd:.2f}",
        "Run | Date | Time | Result | z | Operator | Comment",
    ]
    zs = [rng.uniform(-1.5, 1.5) for _ in range(26)] + [2.3, 2.4, 1.1, 2.2]
    for i, z in enumerate(zs):
        result = mean + z * sd
        out.append(f"{i + 1:02d} | 2026-11-{1 + i // 2:02d} | {'08:05' if i % 2 == 0 else '16:40'} | {result:.2f} | {z:+.1f} | {rng.choice(('LT', 'MB', 'SO'))} | {'new reagent pack' if i == 25 else ''}")
    out += [
        "",
        "Calibration: last calibrated 2026-11-07 08:00 (pass). Reagent pack changed run 26.",
        "Patient samples run since 08:05 today: 143. Results on hold pending QC review: 0.",
        "Lab policy: apply Westgard multirules 1-3s, 2-2s, R-4s, 4-1s, 10x before release.",
    ]
    return "\n".join(out)


_ESSAY = """How far was the alliance system responsible for the outbreak of the First World War?

In 1914 Europe was divided into two armed camps, the Triple Alliance and the Triple Entente. Many historians argue that this alliance system was the main reason why a small conflict in the Balkans turned into a world war. In this essay I will look at the alliances, militarism, imperialism and the assasination of Franz Ferdinand, and decide how far the alliances were to blame.

Firstly, the alliance system meant that when Austria-Hungary declared war on Serbia, Russia got involved to protect Serbia, and then Germany declared war on Russia and France. This is known as a "chain reaction". Without the alliances, the war might of stayed between Austria and Serbia. However, Italy was in the Triple Alliance and it did not join Germany in 1914, infact it joined the other side in 1915, which shows that alliances did not always force countries to fight.

Secondly, militarism was very important. Germany and Britain were in a naval race to build the most Dreadnoughts, and by 1914 Germany had the Schlieffen Plan, which meant they had to attack France through Belgium very quickly. This brought Britain into the war because of the Treaty of London 1839. So militarism made the war bigger and quicker then it would have been.

Thirdly, imperialism caused tension because countries wanted empires. The Moroccan crises in 1905 and 1911 made Britain and France closer and made Germany feel surrounded. The Kaiser wanted "a place in the sun".

Finally, the assassination of Archduke Franz Ferdinand in Sarajevo on 28 June 1914 by Gavrilo Princip was the trigger. Austria blamed Serbia and sent an ultimatum which Serbia could not fully accept. Germany gave Austria a "blank cheque" of support.

In conclusion, the alliance system was an important cause because it turned a local war into a European one. However, it was not the only cause, militarism and imperialism also played a big part and the assassination was the spark. Overall I think the alliances were the most important cause because without them the other countries would not of joined in."""


def essay(v: int) -> str:
    if v == 0:
        return _ESSAY
    paragraphs = _ESSAY.split("\n\n")
    return "\n\n".join([paragraphs[0], *paragraphs[1:]]).replace("Kaiser", "Kaiser Wilhelm II")


HR_POLICY = """You are "Ask HR", the internal assistant of Brightwell Foods Ltd (UK, 640 employees). Answer employees' and managers' questions using the policy below. Quote the section number. If a question needs a decision about an individual case (a dismissal, a grievance, a redundancy selection, a discrimination concern, a reasonable adjustment), say that you cannot decide it and direct them to the HR business partner (hrbp@brightwell.example). Be friendly and brief.

LEAVE AND ABSENCE POLICY (v7, April 2026)
1. Annual leave. Full-time employees receive 25 days' annual leave plus 8 bank holidays. Part-time employees receive a pro-rata amount. The leave year runs 1 April to 31 March. Up to 5 days may be carried over to the next leave year with your manager's approval; carried-over days must be used by 30 June.
2. Booking leave. Request leave through PeopleHub at least twice as many days in advance as the length of the leave (e.g. 10 days' notice for 5 days off). Managers should respond within 5 working days. Production staff may not book leave in the two weeks before Christmas except with the site manager's approval.
3. Sickness absence. Call your line manager before your shift starts, and no later than one hour after. Self-certify for up to 7 calendar days via PeopleHub; from day 8 a fit note is needed. Company sick pay: after 6 months' service, 4 weeks at full pay and 4 weeks at half pay in any rolling 12 months, inclusive of SSP.
4. Return-to-work meetings take place after every absence. A Stage 1 review is triggered by 3 separate absences or 8 days in a rolling 6 months.
5. Family leave. Enhanced maternity and adoption pay: 16 weeks at full pay, then statutory pay, for employees with 1 year's service at the 15th week before the due date. Paternity leave: 2 weeks at full pay. Shared parental leave follows statutory rules; contact HR at least 8 weeks before it starts.
6. Compassionate leave. Up to 5 days' paid leave on the death of a close family member (partner, child, parent, sibling, grandparent), and 2 days for other relatives. Parental bereavement: 2 weeks at full pay.
7. Time off for dependants. Reasonable unpaid time off to deal with an emergency involving a dependant; the first day in any year is paid.
8. Jury service. Paid at full pay for up to 10 working days; claim the loss-of-earnings allowance from the court and pass it to payroll.
9. Medical appointments. Try to book outside working hours. Up to 3 hours' paid time per appointment for hospital appointments; GP and dental appointments are unpaid unless agreed with your manager. Antenatal appointments are paid.
10. Unpaid leave and sabbaticals. Up to 4 weeks' unpaid leave a year may be agreed by your manager; longer sabbaticals need HR approval and 2 years' service.
11. Volunteering. 2 paid days a year for volunteering with a registered charity, booked as leave.
12. Contacts. PeopleHub support: ext. 2200. Payroll: payroll@brightwell.example. HR business partner: hrbp@brightwell.example."""


PHARMACY_BOT = """You are the chat assistant of Lindon Chemist, an independent community pharmacy. You can answer questions about opening hours (Mon-Fri 8:30-18:30, Sat 9:00-13:00, closed Sunday), repeat prescriptions (order via the NHS App or our form; allow 3 working days), delivery (free for over-65s within 3 miles, Tuesdays and Fridays), the services we offer (flu jab £16, blood pressure check free, travel clinic by appointment, Pharmacy First for sore throat, earache, sinusitis, UTI in women 16-64, impetigo, shingles, infected insect bites), and prices of common over-the-counter items. For any question about a specific person's medicines, doses, side effects or symptoms, give careful, accurate information, and say when they need to speak to the pharmacist (call 01632 960 118), their GP, NHS 111 or 999."""
