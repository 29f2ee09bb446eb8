"""Hand-curated cue lists: the kinds of work, the domains and the depth of an ask.

Written broad (many fields, many phrasings), not to a handful of examples: each list is
what a reader skims a request for. English first, with a small multilingual set of the
key cues (es, fr, de, pt, it, ru, zh, ja, ko) so that a request in another language is
read like its English equivalent where the cue is a word; CJK cues match as substrings.
Every list is compiled once, in `taxonomy.py`.
"""

from __future__ import annotations

# Everyday units, for the arithmetic kind's conversions ("Convert 72 degrees Fahrenheit to
# Celsius", "5 km in miles", "how many ounces in a cup"). Of one-letter symbols only "g", and
# c / f / k after a degree sign (a bare "c" or "m" is too often a word or a variable).
_UNIT = (
    r"(?:km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?"
    r"|inch(?:es)?|in|feet|foot|ft|yards?|yds?|kg|kilograms?|grams?|g|lbs?|pounds?|oz|ounces?"
    r"|stones?|tons?|tonnes?|celsius|fahrenheit|kelvin|°\s*[cfk]|lit(?:er|re)s?|ml|millilit(?:er|re)s?"
    r"|gallons?|gal|quarts?|pints?|cups?|tablespoons?|tbsp|teaspoons?|tsp|usd|eur|gbp|jpy|cad"
    r"|aud|inr|cny|dollars?|euros?|yen|rupees?|hours?|hrs?|minutes?|mins?|seconds?|secs?|days?"
    r"|weeks?|months?|years?|mph|km/h|kph|acres?|hectares?|sq(?:uare)? (?:feet|ft|met(?:er|re)s"
    r"|miles|km)|bytes?|kb|mb|gb|tb|kwh|calories|kcal)"
)
_DEGREES = r"(?:°\s*|degrees?\s+)"

