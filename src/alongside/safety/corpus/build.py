"""Build the labelled corpus from the hand-written templates, deterministically.

Each template (``templates_en.txt``, ``templates_es.txt``) is written by hand; this module
fills its slots and writes a few variants in the styles clients use (lower case without
punctuation, a typo, a disguised spelling, a conversational opener). The split into train,
dev and the locked test part is by template, stratified by language and category, so
that no test message is a restyled copy of a training one. Provenance is kept per message.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
CORPUS_PATH = HERE / "corpus.tsv"
AUTHOR = "written for Alongside by the safety v2 session, 2026-12-06"
VARIANTS = {"en": 6, "es": 7}

SLOTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "when": ["tonight", "this weekend", "tomorrow", "on friday", "after our session", "today"],
        "pills": ["pills", "meds", "sleeping pills", "antidepressants", "painkillers"],
        "place": ["closet", "car", "garage", "wardrobe"],
        "height": ["bridge", "parking garage", "roof", "overpass"],
        "who": ["my mum", "my boss", "my husband", "my dad", "my girlfriend"],
        "event": ["the argument", "work", "the call with my ex", "the funeral", "my exam"],
        "day": ["Thursday", "next Monday", "Friday at 5", "the 14th"],
        "thing": ["guitar", "books", "games console", "jewelry", "plants"],
    },
    "es": {
        "cuando": ["esta noche", "este fin de semana", "mañana", "hoy"],
        "pastillas": ["pastillas", "medicamentos", "pastillas para dormir", "antidepresivos"],
        "lugar": ["armario", "closet", "carro", "garaje"],
        "alto": ["puente", "edificio", "techo de mi casa", "balcón"],
        "evento": ["la pelea con mi mamá", "el trabajo", "hablar con mi ex", "el funeral"],
        "dia": ["jueves", "lunes", "viernes", "martes a las 5"],
        "cosa": ["guitarra", "ropa", "computadora", "bici"],
    },
}
OPENERS = {
    "en": ["hey, ", "sorry to message outside session but ", "idk ", "ok so ", "hi. "],
    "es": ["hola, ", "perdón que escriba fuera de sesión pero ", "no sé, ", "oye ", "buenas. "],
}
CLOSERS = {"en": [" tbh", "...", " idk", " 😞", ""], "es": [" la neta", "...", " no sé", " 😞", ""]}
RISK_WORDS = re.compile(
    r"\b(?:kill\w*|suicid\w*|die|dead|cut\w*|myself|pills|hurt\w*|harm|matar\w*|morir\w*|muert\w*|cort\w*|suicid\w*|pastillas|lastim\w*)\b",
    re.IGNORECASE,
)
LEET = str.maketrans({"i": "1", "e": "3", "o": "0", "a": "4", "s": "5"})


@dataclass(frozen=True)
class Template:
    id: str
    language: str
    category: str
    level: str
    text: str


def templates() -> list[Template]:
    out = []
    for language in ("en", "es"):
        path = HERE / f"templates_{language}.txt"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            category, level, text = (part.strip() for part in line.split("|", 2))
            out.append(Template(f"{language}{number:03d}", language, category, level, text))
    return out


def _fill(template: Template, rng: random.Random) -> str:
    slots = SLOTS[template.language]
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(slots[m.group(1)]), template.text)


def _disguise(text: str, rng: random.Random) -> str:
    words = RISK_WORDS.findall(text)
    if not words:
        return text.lower()
    word = rng.choice(words)
    style = rng.choice(["leet", "spaced", "stretched", "bang"])
    if style == "leet":
        new = word.lower().translate(LEET)
    elif style == "spaced":
        new = " ".join(word.lower())
    elif style == "stretched":
        vowel = next((i for i, c in enumerate(word) if c.lower() in "aeiou"), 0)
        new = word[: vowel + 1] + word[vowel] * 4 + word[vowel + 1 :]
    else:
        new = word.replace("i", "!", 1) if "i" in word else word.replace("o", "0", 1)
    return text.replace(word, new, 1)


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def _style(text: str, language: str, variant: int, rng: random.Random) -> tuple[str, str]:
    if variant == 0:
        return text, "as written"
    choice = ["lower", "typo", "disguise", "opener", "lower", "disguise"][(variant - 1 + rng.randrange(6)) % 6]
    if choice == "lower":
        return re.sub(r"[.!?¿¡]", "", text).lower(), "lower case, no punctuation"
    if choice == "typo":
        return _typo(text, rng), "typo"
    if choice == "disguise":
        return _disguise(text, rng), "disguised spelling"
    opener = rng.choice(OPENERS[language])
    return opener + text[0].lower() + text[1:] + rng.choice(CLOSERS[language]), "conversational framing"


def _split(stratum: list[Template]) -> dict[str, str]:
    ordered = sorted(stratum, key=lambda t: hashlib.sha256(t.text.encode()).hexdigest())
    out = {}
    size = len(ordered)
    for index, template in enumerate(ordered):
        share = (index + 0.5) / size  # test and dev take the last 30% of each stratum's templates
        out[template.id] = "train" if share < 0.7 else ("dev" if share < 0.85 else "test")
    return out


def build() -> list[dict[str, str]]:
    """Return the corpus rows (deterministic)."""
    all_templates = templates()
    strata: dict[tuple[str, str], list[Template]] = {}
    for t in all_templates:
        strata.setdefault((t.language, t.category), []).append(t)
    split: dict[str, str] = {}
    for stratum in strata.values():
        split.update(_split(stratum))
    rows, seen = [], set()
    for t in all_templates:
        # A seeded, repeatable corpus, not a secret.
        rng = random.Random(f"{t.id}:{t.text}")  # noqa: S311  # nosec B311
        for variant in range(VARIANTS[t.language]):
            text, style = _style(_fill(t, rng), t.language, variant, rng)
            if text in seen:
                continue
            seen.add(text)
            rows.append(
                {
                    "id": f"{t.id}-{variant}",
                    "split": split[t.id],
                    "label": "0" if t.level == "none" else "1",
                    "level": t.level,
                    "language": t.language,
                    "category": t.category,
                    "source": f"{AUTHOR}; template {t.id}; {style}",
                    "text": text,
                }
            )
    rows.extend(_handwritten(seen))
    rows.extend(_validation(seen))
    rows.extend(_probe_rows(TRAINING_PROBES, "train", seen))
    return rows


# Fresh probes written before the detector saw them, kept afterwards as the validation (dev)
# part on which the classifier's thresholds are chosen; never the locked test part.
VALIDATION_PROBES = ("probe13_2026-12-06.tsv",)
# Fresh probes added to the train part only after their first run was recorded
# (``probes/probeNN_first_run.txt``): the classifier learns their wordings, and a later probe
# (never one of these) measures whether that generalises. Probe 10 is already mostly in the
# templates; probe 13 is the validation part.
TRAINING_PROBES = tuple(
    f"probe{n}_2026-12-0{6 if n < 16 else 7}.tsv" for n in (11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22)
)


def _validation(seen: set[str]) -> list[dict[str, str]]:
    """The rows of the validation probes, in the dev part, as written."""
    return _probe_rows(VALIDATION_PROBES, "dev", seen)


def _probe_rows(names: tuple[str, ...], split: str, seen: set[str]) -> list[dict[str, str]]:
    """The rows of the named probe files, in the given part, as written."""
    rows = []
    for name in names:
        path = HERE / "probes" / name
        with path.open(encoding="utf-8", newline="") as f:
            for number, row in enumerate(csv.DictReader(f, delimiter="\t"), 1):
                if row["text"] in seen:
                    continue
                seen.add(row["text"])
                rows.append(
                    {
                        "id": f"{name.split('_')[0]}-{number:03d}",
                        "split": split,
                        "label": row["label"],
                        "level": row["level"],
                        "language": row["language"],
                        "category": row["category"],
                        "source": f"{AUTHOR}; fresh probe {name}, labelled before the detector ran on it",
                        "text": row["text"],
                    }
                )
    return rows


def _handwritten(seen: set[str]) -> list[dict[str, str]]:
    """Single hand-written messages (``handwritten_*.txt``): train part only, as written."""
    rows = []
    for language in ("en", "es"):
        path = HERE / f"handwritten_{language}.txt"
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            category, level, text = (part.strip() for part in line.split("|", 2))
            if text in seen:
                continue
            seen.add(text)
            rows.append(
                {
                    "id": f"h{language}{number:03d}",
                    "split": "train",
                    "label": "0" if level == "none" else "1",
                    "level": level,
                    "language": language,
                    "category": category,
                    "source": f"{AUTHOR}; hand-written single message",
                    "text": text,
                }
            )
    return rows


FIELDS = ["id", "split", "label", "level", "language", "category", "source", "text"]


def write(rows: list[dict[str, str]], path: Path = CORPUS_PATH) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(rows)


def read(path: Path = CORPUS_PATH) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))
