"""Chinese text is written the way a Chinese office writes it.

Full-width ，：；？！（） next to Chinese characters, never ASCII , : ; ? ! ( ); no "。。" where a
template's full stop follows one a user typed; no framework default such as "---------".
Checked twice: in the catalogue (every translatable string), and in the pages themselves, which
also holds text that never passes through the catalogue (data, composed sentences, template
glue such as `{% translate "状态" %}:`). The pages are found by crawling the demo county as each
role, so a page added later is checked without being listed here.
"""

import datetime
import re
from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import polib
import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from core.dates import SHANGHAI
from supervision.demo.data import DEMO_USERNAMES

BASE_DIR = Path(__file__).resolve().parent.parent
ENGLISH_PO = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Chinese characters and the full-width marks around them (“”《》，。（）…).
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff60\u201c\u201d\u2026]"
ASCII_MARKS = r"[,:;?!()]"
# An ASCII mark with a Chinese character right before or after it. `%(name)s` is a placeholder.
ASCII_NEXT_TO_HAN = re.compile(rf"{HAN}{ASCII_MARKS}|(?<!%){ASCII_MARKS}{HAN}")
DOUBLED_STOP = re.compile(r"。\s*。")
FRAMEWORK_DEFAULTS = ("---------", "This field is required", "该字段是必填项")


def offences(text: str) -> list[str]:
    found = [text[max(0, m.start() - 12) : m.end() + 12] for m in ASCII_NEXT_TO_HAN.finditer(text)]
    found += [text[max(0, m.start() - 12) : m.end() + 4] for m in DOUBLED_STOP.finditer(text)]
    found += [default for default in FRAMEWORK_DEFAULTS if default in text]
    return found


def test_the_check_itself():
    assert offences("您好,范德明") and offences("您的身份:") and offences("(选填)")
    assert offences("（逾期 1 份）;新提诉求") and offences("“火星镇”,请")
    assert offences("材料不全。。") and offences('<option value="">---------</option>')
    assert not offences("您好，范德明。您的身份：办公室（选填）")
    assert not offences("%(name)s代您报送了 12:30 的报告。Plain English, (with) marks: fine?")


@pytest.mark.skipif(not ENGLISH_PO.exists(), reason="catalogue not generated yet")
def test_catalogue_uses_full_width_punctuation():
    bad = [
        f"  {entry.occurrences[:1]} {entry.msgid!r}: {found}"
        for entry in polib.pofile(str(ENGLISH_PO))
        for found in [offences(entry.msgid) + offences(entry.msgid_plural or "")]
        if found
    ]
    assert not bad, f"{len(bad)} catalogue strings with ASCII punctuation:\n" + "\n".join(bad)


class VisibleText(HTMLParser):
    """The text a reader sees or hears: character data outside script and style, plus the
    attributes that are shown or read out (title, placeholder, aria-label, alt, button values).
    Links are collected for the crawl."""

    SPOKEN = {"title", "placeholder", "aria-label", "alt", "data-confirm"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links = [], []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name, value in attrs.items():
            if value and (name in self.SPOKEN or (tag == "input" and name == "value")):
                if tag == "input" and name == "value" and attrs.get("type") not in ("submit",):
                    continue
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


# Not pages: signing out, files, feeds, the API and Django's admin (its own catalogue).
SKIP = re.compile(
    r"^/(logout|admin|api|static|media)/|/(export|download|feed|calendar\.ics|autosave)/?"
    r"|[?&](export|format)=|/attachments/\d+/|\.ics$"
)
# One page per URL shape is enough: /tickets/12/ and /tickets/13/ are the same template.
SHAPE = re.compile(r"\d+")
PER_SHAPE = 2
PER_ROLE = 120


def crawl(client: Client) -> dict[str, list[str]]:
    seen, shapes, problems = set(), Counter(), {}
    queue = ["/"]
    while queue and len(seen) < PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        found = offences(" ".join(" ".join(parser.parts).split()))
        if found:
            problems[url] = found
        for href in parser.links:
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIP.search(href) or href in seen:
                continue
            shape = SHAPE.sub("N", parts.path) + ("?" if parts.query else "")
            if shapes[shape] >= PER_SHAPE:
                continue
            shapes[shape] += 1
            queue.append(href)
    return problems


# A Monday in the demo programme's ninth month: every kind of page has something to show.
MOMENT = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_rendered_pages_use_full_width_punctuation():
    with time_machine.travel(MOMENT, tick=True):
        call_command("seed_demo", force=True, stdout=StringIO())
        report = {}
        for role, username in DEMO_USERNAMES.items():
            client = Client()
            client.force_login(User.objects.get(username=username))
            for url, found in crawl(client).items():
                report[f"{role} {url}"] = found
    assert not report, "ASCII punctuation or framework defaults on pages:\n" + "\n".join(
        f"  {where}: {found[:5]}" for where, found in report.items()
    )
