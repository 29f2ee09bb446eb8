# ruff: noqa: E501  (request texts and reasons are data: one request per call, not wrapped)
"""A pasted React component and a paper's methods section, each with easy and hard asks."""

from build import doc, item

TSX = doc("OrderBook.tsx.txt")
METHODS = doc("methods.txt")

ITEMS = [
    item("rv-001", "small", "rewrite_translate_format", "cs_engineering",
         "A mechanical prop rename across one file.",
         f"Rename the prop wsUrl to socketUrl everywhere in this component and give me the file back.\n\n{TSX}",
         group="long_easy"),
    item("rv-002", "small", "long_document_analysis", "cs_engineering",
         "Reading the default value of a prop off the code.",
         f"{TSX}\n\nwhat's the default depth and which endpoint does it fetch the snapshot from?", group="long_easy"),
    item("rv-003", "medium", "debugging_review", "cs_engineering",
         "The stale closure over bids/asks in the websocket handler is a common React bug; spotting it needs reading the effects with care.",
         f"The order book looks right at first but after a few seconds levels start disappearing and reappearing. What's wrong?\n\n{TSX}"),
    item("rv-004", "small", "long_document_analysis", "medicine",
         "Copying numbers from a methods section; no appraisal asked.",
         f"{METHODS}\n\nHow many patients were included, and what was the median follow-up?", group="long_easy"),
    item("rv-005", "large", "long_document_analysis", "medicine",
         "Appraising an observational drug study: immortal time bias from exposure assigned at the end of follow-up, mean imputation, implausible effect sizes; missing it misleads clinicians.",
         f"I'm reviewing this paper for a journal. Write the methodological critique of this methods section: what biases are there, how they'd distort the hazard ratios, and what analysis the authors should do instead.\n\n{METHODS}"),
    item("rv-006", "medium", "summarisation", "medicine",
         "A lay summary of a methods section that must stay faithful without appraising it.",
         f"{METHODS}\n\nWrite a 100-word plain-language summary of what this study did and found, for a patient newsletter."),
]
