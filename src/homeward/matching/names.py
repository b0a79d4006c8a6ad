"""Names reduced to what survives transliteration, so the same person meets across spellings.

Mohammad, Mohammed, Muhammad, Mohamed and محمد; Al-Hassan, Al Hasan, Alhassan, El Hassan and
الحسن; Məmmədov, Mammadov, Mamedov and Мамедов: each name becomes tokens in Latin letters
(``tokens``), and each token two reductions:

- ``skeleton``: its consonants after the usual transliteration variants are folded (kh/h, q/k,
  ph/f, ou/u, doubled letters, -ova/-ov…). Arabic script writes no short vowels, so vowels go
  too; that makes Hassan and Hussein one skeleton (``hsn``). It finds candidates, it never decides.
- ``vowel_form``: the token with its vowels kept but folded to three classes (a; e/i/y; o/u),
  on which scores are computed: Hassan is ``hasan``, Hussein ``husin`` — different people.

Transliteration is anyascii's (``core.text``); the rules here are only those no library has,
each tested in tests/matching/test_names.py.
"""

from __future__ import annotations

import re
import unicodedata

from homeward.core.text import search_key

# The Arabic article and its sun-letter assimilations, and the words that join a name to a
# father's or tribe's ("son of", "daughter of"): they carry no identity on their own.
PARTICLES = frozenset({"al", "el", "ul", "ol", "il", "ad", "ed", "ar", "er", "as", "es", "ash", "esh", "at", "et",
                       "az", "ez", "an", "en", "ibn", "bin", "ben", "bint", "binti", "walad", "wald", "ould", "wuld"})  # fmt: skip
# Abbreviations written for the commonest name (Bangladesh, Pakistan, Malaysia): Md. Rahman.
ABBREVIATIONS = {"md": "muhammad", "mohd": "muhammad", "muhd": "muhammad", "mhd": "muhammad", "mohd.": "muhammad"}
# "Abd" (servant of) glued to an article and the name that follows: Abdulrahman, Abdel Rahman,
# Abdurrahman, Abd al-Rahman are all abd + rahman.
_ABD = re.compile(r"^a?bd(?:[aeiou]?l|[aeiou](?=([rsntdz])\1))?(.*)$")
# The Arabic article glued to the name in Latin letters: Alhassan, Elhassan (before a consonant
# and at least three more letters, so Alina, Elena and Ali are never read so). Alberto would be
# too: the unglued reading is therefore a second variant of the token, never a replacement.
_GLUED_ARTICLE = re.compile(r"^(?:al|el)(?=[bcdfghjklmnpqrstvwxz][a-z]{2}|[aeiou][a-z]{4})")
# The Arabic article in Arabic script, before it is transliterated to a bare "l".
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])ال(?=[\u0600-\u06ff]{2})")

# Inside an Arabic-script word, waw and ya are mostly long vowels (يوسف is Yusuf, not Ywsf); at
# its start they are consonants (وليد Walid, يوسف's first letter).
_ARABIC_LONG_VOWEL = re.compile(r"(?<=[\u0600-\u06ff])([\u0648\u064a\u06cc\u0649])")
_LONG_VOWEL_LATIN = {"\u0648": "u", "\u064a": "i", "\u06cc": "i", "\u0649": "a"}

