"""Natural order, decided in one place: numbered names by their number, everything else by pinyin.

A government office reads a list of work groups as 第一组, 第二组 … 第十组, 第十二组, enterprises
and people by pinyin (安, 白, 陈, 程, 单 as the surname Shàn), and units in the unit tree's order.
Character-code order (第一, 第三, 第二, 第五 …) is what the database gives by default, so every
model a person picks from or reads a list of (units, people, enterprises, programmes, work groups)
stores a `sort_key` computed here (core.models.NaturallyOrdered fills it on save), and lists,
dropdowns, filters, the API and exports order by that column. Python code that sorts such names
in memory calls the same functions, so a page and its export never disagree.

Why a computed key (pypinyin) and not a database collation:

1. The portal also runs on SQLite for local development (no DATABASE_URL); SQLite has no
   Chinese collation at all, and PostgreSQL's depends on how the server was built (ICU or not)
   and on the cluster's locale (ours is C.UTF-8, i.e. character-code order).
2. An ICU ``zh`` collation sorts by pinyin but does not know that 第十 comes after 第二 nor that
   10号 comes after 2号; numbers need parsing either way.
3. The same key sorts a Python list and an SQL query identically, so in-memory sorts (exports,
   grouped tables) agree with the pages.

How a key is built:

- the text is NFKC-normalised (full-width Ａ１ become A1);
- Arabic digit runs, and Chinese numerals after 第 or before a counter (号 组 期 批 片 区 队 …),
  become numbers, written as "1", the count of digits, then the digits — so 2 < 9 < 10 < 12
  and 第二 < 第九 < 第十 < 第十二 compare correctly as plain strings;
- Han characters become pinyin with a tone number (zhong1), which also separates the syllables:
  li3 sorts before lin2 because a digit sorts before a letter;
- ASCII letters are lowercased; spaces and punctuation are left out;
- "0" ends the key proper, and the original text follows as the last tie-breaker.

The key proper uses only the characters 0-9 and a-z, whose order is the same in every collation
(C, glibc locales, ICU) and in Python, so the database may sort the column with any collation.
When pypinyin's data or the rules below change, `manage.py refresh_sort_keys` recomputes the
stored keys.
"""

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

# The column width in the models; the key proper is cut to leave room for the tie-breaker.
SORT_KEY_LENGTH = 255
_MAIN_LENGTH = 200
_END = "0"  # sorts before every number ("1…") and letter: a shorter key comes first

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

# What may follow a Chinese numeral for it to count as a number: 三号, 第二组, 十二期, 一中 …
# A numeral elsewhere is an ordinary word (十堰, 三明, 九江, 万达) and is read as pinyin.
COUNTERS = "号组期批片区队届次季年月日班连排营处科室股栋幢楼层站中小团路街厂部局车"

_NUMBER = re.compile(
    r"[0-9]+"
    r"|(?<=第)[〇零一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*"
    rf"|[〇零一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*(?=[{COUNTERS}])"
)
# Runs of Han characters (the basic block, extension A and the compatibility ideographs).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_ALNUM = re.compile(r"[a-z0-9]+")

# Surnames read differently from the same character in ordinary words (单 is Shàn, not dān),
# the compound surnames first.
COMPOUND_SURNAMES = {
    "万俟": "mo4qi2",
    "尉迟": "yu4chi2",
    "单于": "chan2yu2",
    "长孙": "zhang3sun1",
    "澹台": "tan2tai2",
}
SURNAMES = {
    "单": "shan4",
    "曾": "zeng1",
    "解": "xie4",
    "仇": "qiu2",
    "朴": "piao2",
    "查": "zha1",
    "区": "ou1",
    "乐": "yue4",
    "覃": "qin2",
    "盖": "ge3",
    "翟": "zhai2",
    "缪": "miao4",
    "召": "shao4",
    "秘": "bi4",
    "繁": "po2",
    "员": "yun4",
    "能": "nai4",
    "句": "gou1",
    "种": "chong2",
    "重": "chong2",
    "折": "she2",
    "黑": "he4",
    "牟": "mu4",
    "宓": "fu2",
    "任": "ren2",
    "华": "hua4",
    "纪": "ji3",
    "过": "guo1",
    "阚": "kan4",
    "隗": "wei3",
    "相": "xiang4",
    "薄": "bo2",
    "都": "du1",
    "燕": "yan1",
    "那": "na1",
    "洗": "xian3",
    "祭": "zhai4",
}


def chinese_number(numeral: str) -> int:
    """十二 -> 12, 一百零五 -> 105, 二〇二五 -> 2025 (digits without units are read in a row)."""
    if not any(ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in numeral):
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total = section = digit = 0
    for ch in numeral:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            # 十二: a unit with no digit before it counts once.
            section += (digit or 1) * _SMALL_UNITS[ch]
            digit = 0
        else:
            total += (section + digit) * _BIG_UNITS[ch]
            section = digit = 0
    return total + section + digit


def _number_token(value: int) -> str:
    digits = str(value)
    # "1", then how many digits (two places, so a 10-digit number still sorts right), then them.
    return f"1{len(digits):02d}{digits}"


def _text_tokens(text: str) -> str:
    """Pinyin with tones for Han runs, lowercased ASCII letters and digits, nothing else."""
    out = []
    position = 0
    for match in _HAN.finditer(text):
        out.extend(_ASCII_ALNUM.findall(text[position : match.start()].lower()))
        # Whole runs, so pypinyin's phrase data reads 重庆 as chong2qing4 and 银行 as yin2hang2.
        out.extend(lazy_pinyin(match.group(), style=Style.TONE3, neutral_tone_with_five=True))
        position = match.end()
    out.extend(_ASCII_ALNUM.findall(text[position:].lower()))
    return "".join(token for token in out if _ASCII_ALNUM.fullmatch(token))


def _main_key(text: str) -> str:
    out = []
    position = 0
    for match in _NUMBER.finditer(text):
        out.append(_text_tokens(text[position : match.start()]))
        numeral = match.group()
        value = int(numeral) if numeral.isascii() else chinese_number(numeral)
        out.append(_number_token(value))
        position = match.end()
    out.append(_text_tokens(text[position:]))
    return "".join(out)


def _finish(main: str, original: str) -> str:
    key = main[:_MAIN_LENGTH] + _END + original
    return key[:SORT_KEY_LENGTH]


def natural_key(text: str | None) -> str:
    """The sort key of a name: 第十 after 第九, 10号 after 2号, then pinyin, then the text."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    return _finish(_main_key(text), text)


def person_key(name: str | None) -> str:
    """natural_key for a person's name, reading the surname as a surname (单 Shàn, 曾 Zēng)."""
    name = unicodedata.normalize("NFKC", name or "").strip()
    for surname, reading in COMPOUND_SURNAMES.items():
        if name.startswith(surname):
            return _finish(reading + _main_key(name[len(surname) :]), name)
    if name[:1] in SURNAMES:
        return _finish(SURNAMES[name[0]] + _main_key(name[1:]), name)
    return natural_key(name)


def tree_key(parent_tree_key: str | None, sort_key: str) -> str:
    """A unit's place in the tree: its parent's key, then its own; a parent comes before its
    children and siblings follow their natural order. "/" closes each level."""
    return f"{parent_tree_key or ''}{sort_key}/"
