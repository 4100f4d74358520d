"""Small helpers for Chinese text put together from a template and what a user typed."""

# Sentence-ending and clause-ending marks, full-width and ASCII.
_TRAILING = "。．.！!？?；;，,、：: \t\r\n"


def as_clause(text: str) -> str:
    """`text` without its closing punctuation, for a template that ends the sentence itself:
    "理由：%(reason)s。" with a reason typed as "材料不全。" must not read "材料不全。。"."""
    return (text or "").rstrip(_TRAILING)