# Transliteration variants folded before either reduction, longest first.
_DIGRAPHS = [("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("sh", "s"), ("ch", "s"),
             ("zh", "j"), ("dj", "j"), ("dzh", "j"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("w", "v"),
             ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ai", "i"), ("ey", "i"), ("ay", "i"),
             ("ie", "i"), ("c", "k")]  # fmt: skip
_SUFFIXES = [(re.compile(r"(?<=[a-z]{3})(ova|eva|ava)$"), "ov"), (re.compile(r"(?<=[a-z]{3})(ev|av)$"), "ov"),
             (re.compile(r"(?<=[a-z])h$"), "")]  # fmt: skip
_VOWEL_CLASS = str.maketrans({"a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u"})
_VOWELS = set("aeiouy")
_DOUBLED = re.compile(r"(.)\1+")


def _letters_only(text: str) -> str:
    """Letters, combining marks, spaces and hyphens: emoji and symbols are not names."""
    kept = (ch if unicodedata.category(ch)[0] in "LM" else " " for ch in unicodedata.normalize("NFC", text))
    return "".join(kept)


def tokens(name: str | None) -> list[str]:
    """The words of a name in lower-case Latin letters, articles and "son of" words left out,
    "Abd" compounds split, abbreviations of Muhammad written out. Empty when nothing is left
    (no letters, or a script without a transliteration): such a name cannot be compared."""
    # Azerbaijani ə is the a of every other spelling (Məmmədov, Mammadov); anyascii makes it e.
    text = _ARABIC_ARTICLE.sub("", _letters_only(name or "").replace("ə", "a").replace("Ə", "A"))
    text = _ARABIC_LONG_VOWEL.sub(lambda m: _LONG_VOWEL_LATIN[m.group(1)], text)
    words = search_key(text).split()
    found: list[str] = []
    for word in words:
        word = ABBREVIATIONS.get(word, word)
        if word in PARTICLES or not word.isascii() or not word.isalpha():
            continue
        abd = _ABD.match(word)
        if abd and len(abd.group(2)) >= 2:  # Abdulrahman, Abdurrahman: abd + rahman
            found += ["abd", _DOUBLED.sub(r"\1", abd.group(2)[:2]) + abd.group(2)[2:]]
            continue
        if abd and not abd.group(2):  # Abdel, Abdul, or Arabic bd standing alone
            found.append("abd")
            continue
        found.append(word)
    return found


# Other readings of one spelling, each a second variant (never a replacement), because the same
# sound is written several ways: kh for the Arabic kha or a plain k (Khaled, Kaled); th for tha,
# said s in Urdu, Persian and Turkish (Uthman, Usman, Osman); Russian g for h (Гасанов, Hasanov);
# French ou for w (Oualid, Walid); Azerbaijani x for kh and c for j (Xəlilov, Khalilov; Cavid, Javid).
_READINGS = [
    (re.compile(r"kh"), "k"),
    (re.compile(r"th"), "s"),
    (re.compile(r"^g(?=.*(?:ov|ev|ova|eva)$)"), "h"),
    (re.compile(r"^ou(?=[aeiy])"), "w"),
    (re.compile(r"x"), "kh"),
    (re.compile(r"c(?=[aeiou])"), "j"),
]


# Short forms people give for their name, where a list exists: the Russian and Georgian diminutives
# common among applicants from the former Soviet Union. Each is a second reading, like the variants.
NICKNAMES = {"sasha": "aleksandr", "sanya": "aleksandr", "misha": "mikhail", "kolya": "nikolai", "dima": "dmitri",
             "vova": "vladimir", "volodya": "vladimir", "seryozha": "sergei", "serezha": "sergei", "lyosha": "aleksei",
             "alyosha": "aleksei", "zhenya": "evgeni", "kostya": "konstantin", "tolya": "anatoli", "vitya": "viktor",
             "pasha": "pavel", "petya": "pyotr", "vanya": "ivan", "yura": "yuri", "slava": "vyacheslav",
             "lena": "elena", "tanya": "tatyana", "natasha": "natalya", "olya": "olga", "sveta": "svetlana",
             "katya": "ekaterina", "masha": "mariya", "nastya": "anastasiya", "lyuba": "lyubov", "ira": "irina",
             "dato": "davit", "soso": "ioseb", "gogi": "giorgi", "gia": "giorgi", "keti": "ketevan", "nino": "nino"}  # fmt: skip


def variants(token: str) -> list[str]:
    """The token and its other readings: without a glued article (alhassan: hassan), kh read k,
    th read s, a Russian-style g read h, a French ou read w, a nickname read as the full name."""
    found = [token]
    if NICKNAMES.get(token, token) != token:
        found.append(NICKNAMES[token])
    for candidate in (_GLUED_ARTICLE.sub("", token), *(p.sub(r, token) for p, r in _READINGS)):
        if candidate != token and candidate not in found:
            found.append(candidate)
    return found


def _fold(token: str) -> str:
    for old, new in _DIGRAPHS:
        token = token.replace(old, new)
    for pattern, replacement in _SUFFIXES:
        token = pattern.sub(replacement, token)
    return _DOUBLED.sub(r"\1", token)


def vowel_form(token: str) -> str:
    """The token with variants folded and vowels in three classes: muhamad, hasan, husin, mamidov."""
    return _DOUBLED.sub(r"\1", _fold(token).translate(_VOWEL_CLASS))


def skeleton(token: str) -> str:
    """The token's consonants after folding: what Latin and Arabic spellings share (mhmd, hsn, mmdv → mdv)."""
    consonants = "".join(ch for ch in _fold(token) if ch not in _VOWELS)
    return _DOUBLED.sub(r"\1", consonants)


def skeletons(name: str | None) -> list[str]:
    """The skeletons of every token of a name and of its variants, in order, each once; tokens
    with no consonant are left out. Several per name, so one spelling change does not hide a match."""
    found: list[str] = []
    for token in tokens(name):
        for variant in variants(token):
            key = skeleton(variant)
            if key and key not in found:
                found.append(key)
    return found


def comparable(name: str | None) -> bool:
    """Whether a name has anything to compare: at least one token of two letters or more."""
    return any(len(t) >= 2 for t in tokens(name))
