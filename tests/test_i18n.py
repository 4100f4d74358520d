"""The English catalogue is complete: msgids are Chinese, so a gap shows Chinese in English."""

import re
from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
ENGLISH_PO = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
# %(name)s, %s, %d ... ; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx]")

# The catalogue is assembled at the end of the first round; until it exists there is nothing to
# check. Once it exists every test here is a real failure.
pytestmark = pytest.mark.skipif(
    not ENGLISH_PO.exists(), reason=f"{ENGLISH_PO.relative_to(BASE_DIR)} not generated yet"
)


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(ENGLISH_PO))


def describe(entries) -> str:
    return "\n".join(f"  {entry.occurrences[:1]} {entry.msgid!r}" for entry in entries[:30])


def test_no_untranslated_entries(catalogue):
    missing = catalogue.untranslated_entries()
    assert not missing, f"{len(missing)} untranslated:\n{describe(missing)}"


def test_no_fuzzy_entries(catalogue):
    fuzzy = catalogue.fuzzy_entries()
    assert not fuzzy, f"{len(fuzzy)} fuzzy:\n{describe(fuzzy)}"


def test_placeholders_match(catalogue):
    """A translation that drops or renames %(name)s raises KeyError or loses data at runtime."""
    wrong = []
    for entry in catalogue.translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            translations = list(entry.msgstr_plural.values())
        else:
            translations = [entry.msgstr]
        for translation in translations:
            if sorted(PLACEHOLDER.findall(translation)) != expected and "python-format" in (
                entry.flags
            ):
                wrong.append(entry)
                break
    assert not wrong, f"{len(wrong)} with different placeholders:\n{describe(wrong)}"


def test_compiled_catalogue_matches(catalogue):
    """Django reads django.mo, not django.po: a stale or missing .mo shows old or no English."""
    compiled_path = ENGLISH_PO.with_suffix(".mo")
    assert compiled_path.exists(), "run `make messages` to compile the catalogue"
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in polib.mofile(str(compiled_path))
    }
    stale = [
        entry
        for entry in catalogue.translated_entries()
        if compiled.get((entry.msgctxt, entry.msgid)) != (entry.msgstr_plural or entry.msgstr)
    ]
    assert not stale, f"{len(stale)} differ in django.mo; run `make messages`:\n{describe(stale)}"