# ---------------------------------------------------------------- kinds of work
# kind -> (English cue phrases, multilingual cue phrases). Phrases are regex fragments,
# matched on lower-cased text at word boundaries (multilingual ones without boundaries).
KIND_CUES: dict[str, tuple[str, str]] = {
    "small_talk": (
        r"hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening|night)|thanks|thank you|thx"
        r"|how are you|how's it going|what's up|nice to meet you|bye|goodbye|see you|lol|cheers"
        r"|tell me a joke|who are you|what can you do|are you (?:a bot|an ai|real)",
        r"hola|buenos d[ií]as|gracias|bonjour|bonsoir|merci|salut|hallo|guten (?:morgen|tag)|danke"
        r"|ol[aá]|obrigad[oa]|ciao|grazie|привет|здравствуй|спасибо|你好|谢谢|早上好|こんにちは"
        r"|ありがとう|おはよう|안녕|감사합니다",
    ),
    "rewrite": (
        r"translate|translation|rewrite|re-write|rephrase|paraphrase|reword|proofread|fix (?:the )?"
        r"(?:typos?|grammar|spelling)|correct (?:the )?(?:grammar|spelling|errors)|polish"
        r"|make it (?:more )?"
        r"(?:formal|casual|concise|shorter|longer|polite|friendly)|shorten|simplify (?:this"
        r"|the) (?:text|"
        r"sentence|paragraph)|convert (?:this|it|the following) (?:to|into)|format (?:this|it"
        r"|the following)"
        r"|reformat|as a (?:table|bullet list|json|csv|markdown)|into (?:a )?(?:table"
        r"|bullet points|json"
        r"|csv|markdown|yaml)|capitali[sz]e|uppercase|lowercase|title case|alphabeti[sz]e"
        r"|sort (?:these|"
        r"this list)|in (?:french|spanish|german|english|chinese|japanese|italian|portuguese"
        r"|russian"
        r"|korean|arabic|hindi)",
        r"traduce|traducir|traduis|traduire|traduza|traduzir|traduci|übersetze|übersetzen|переведи"
        r"|перевести|翻译|译成|翻訳|訳して|번역|reescribe|reformula|réécris|reformule|umformulieren"
        r"|formuliere|перефразируй|改写|润色|書き直|言い換え",
    ),
    "extraction": (
        r"extract|pull out|list (?:all|every) (?:the )?(?:names|dates|emails|numbers|entities"
        r"|items)"
        r"|find (?:all|every|the) (?:names|dates|emails|phone numbers|mentions|lines?)|which line"
        r"|what is the (?:timestamp|date|time|name|value|status|id|number) of|classify"
        r"|categori[sz]e"
        r"|label (?:each|these|the)|tag (?:each|these)|sentiment|is this (?:email|message|review"
        r"|text)"
        r"|spam or|positive or negative|detect the language|what language is|count (?:the|how many)"
        r"|how many (?:times|lines|words|errors|entries|rows) |first (?:error|line|entry"
        r"|occurrence)"
        r"|last (?:error|line|entry)|parse (?:this|the following) into|fill in (?:the )?(?:form"
        r"|fields)",
        r"extrae|extraire|extrahiere|извлеки|提取|抽出|추출|clasifica|classe|klassifiziere|分类"
        r"|分類",
    ),
    "summarisation": (
        r"summari[sz]e|summary|tl;?dr|sum up|in a brief manner|briefly describe"
        r"|describe the content|key (?:points|takeaways)|main points|gist|condense"
        r"|in (?:one|two|three|a few) sentences|brief overview of (?:this|the following)|recap"
        r"|outline"
        r" (?:this|the following)|abstract (?:of|for) (?:this|the)",
        r"resume|resumen|résume|résumé|zusammenfass|fasse zusammen|resumir|riassumi|кратко|резюм"
        r"|总结|概括|摘要|要約|まとめ|요약",
    ),
    "factual": (
        r"what is|what's|what are|who is|who was|who were|who wrote|who invented|when (?:is|was|did"
        r"|were)|where (?:is|are|was|can)|which (?:country|city|year|planet|ocean)|how (?:tall"
        r"|big|old"
        r"|far|long) is|capital of|population of|define|definition of|meaning of|what does .{1,40}"
        r" (?:mean|stand for)|tell me about|how do (?:i|you) (?:cook|make|clean|get to|say)|recipe"
        r"|synonyms?|antonyms?|how do you spell|what year|why (?:is|are|do|does|did) (?:the|a|an"
        r"|it|we|people)"
        r"|how does (?:a|an|the) \w+(?: \w+)? work|how (?:do|can|should) i|how to|how do you"
        r"|tips (?:on|for)"
        r"|any (?:tips|advice|suggestions)|advice (?:on|for)|do you know|what do you think"
        r"|can you tell me"
        r"|is it (?:safe|ok|okay|true|possible|normal)|what should i|where should i|best way to"
        r"|describe (?:the|a|an)|give (?:an |some )?examples?|what (?:causes|caused|happened"
        r"|happens)",
        r"qu[ée] es|qui(?:én)? es|cu[aá]l es|qu'est-ce que|qui est|was ist|wer ist|wo ist"
        r"|o que [ée]"
        r"|che cos'è|что такое|кто такой|什么是|是什么|谁是|とは|何ですか|무엇|누구",
    ),
    "creative": (
        r"poem|haiku|limerick|sonnet|lyrics|song|story|short story|fairy tale|fiction|novel"
        r"|screenplay"
        r"|script for|dialogue between|write a (?:tweet|post|caption|slogan|tagline|toast|speech"
        r"|letter"
        r"|email|cover letter|blog post|article|essay|ad|advert|product description|bio|review"
        r"|joke)"
        r"|blog post|cover letter|birthday (?:message|card|wish)|wedding toast|brainstorm"
        r"|ideas for|ideas"
        r"|make a list|list (?:some|a few|\d+|the best)|give me (?:some|a few|\d+)|suggest"
        r"|come up with"
        r"|think of|choose (?:a|an|the)|pick (?:a|an|the)|title for|a title|headline|name for"
        r"|help me (?:write|draft|plan|with)|reply to|respond to|compliment|invitation|template"
        r"|names? for (?:my|a|our)|slogan|tagline|role-?play|pretend (?:to be|you are)"
        r"|imagine you are",
        r"poema|poème|gedicht|poesia|стих|诗|詩|시를|cuento|histoire|geschichte|história|storia"
        r"|рассказ|故事|物語|이야기|canci[oó]n|chanson|lied",
    ),
    "code_writing": (
        r"write (?:a |an |me a |some )?(?:\w+ )?(?:function|script|program|class|method|module"
        r"|query"
        r"|regex|code|snippet|component|endpoint|unit tests?|cli|bot|api|parser|scraper)|implement"
        r"|code (?:for|that|to)|in (?:python|javascript|typescript|java|c\+\+|c#|rust|go|golang"
        r"|kotlin"
        r"|swift|ruby|php|bash|powershell|haskell|scala|elixir|zig|sql)\b|(?:python|bash|shell|node"
        r"|javascript|typescript|rust|go) (?:script|function|program|one-liner)|regex"
        r"|regular expression"
        r"|one-liner|leetcode|html|css|markdown table|latex (?:code|table)|json schema"
        r"|algorithm (?:for|to|that)|build (?:a|an) (?:app|website|api|cli|tool)"
        r"|create (?:a|an) (?:react|vue|flask|django|fastapi|express|spring) ",
        r"escribe (?:una|un) (?:función|programa|script)|écris (?:une|un) (?:fonction|programme"
        r"|script)"
        r"|schreibe (?:eine|ein) (?:funktion|programm|skript)|implementa|implémente|implementiere"
        r"|напиши (?:функцию|программу|скрипт|код)|写一个|编写|实现|関数を|プログラムを|코드를"
        r"|함수를",
    ),
    "debugging": (
        r"debug|bug|fix (?:this|my|the) (?:code|error|bug|function|script|test)|doesn't work"
        r"|does not"
        r" work|not working|broken|error:|exception|traceback|stack ?trace|segfault"
        r"|segmentation fault"
        r"|crash(?:es|ing)?|panic|undefined is not|null pointer|nullpointer|typeerror|valueerror"
        r"|keyerror|attributeerror|syntaxerror|compile error|won't compile|fails? (?:with|to)"
        r"|why (?:does|is) (?:my|this) .{0,40}(?:fail|return|print|crash|hang|leak)|review (?:my"
        r"|this"
        r"|the) (?:code|pr|pull request|diff|implementation)|code review|refactor|race condition"
        r"|deadlock"
        r"|memory leak|re-?renders?|off-by-one|what does this (?:code|function|program) (?:do|print"
        r"|output|return)|what is the output|predict the output",
        r"depura|corrige (?:el|este) (?:código|error)|débogue|corrige (?:ce|le) (?:code|bug)|fehler"
        r"|ошибк|баг|调试|报错|错误|修复|デバッグ|エラー|バグ|버그|오류",
    ),
    "system_design": (
        r"system design|design (?:a|an|the) (?:system|service|architecture|platform|pipeline|schema"
        r"|database|api|backend|distributed|scalable|key-value|kv|cache|queue|rate limiter"
        r"|protocol)"
        r"|architect(?:ure)?|scalab\w+|high availability|fault[- ]toleran\w+|distributed (?:system|"
        r"database|cache|lock|consensus|transaction)|microservices?|multi-region|replication"
        r"|sharding"
        r"|partitioning|consensus|raft|paxos|strongly consistent|eventual consistency|linearizab\w+"
        r"|load balanc\w+|throughput|latency budget|capacity planning|migration plan"
        r"|zero[- ]downtime"
        r"|failover|disaster recovery|event sourcing|cqrs|message broker|kafka|kubernetes cluster"
        r"|infrastructure as code|slo|sla",
        r"diseña (?:un|una) (?:sistema|arquitectura)|arquitectura|conçois|concevoir (?:un|une)"
        r"|architecture distribuée|entwirf|entwerfen|architektur|спроектируй|архитектур|设计一个"
        r"|系统设计"
        r"|架构|分布式|設計|アーキテクチャ|分散|설계|아키텍처",
    ),
    "data_sql": (
        r"sql|query|select .{1,80} from|join|group by|window function|postgres\w*|mysql|sqlite"
        r"|bigquery|snowflake|pandas|dataframe|spreadsheet|excel|google sheets|vlookup|pivot table"
        r"|csv|etl|data pipeline|dashboard|dbt|spark|index(?:es)? on|explain analyze|query plan",
        r"consulta sql|requête sql|sql-abfrage|sql-запрос|查询|クエリ|쿼리|表格|スプレッドシート",
    ),
    "arithmetic": (
        r"what(?:'s| is) \d[\d,.]*\s*(?:[-+*/x×÷^]|plus|minus|times|divided by)\s*\d[\d,.]*"
        r"|calculate \d+"
        r"|compute \d+|\d+\s*(?:%|percent)\s*(?:of|tip on)\s*\$?\d[\d,.]*"
        rf"|convert (?:\$|€|£)?\d[\d,.]*\s*{_DEGREES}?{_UNIT}"
        rf"|(?:\$|€|£)?\d[\d,.]*\s*{_DEGREES}?{_UNIT} (?:to|in|into) {_DEGREES}?{_UNIT}"
        rf"|how many {_UNIT} (?:are |is )?(?:in|per) (?:a |an |one |\d[\d,.]*\s*)?{_UNIT}"
        r"|-?\d[\d,.]*\s*°?\s*[cf] (?:to|in|into) °?\s*[cf]"
        r"|square root of \d+|how much is \d[\d,.]*",
        r"cu[aá]nto es \d+|combien font \d+|wie viel ist \d+|сколько будет \d+|等于多少|は何ですか",
    ),
    "word_problem": (
        r"how many .{1,60}(?:left|remain|total|altogether|in all|does \w+ have)|how much (?:money|"
        r"change|does|did|will)|if \w+ has \d|\w+ (?:buys|sells|earns|spends|saves|drives|walks"
        r"|reads)"
        r" \d",
        r"cu[aá]ntos? .{1,40} (?:quedan|tiene)|combien de .{1,40} reste|wie viele .{1,40} (?:übrig"
        r"|hat)|сколько .{1,40} (?:осталось|у него)|还剩|一共",
    ),
    "proof": (
        r"prove|proof|show that|demonstrate that|derive|derivation|formally verify|formal proof"
        r"|theorem|lemma|corollary|q\.?e\.?d|by induction|contradiction|rigorous(?:ly)?"
        r"|if and only if|iff|for all (?:n|x|integers|real)|there exists|closed[- ]form|asymptotic"
        r"|big-?o bound|lower bound|upper bound|tla\+|coq|lean 4|isabelle|invariant holds",
        r"demuestra|demostrar|démontre|démontrer|prouve|prouvez|beweise|beweisen|beweis|dimostra"
        r"|demonstre|докажи|доказать|доказательство|выведи|证明|推导|導出|証明|증명|유도",
    ),
    "expert_analysis": (
        r"analy[sz]e|analysis|evaluate|assess|critique|compare .{1,80} (?:and|vs\.?|versus|with)"
        r"|trade-?offs?|pros and cons|implications|what are the risks|risk assessment|differential"
        r" diagnosis|interpret (?:the|these|this)|explain (?:why|how|the mechanism)|mechanism of"
        r"|under what conditions|to what extent|should (?:i|we) (?:use|choose|switch|migrate"
        r"|invest)"
        r"|recommend(?:ation)?|strategy|due diligence|case law|precedent|liability|jurisdiction"
        r"|valuation|regression|causal|identification strategy|confound\w*|counterfactual",
        r"analiza|analizar|analyse|analysez|analysiere|analizza|проанализируй|анализ|分析|評価|분석"
        r"|compara|compare|vergleiche|сравни|比较|比較|비교",
    ),
    "agentic": (
        r"you have access to (?:the following )?tools|use the (?:\w+ )?tool|call the (?:\w+ )?"
        r"(?:tool|function|api)|function call|tool call|browse|search the web|step \d+:"
        r"|plan and execute"
        r"|autonomous(?:ly)?|agent|run (?:the|these) commands?|open a pull request|create a ticket"
        r"|book (?:a|the) (?:flight|table|meeting)|schedule a meeting|send (?:an|the) email to",
        r"usa la herramienta|utilise l'outil|verwende das werkzeug|используй инструмент|调用工具"
        r"|使用工具"
        r"|ツールを使|도구를",
    ),
    "long_context_analysis": (
        r"(?:this|the|attached|following|entire|whole) (?:codebase|repository|repo|document|report"
        r"|contract|paper|transcript|thesis|book|chapter|filing|10-k|log files?|dataset)"
        r"|across (?:these|all) (?:files|documents|chapters)|based on the (?:document|text|paper"
        r"|report"
        r"|contract) above|in the (?:document|text|paper|contract|code) above",
        r"documento|contrato|dokument|vertrag|документ|文档|合同|論文|文書|문서|계약",
    ),
}

