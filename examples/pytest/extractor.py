"""The extractor this small project tests: every span between double
quotes ("…" or “…”) is a direct quote, said by the capitalised words just
after it when they come before a reporting verb. Offsets are Python
string indices."""
import re

from quotecheck_eval import Quote, Span

QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')
ATTRIBUTION = re.compile(r",?\s*((?:[A-Z][\w’'-]+ ?){1,3}) (said|says|told|added)\b")


def extract(text: str) -> list:
    """The quotes of one article."""
    found = []
    for m in QUOTED.finditer(text):
        g = 1 if m.group(1) is not None else 2
        speaker = cue = None
        after = ATTRIBUTION.match(text, m.end())
        if after:
            speaker = Span(after.start(1), after.start(1) + len(after.group(1).rstrip()))
            cue = Span(after.start(2), after.end(2))
        found.append(Quote(content=Span(m.start(g), m.end(g)), speaker=speaker, cue=cue, kind="direct"))
    return found
