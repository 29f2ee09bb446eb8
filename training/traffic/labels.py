"""The label vocabulary: tiers, languages, kinds of work and domains (the names
tests/open_traffic/README.md uses), and the short codes the ask lists are written in."""

TIERS = ("small", "medium", "large")
LANGS = ("en", "es", "fr", "de", "pt", "zh", "ja", "it", "nl", "ko", "ru", "pl")
KINDS = {
    "st": "small_talk",
    "rw": "rewrite_translate_format",
    "ex": "extraction_classification",
    "su": "summarisation",
    "fa": "factual_lookup",
    "cr": "creative_writing",
    "cw": "code_writing",
    "db": "debugging_review",
    "sd": "system_design",
    "sq": "data_sql",
    "ar": "arithmetic",
    "wp": "word_problems",
    "pr": "competition_maths_proofs",
    "ea": "expert_analysis",
    "ag": "agentic_tool_use",
    "ld": "long_document_analysis",
}
DOMAINS = {
    "gen": "general",
    "cs": "cs_engineering",
    "law": "law",
    "fin": "finance",
    "med": "medicine",
    "math": "maths",
    "econ": "economics",
    "phys": "physics",
    "bio": "biology",
    "hist": "history",
    "phil": "philosophy",
    "chem": "chemistry",
    "psych": "psychology",
    "ling": "linguistics",
}