# Where a kind sits before domain and depth (a logit on the learned score's scale, where
# grade-school maths is about -1.7 and competition maths +1.7). Easy kinds are below the
# small tier's cut, expert kinds above the medium one; domain, expertise and depth move it.
KIND_BASE: dict[str, float] = {
    "small_talk": -3.2,
    "rewrite": -2.6,
    "extraction": -2.5,
    "summarisation": -2.3,
    "factual": -2.2,
    "arithmetic": -2.4,
    "creative": -1.9,
    "word_problem": -1.6,
    "code_writing": -1.5,
    "data_sql": -1.1,
    "debugging": -0.6,
    "long_context_analysis": -0.4,
    "agentic": -0.2,
    "expert_analysis": 0.2,
    "system_design": 0.9,
    "proof": 1.3,
    "general": -1.2,
}
KINDS: tuple[str, ...] = tuple(KIND_BASE)

# The kinds whose routine requests a small model does well: with a short one-line coding ask,
# the only ones confident enough for the cheapest tier (see taxonomy._confidence).
EASY_KINDS = frozenset(
    {
        "small_talk",
        "rewrite",
        "extraction",
        "summarisation",
        "factual",
        "arithmetic",
        "creative",
        "word_problem",
    }
)

# ---------------------------------------------------------------- domains
# domain -> (general vocabulary, expert vocabulary). Expert terms weigh double in the
# expertise signal: they are what only a practitioner writes.
DOMAIN_TERMS: dict[str, tuple[str, str]] = {
    "medicine": (
        r"doctor|patient|symptoms?|diagnos\w+|disease|treatment|medication|medicine|drug|dose"
        r"|dosage"
        r"|hospital|clinic|nurse|surgery|therapy|infection|vaccine|cancer|diabetes|blood pressure"
        r"|pregnan\w+|allerg\w+|side effects?|prescription|health|pain|fever|heart|kidney|liver"
        r"|lung",
        r"\w{3,}(?:mab|tinib|pril|sartan|statin|olol|azole|cillin|mycin|floxacin|prazole|parin"
        r"|xaban|gatran|tidine|ciclovir|navir|semide|thiazide|gliptin|gliflozin|glutide|dronate)"
        r"|metformin|lithium|digoxin|amiodarone|methotrexate|tacrolimus|cyclosporine|opioids?"
        r"|benzodiazepines?|anaesthe\w+|anesthe\w+|sepsis|stroke|myocardial|embolism|thrombo\w+"
        r"|warfarin|anticoagula\w+|inr|cyp\d\w*|pharmacokinetic\w*|pharmacodynamic\w*"
        r"|contraindicat\w+"
        r"|comorbid\w*|etiology|aetiology|pathophysiology|differential diagnosis|prognosis"
        r"|metastat\w+"
        r"|oncolog\w+|cardiomyopathy|arrhythmia|atrial fibrillation|myocardial|ischemi\w+|sepsis"
        r"|nephrotoxic\w*|hepatotoxic\w*|renal clearance|creatinine|egfr|hba1c|insulin resistance"
        r"|randomi[sz]ed controlled|rct|meta-analysis|cohort study|odds ratio|hazard ratio|p-value"
        r"|pharmacology|immunosuppress\w+|monoclonal|antibod\w+|antibiotic resistance|ssri|maoi"
        r"|serotonin syndrome|qt prolongation|off-label|titrat\w+|half-life|bioavailability"
        r"|clinical trial|icd-10|triage|intubat\w+|ventilator|dialysis|transplant|leuka?emia"
        r"|lymphoma"
        r"|carcinoma|sarcoma|melanoma|tumou?rs?|chemotherapy|radiotherapy|mutations?|chromosom\w+"
        r"|translocations?|biomarkers?|histolog\w+|patholog\w+|neurolog\w+|psychiatr\w+|endocrin\w+"
        r"|autoimmun\w+|inflammat\w+|cytokines?|t-cells?|stem cells?|gene therapy|dosing|mg/kg",
    ),
    "law": (
        r"law|legal|lawyer|attorney|court|judge|contract|lease|tenant|landlord|sue|lawsuit|rights"
        r"|illegal|crime|police|copyright|trademark|patent|divorce|custody|will|estate|tax",
        r"subpoena|injunction|summary judgment|class action|motion to dismiss|deposition|affidavit"
        r"|probate|lien|escrow|indemnity|statutory|regulatory|compliance|sanctions|extradition"
        r"|delaware|chancery|fiduciary|duty of loyalty|business judgment rule|derivative suit"
        r"|indemnif\w+"
        r"|tort|negligence|statute of limitations|jurisdiction|venue|precedent|case law"
        r"|stare decisis"
        r"|habeas|due process|first amendment|fourth amendment|mens rea|actus reus|estoppel"
        r"|easement"
        r"|adverse possession|consideration|breach of contract|liquidated damages|force majeure"
        r"|arbitration clause|choice of law|gdpr|hipaa|ccpa|sarbanes|securities act|rule 10b-5"
        r"|insider trading|antitrust|sherman act|ucc|article 9|secured transaction|bankruptcy"
        r"|chapter 11"
        r"|ip assignment|non-compete|merger agreement|appraisal rights|poison pill|shareholder"
        r"|plaintiff|defendant|appellate|certiorari|voir dire|hearsay|admissib\w+|standing",
    ),
    "finance": (
        r"money|invest\w*|stock|shares|bond|interest rate|loan|mortgage|budget|savings|retirement"
        r"|401k|ira|bank|credit|debt|portfolio|dividend|crypto|bitcoin|price|revenue|profit",
        r"hedging|basis points|bps|credit spreads?|carry trade|term structure|volatility surface"
        r"|risk-neutral|capital structure|cost of capital|free cash flow|working capital|solvency"
        r"|black-?scholes|option pricing|implied volatility|greeks|delta hedg\w+|stochastic"
        r"|brownian"
        r"|ito|martingale|var\b|value at risk|cvar|sharpe|sortino|capm|beta|alpha generation|dcf"
        r"|discounted cash flow|wacc|ebitda|irr|npv|yield curve|duration|convexity|swap|swaption"
        r"|derivatives?|futures|forward contract|arbitrage|hedge fund|leverage ratio|basel"
        r"|liquidity"
        r"|coverage ratio|covenant|lbo|ipo|spac|m&a|accretion|dilution|gaap|ifrs|deferred tax"
        r"|revenue recognition|amortization|depreciation schedule|credit default|cds|tranche|mbs"
        r"|monte carlo|factor model|fama-french|mean-variance",
    ),
    "economics": (
        r"econom\w+|inflation|gdp|unemployment|market|supply|demand|trade|tariff|recession|policy",
        r"2sls|two-stage least squares|instrumental variables?|weak instruments?|endogene\w+"
        r"|exogen\w+"
        r"|heteroskedastic\w*|heteroscedastic\w*|autocorrelat\w+|panel data|fixed effects"
        r"|random effects"
        r"|difference-in-differences|diff-in-diff|regression discontinuity|propensity score"
        r"|elasticit\w+|marginal (?:cost|utility|revenue)|nash equilibrium|game theory"
        r"|general equilibrium"
        r"|dsge|phillips curve|taylor rule|monetary policy|fiscal multiplier|moral hazard"
        r"|adverse selection"
        r"|deadweight loss|pareto|comparative advantage|externalit\w+|monopsony|oligopoly|cournot"
        r"|bertrand|gmm|maximum likelihood|ols|f-statistic|hausman|granger|cointegrat\w+",
    ),
    "sciences": (
        r"physics|chemistry|biology|science|atom|molecule|cell|gene|dna|energy|force|gravity|planet"
        r"|star|electron|reaction|species|evolution|climate|experiment|hypothesis",
        r"renormali[sz]ation|gauge theory|symmetry breaking|perturbation theory|feynman|qft"
        r"|dark matter|cosmolog\w+|spacetime|geodesic\w*|photosynthe\w+|metaboli\w+|genomic\w*"
        r"|quantum|hamiltonian|lagrangian|schr[oö]dinger|eigen\w+|wavefunction|entanglement"
        r"|decoherence"
        r"|relativ\w+|tensor|thermodynamic\w*|entropy|enthalpy|gibbs|kinetics|catalys\w+"
        r"|stereochem\w*"
        r"|nucleophil\w+|electrophil\w+|sn2|sn1|orbital|spectroscop\w+|nmr|crystallograph\w+"
        r"|polymerase|crispr|transcription factor|epigenet\w+|phylogen\w+|allele|genome-wide|gwas"
        r"|protein folding|enzyme kinetics|michaelis|mitochondri\w+|signal transduction|receptor"
        r"|plasma|fusion|superconduct\w+|semiconductor|band gap|fermi|boson|hadron|neutrino"
        r"|navier-stokes|turbulen\w+|fluid dynamics|maxwell's equations|partial differential"
        r"|bayesian|posterior|markov chain|p-values?|confidence interval|hypothesis test",
    ),
    "mathematics": (
        r"math|maths|mathematics|equation|algebra|geometry|calculus|integral|derivative|fraction"
        r"|percent|probability|statistics|number|triangle|circle|matrix",
        r"irrational|prime|theorem|lemma|topolog\w+|manifold|homeomorph\w+|homolog\w+|group theory"
        r"|ring|field extension|galois|eigenvalue|diagonali[sz]\w+|jordan form|hilbert space|banach"
        r"|measure theory|lebesgue|fourier|laplace transform|convergen\w+|uniformly|cauchy"
        r"|epsilon-delta"
        r"|combinatori\w+|generating function|recurrence|modular arithmetic|congruen\w+|diophantine"
        r"|riemann|zeta|complex analysis|residue|contour integral|differential equations?|ode|pde"
        r"|stochastic process|ergodic|category theory|functor|isomorph\w+",
    ),
    "engineering": (
        r"code|program\w*|software|app|website|server|database|computer|python|javascript|api"
        r"|linux|windows|network|cloud|docker|git|html|css|react|java|excel|bug|algorithm",
        r"cache invalidation|consistent hashing|leader election|split[- ]brain|write-ahead|fsync"
        r"|memory barriers?|false sharing|thread pool|coroutines?|event loop|zero-copy|dma"
        r"|interrupt handler|device driver|bootloader|hypervisor|virtuali[sz]ation|cgroups?"
        r"|window functions?|partition by|recursive cte|lock-?free|wait-?free|mpmc|spsc"
        r"|multi-producer|multi-consumer|atomic|compare-and-swap|cas loop|memory order\w*"
        r"|memory model|aba problem"
        r"|hazard pointers?|rcu|mutex|semaphore|spinlock|concurren\w+|race condition|deadlock"
        r"|linearizab\w+"
        r"|consensus|raft|paxos|two-phase commit|2pc|tla\+|model check\w*|formal verification"
        r"|distributed|replication|sharding|quorum|vector clocks?|crdt|idempoten\w+|exactly-once"
        r"|back-?pressure|p99|tail latency|latency spikes?|vacuum|autovacuum|wal|mvcc"
        r"|isolation level"
        r"|serializab\w+|b-?tree|lsm|query planner|index scan|kernel|syscall|epoll|io_uring|numa"
        r"|cache coherence|simd|vectori[sz]\w+|llvm|compiler|borrow checker|lifetimes?"
        r"|async runtime"
        r"|garbage collect\w*|jit|webassembly|cuda|gpu kernel|tensor cores?|fpga|verilog|rtos"
        r"|embedded|firmware|control loop|pid controller|kalman|finite element|fea|cfd"
        r"|tolerance stack"
        r"|fatigue|stress analysis|load path|circuit|impedance|oauth|tls|x\.509|cryptograph\w+"
        r"|side-channel|zero-knowledge|elliptic curve|threat model|exploit|cve|kubernetes|terraform"
        r"|service mesh|observability|gradient descent|backpropagation|transformer|attention head"
        r"|fine-tun\w+|reinforcement learning|reward model|overfitting|regulari[sz]ation",
    ),
    "philosophy": (
        r"philosoph\w+|ethics|moral|meaning of life|free will|consciousness|mind|truth|knowledge"
        r"|existence|god|religion|virtue|justice",
        r"parfit|kant\w*|hegel\w*|nietzsche|wittgenstein|heidegger|aristotel\w+|plato\w*|hume\w*"
        r"|rawls"
        r"|nozick|utilitarian\w*|consequentialis\w+|deontolog\w+|epistemolog\w+|metaphysic\w+"
        r"|ontolog\w+"
        r"|phenomenolog\w+|personal identity|teletransport\w*|qualia|hard problem|compatibilis\w+"
        r"|categorical imperative|veil of ignorance|trolley problem|modal realism|possible worlds"
        r"|a priori|a posteriori|analytic|synthetic|gettier|justified true belief|dualism"
        r"|physicalism"
        r"|functionalism|existentialis\w+|dialectic\w*|hermeneutic\w*|repugnant conclusion",
    ),
    "humanities": (
        r"history|historical|war|empire|century|ancient|medieval|literature|novel|poet|art|music"
        r"|culture|language|grammar|religion|politics|government|election|psychology|sociology",
        r"historiograph\w+|primary sources?|treaty of|westphalia|versailles|reformation"
        r"|enlightenment"
        r"|colonial\w*|postcolonial|hegemony|marxis\w+|structuralis\w+|post-?structuralis\w+"
        r"|semiotic\w*"
        r"|narratolog\w+|iambic|pentameter|modernis\w+|cognitive dissonance|attachment theory"
        r"|dsm-5|psychometric\w*|operant|classical conditioning|sociolinguistic\w*|phonolog\w+"
        r"|morpholog\w+|syntax tree|pragmatics|etymolog\w+",
    ),
    "business": (
        r"business|marketing|sales|customer|startup|company|brand|strategy|product|manager|team"
        r"|meeting|hiring|resume|interview|email|client|pricing",
        r"go-to-market|gtm|total addressable market|unit economics|cac|ltv|churn|cohort analysis"
        r"|okrs?|kpis?"
        r"|supply chain|procurement|incoterms|six sigma|lean manufacturing|porter's five forces"
        r"|swot"
        r"|pestle|balanced scorecard|change management|org design|pricing power|market entry",
    ),
}
DOMAINS: tuple[str, ...] = (*DOMAIN_TERMS, "general")

