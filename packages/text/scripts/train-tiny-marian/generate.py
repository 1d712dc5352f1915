"""Generate template English sentences and translate them to Spanish with Debian's apertium.

Usage: python3 generate.py <out_dir> [count]
Writes <out_dir>/pairs.tsv (english \t spanish). Deterministic (seed 13).
Every word comes from the lists below, so the trained model only knows this vocabulary.
"""

import random
import subprocess
import sys
from pathlib import Path

NOUNS = [  # singular, plural
    ("cat", "cats"), ("dog", "dogs"), ("house", "houses"), ("car", "cars"), ("book", "books"),
    ("man", "men"), ("woman", "women"), ("child", "children"), ("boy", "boys"), ("girl", "girls"),
    ("friend", "friends"), ("teacher", "teachers"), ("student", "students"), ("doctor", "doctors"),
    ("city", "cities"), ("country", "countries"), ("table", "tables"), ("chair", "chairs"),
    ("window", "windows"), ("door", "doors"), ("tree", "trees"), ("flower", "flowers"),
    ("bird", "birds"), ("fish", "fish"), ("horse", "horses"), ("apple", "apples"), ("bread", "breads"),
    ("water", "waters"), ("letter", "letters"), ("school", "schools"), ("street", "streets"),
    ("garden", "gardens"), ("river", "rivers"), ("mountain", "mountains"), ("computer", "computers"),
    ("phone", "phones"), ("song", "songs"), ("room", "rooms"), ("kitchen", "kitchens"),
    ("mother", "mothers"), ("father", "fathers"), ("brother", "brothers"), ("sister", "sisters"),
    ("king", "kings"), ("queen", "queens"), ("hand", "hands"), ("head", "heads"), ("eye", "eyes"),
    ("day", "days"), ("night", "nights"), ("week", "weeks"), ("year", "years"), ("word", "words"),
    ("question", "questions"), ("answer", "answers"), ("problem", "problems"), ("idea", "ideas"),
    ("game", "games"), ("ball", "balls"), ("box", "boxes"), ("cup", "cups"), ("glass", "glasses"),
    ("shirt", "shirts"), ("shoe", "shoes"), ("hat", "hats"), ("bed", "beds"), ("train", "trains"),
    ("ship", "ships"), ("plane", "planes"), ("road", "roads"), ("bridge", "bridges"),
    ("village", "villages"), ("market", "markets"), ("shop", "shops"), ("office", "offices"),
    ("hospital", "hospitals"), ("church", "churches"), ("library", "libraries"), ("park", "parks"),
    ("beach", "beaches"), ("sea", "seas"), ("sun", "suns"), ("moon", "moons"), ("star", "stars"),
    ("cloud", "clouds"), ("picture", "pictures"), ("film", "films"), ("story", "stories"),
    ("newspaper", "newspapers"), ("key", "keys"), ("bag", "bags"), ("bottle", "bottles"),
    ("egg", "eggs"), ("cake", "cakes"), ("orange", "oranges"), ("banana", "bananas"),
    ("potato", "potatoes"), ("tomato", "tomatoes"), ("chicken", "chickens"), ("cow", "cows"),
    ("pig", "pigs"), ("sheep", "sheep"), ("mouse", "mice"), ("student", "students"),
    ("worker", "workers"), ("farmer", "farmers"), ("singer", "singers"), ("writer", "writers"),
    ("painter", "painters"), ("neighbour", "neighbours"), ("guest", "guests"), ("baby", "babies"),
    ("family", "families"), ("language", "languages"), ("music", "musics"), ("dinner", "dinners"),
    ("breakfast", "breakfasts"), ("lunch", "lunches"), ("pen", "pens"), ("pencil", "pencils"),
    ("clock", "clocks"), ("wall", "walls"), ("floor", "floors"), ("island", "islands"),
    ("forest", "forests"), ("lake", "lakes"), ("field", "fields"), ("rain", "rains"),
    ("gift", "gifts"), ("map", "maps"), ("dress", "dresses"), ("coat", "coats"), ("student", "students"),
]
NOUNS = list(dict.fromkeys(NOUNS))
ADJECTIVES = [
    "big", "small", "old", "new", "young", "good", "bad", "beautiful", "ugly", "happy", "sad",
    "red", "blue", "green", "white", "black", "yellow", "long", "short", "tall", "fast", "slow",
    "hot", "cold", "clean", "dirty", "rich", "poor", "strong", "weak", "cheap", "expensive",
    "easy", "difficult", "quiet", "tired",
]
VERBS = [  # base, 3sg, past, -ing, transitive?
    ("see", "sees", "saw", "seeing", True), ("have", "has", "had", "having", True),
    ("want", "wants", "wanted", "wanting", True), ("like", "likes", "liked", "liking", True),
    ("love", "loves", "loved", "loving", True), ("buy", "buys", "bought", "buying", True),
    ("sell", "sells", "sold", "selling", True), ("eat", "eats", "ate", "eating", True),
    ("drink", "drinks", "drank", "drinking", True), ("read", "reads", "read", "reading", True),
    ("write", "writes", "wrote", "writing", True), ("open", "opens", "opened", "opening", True),
    ("close", "closes", "closed", "closing", True), ("find", "finds", "found", "finding", True),
    ("need", "needs", "needed", "needing", True), ("paint", "paints", "painted", "painting", True),
    ("clean", "cleans", "cleaned", "cleaning", True), ("carry", "carries", "carried", "carrying", True),
    ("take", "takes", "took", "taking", True), ("bring", "brings", "brought", "bringing", True),
    ("watch", "watches", "watched", "watching", True), ("hear", "hears", "heard", "hearing", True),
    ("know", "knows", "knew", "knowing", True), ("help", "helps", "helped", "helping", True),
    ("call", "calls", "called", "calling", True), ("visit", "visits", "visited", "visiting", True),
    ("wash", "washes", "washed", "washing", True), ("cook", "cooks", "cooked", "cooking", True),
    ("draw", "draws", "drew", "drawing", True), ("lose", "loses", "lost", "losing", True),
    ("follow", "follows", "followed", "following", True), ("build", "builds", "built", "building", True),
    ("sleep", "sleeps", "slept", "sleeping", False), ("run", "runs", "ran", "running", False),
    ("walk", "walks", "walked", "walking", False), ("sing", "sings", "sang", "singing", False),
    ("work", "works", "worked", "working", False), ("swim", "swims", "swam", "swimming", False),
    ("dance", "dances", "danced", "dancing", False), ("play", "plays", "played", "playing", False),
    ("laugh", "laughs", "laughed", "laughing", False), ("cry", "cries", "cried", "crying", False),
    ("live", "lives", "lived", "living", False), ("arrive", "arrives", "arrived", "arriving", False),
    ("wait", "waits", "waited", "waiting", False), ("speak", "speaks", "spoke", "speaking", False),
    ("travel", "travels", "travelled", "travelling", False),
]
PRONOUNS = [  # subject, person/number key
    ("I", "1s"), ("you", "2"), ("he", "3s"), ("she", "3s"), ("we", "1p"), ("they", "3p"),
]
OBJ_PRONOUNS = ["me", "you", "him", "her", "us", "them", "it"]
DETS_S = ["the", "a", "this", "that", "my", "your", "his", "her", "our", "their"]
DETS_P = ["the", "these", "those", "my", "your", "his", "her", "our", "their", "some", "many"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
PREPS = ["in", "on", "near", "under", "behind", "with", "without", "for"]
PLACES = ["in the house", "in the garden", "in the city", "at school", "at home", "in the park",
          "on the table", "near the river", "in the kitchen", "at the office", "on the beach"]
TIMES_PRESENT = ["every day", "today", "now", "often", "always", "sometimes", "every morning"]
TIMES_PAST = ["yesterday", "last week", "last year", "this morning"]
TIMES_FUTURE = ["tomorrow", "next week", "next year", "soon"]


def noun_phrase(rng: random.Random, allow_adj: bool = True):
    """Returns (text, is_plural)."""
    sing, plur = rng.choice(NOUNS)
    plural = rng.random() < 0.35
    adj = rng.choice(ADJECTIVES) + " " if allow_adj and rng.random() < 0.35 else ""
    if plural:
        if rng.random() < 0.2:
            return f"{rng.choice(NUMBERS)} {adj}{plur}", True
        return f"{rng.choice(DETS_P)} {adj}{plur}", True
    det = rng.choice(DETS_S)
    if det == "a" and (adj or sing)[0] in "aeiou":
        det = "an"
    return f"{det} {adj}{sing}", False


def subject(rng: random.Random):
    """Returns (text, agreement key)."""
    if rng.random() < 0.4:
        return rng.choice(PRONOUNS)
    np, plural = noun_phrase(rng)
    return np, "3p" if plural else "3s"


def be(key: str, tense: str) -> str:
    if tense == "past":
        return "were" if key in ("2", "1p", "3p") else "was"
    return {"1s": "am", "3s": "is"}.get(key, "are")


def clause(rng: random.Random) -> str:
    subj, key = subject(rng)
    base, s3, past, ing, trans = rng.choice(VERBS)
    tense = rng.choices(["present", "past", "future", "progressive", "copula"], [4, 3, 2, 2, 2])[0]
    neg = rng.random() < 0.15
    obj = ""
    if trans:
        obj = " " + (rng.choice(OBJ_PRONOUNS) if rng.random() < 0.15 else noun_phrase(rng)[0])
    if tense == "copula":
        rest = rng.choice(ADJECTIVES) if rng.random() < 0.6 else rng.choice(PLACES)
        return f"{subj} {be(key, 'present' if rng.random() < 0.6 else 'past')}{' not' if neg else ''} {rest}"
    if tense == "present":
        if neg:
            aux = "does" if key == "3s" else "do"
            verb = f"{aux} not {base}"
        else:
            verb = s3 if key == "3s" else base
        time = rng.choice(TIMES_PRESENT)
    elif tense == "past":
        verb = f"did not {base}" if neg else past
        time = rng.choice(TIMES_PAST)
    elif tense == "future":
        verb = f"will {'not ' if neg else ''}{base}"
        time = rng.choice(TIMES_FUTURE)
    else:
        verb = f"{be(key, 'present')} {'not ' if neg else ''}{ing}"
        time = "now"
    text = f"{subj} {verb}{obj}"
    r = rng.random()
    if r < 0.2:
        text += " " + rng.choice(PLACES)
    elif r < 0.35:
        text += " " + time
    elif r < 0.45 and not trans:
        text += f" {rng.choice(PREPS)} {noun_phrase(rng, False)[0]}"
    return text


def sentence(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.12:  # bare noun phrase
        return noun_phrase(rng)[0]
    if r < 0.2:  # there is / are
        np, plural = noun_phrase(rng)
        return f"there {'are' if plural else 'is'} {np} {rng.choice(PLACES)}"
    if r < 0.3:  # yes/no question
        subj, key = subject(rng)
        base, *_rest = rng.choice(VERBS)
        aux = "does" if key == "3s" else "do"
        q = f"{aux} {subj} {base}"
        if _rest[3]:
            q += " " + noun_phrase(rng)[0]
        return q + "?"
    s = clause(rng)
    if rng.random() < 0.08:
        s += " and " + clause(rng)
    return s


def finish(text: str) -> str:
    if text.endswith("?"):
        return text[0].upper() + text[1:]
    return text[0].upper() + text[1:] + "." if len(text.split()) > 3 else text


def apertium(lines: list[str]) -> list[str]:
    # One sentence per paragraph: apertium keeps blank-line-separated blocks aligned.
    proc = subprocess.run(
        ["apertium", "-u", "eng-spa"], input="\n\n".join(lines) + "\n", capture_output=True, text=True, check=True
    )
    out = [block.strip() for block in proc.stdout.strip("\n").split("\n\n")]
    if len(out) != len(lines):
        raise RuntimeError(f"apertium returned {len(out)} lines for {len(lines)}")
    return out


def main() -> None:
    out_dir = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 80000
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(13)
    seen: set[str] = set()
    english: list[str] = []
    # Single words and the simplest phrases first, so the model sees every vocabulary item.
    for sing, plur in NOUNS:
        for w in (f"the {sing}", f"the {plur}", f"a {sing}" if sing[0] not in "aeiou" else f"an {sing}"):
            if w not in seen:
                seen.add(w)
                english.append(w)
    while len(english) < count:
        s = finish(sentence(rng))
        if s not in seen:
            seen.add(s)
            english.append(s)
    pairs = []
    for i in range(0, len(english), 5000):
        chunk = english[i : i + 5000]
        for en, es in zip(chunk, apertium(chunk)):
            if any(c in es for c in "*#@"):
                continue
            if en[0].islower() and es[:1].isupper():
                es = es[0].lower() + es[1:]
            pairs.append((en, es))
    with open(out_dir / "pairs.tsv", "w", encoding="utf-8") as f:
        for en, es in pairs:
            f.write(f"{en}\t{es}\n")
    print(f"{len(pairs)} pairs from {len(english)} sentences")


if __name__ == "__main__":
    main()