# Multilingual domain cues (expert-ish words that survive translation), substring-matched.
DOMAIN_MULTI: dict[str, str] = {
    "medicine": r"warfarina|warfarine|médicament|medicamento|medikament|arzneimittel|paciente"
        r"|patient"
    r"|лекарств|пациент|药物|患者|薬|환자|약물|diagnóstico|diagnostic|diagnose|диагноз|诊断|診断",
    "law": r"ley |loi |gesetz|lei |legge|закон|法律|法院|契約|법률|tribunal|gericht|суд|contrato"
        r"|vertrag",
    "finance": r"finanzas|finance|finanz|finanças|финанс|金融|投资|投資|금융|opciones|optionen"
        r"|опцион|期权",
    "economics": r"economía|économie|wirtschaft|economia|экономик|经济|経済|경제|econometr"
        r"|эконометр|计量",
    "sciences": r"física|physique|physik|физик|物理|化学|química|chimie|chemie|химия|生物|biología"
        r"|biologie",
    "mathematics": r"matemática|mathématique|mathematik|математик|数学|수학|teorema|théorème|satz"
        r"|теорема|定理",
    "engineering": r"código|programa|logiciel|software|программ|代码|程序|コード|코드|分布式|分散"
        r"|一致性|并发"
    r"|並行|동시성|base de datos|base de données|datenbank|база данных|数据库|データベース",
    "philosophy": r"filosofía|philosophie|filosofia|философ|哲学|철학|ética|éthique|ethik|этик|伦理"
        r"|倫理",
    "humanities": r"historia|histoire|geschichte|história|storia|истори|历史|歴史|역사",
    "business": r"empresa|entreprise|unternehmen|negocio|бизнес|企业|公司|企業|회사|marketing"
        r"|маркетинг|营销",
}

# ---------------------------------------------------------------- depth of the ask
# Constraints that make an answer expensive to get right, whatever the domain.
CONSTRAINT_CUES = (
    r"prove|derive|rigorous(?:ly)?|formal(?:ly)?|step[- ]by[- ]step|show (?:all|your) (?:work"
    r"|steps)"
    r"|state (?:all|every|each|your) assumptions?|list (?:all|every|your) assumptions|justify|cite"
    r"|with (?:references|citations|sources)|edge cases?|corner cases?|worst[- ]case|complexity"
    r"|time and space|big-?o|trade-?offs?|compare .{1,60} (?:and|vs\.?|versus|with)|migration plan"
    r"|rollback plan|rollout plan|failure modes?|threat model|guarantee\w*|invariants?"
    r"|correctness|correct memory order\w*"
    r"|in detail|detailed|thorough(?:ly)?|comprehensive|production[- ]ready|benchmark|optimi[sz]e"
    r"|without (?:using|any)|must (?:not|be|handle|support)|should (?:handle|support|scale)"
    r"|at scale|millions of|billions of|under load|concurren\w+|thread[- ]safe|consistent"
    r"|numerically stable|closed[- ]form|counterexample|necessary and sufficient"
    r"|under what assumptions"
    r"|sensitivity analysis|quantify|estimate the|model the|simulate|what would happen if"
)
CONSTRAINT_MULTI = (
    r"demuestra|démontre|beweise|докажи|证明|証明|증명|paso a paso|étape par étape"
    r"|schritt für schritt"
    r"|шаг за шагом|逐步|一步一步|ステップ|단계별|supuestos|hypothèses|annahmen|допущени|假设|前提"
    r"|compromis|compensaciones|abwägung|компромисс|权衡|トレードオフ|트레이드오프|migración"
    r"|migration"
    r"|миграци|迁移|移行|마이그레이션|detallad|détaillé|ausführlich|подробн|详细|詳細|자세히"
)

# Long-form writing: more to get right than a poem or a tweet.
LONG_FORM_CUES = (
    r"\d{3,}[- ]words?|blog post|essay|article|white ?paper|report|chapter|newsletter|landing page"
    r"|press release|business plan|grant proposal|curriculum|lesson plan"
)

# Asks that stay cheap even on a long context (lookups in a pasted text).
LOOKUP_CUES = (
    r"what is the (?:timestamp|date|time|name|title|value|status|id|number|total|author|email"
    r"|address"
    r"|phone)|which (?:line|row|entry|file|function|user|customer)|find (?:the|all|every) (?:lines?"
    r"|rows?|entries|mentions|occurrences|errors?|emails?|dates?|names?)|first (?:error|warning"
    r"|line"
    r"|entry|occurrence|mention)|last (?:error|line|entry)|how many (?:times|lines|rows|errors"
    r"|entries"
    r"|words)|count (?:the|all)|list (?:the|all) (?:names|dates|emails|urls|errors|items)|extract"
    r"|translate|summari[sz]e|tl;?dr|fix (?:the )?typos|proofread|format (?:this|it)"
    r"|convert (?:this|it)"
)
