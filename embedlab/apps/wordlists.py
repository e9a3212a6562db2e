"""Word lists for the linear probes, written for embedlab (common English nouns; countries and the
continent they lie in, one-word names only), and the VADER sentiment lexicon (Hutto & Gilbert 2014; MIT
licence) read from the ``vaderSentiment`` package when it is installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

# singular -> plural (regular and irregular)
NOUNS = {
    "cat": "cats",
    "dog": "dogs",
    "house": "houses",
    "car": "cars",
    "tree": "trees",
    "book": "books",
    "city": "cities",
    "country": "countries",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "foot": "feet",
    "tooth": "teeth",
    "goose": "geese",
    "person": "people",
    "box": "boxes",
    "church": "churches",
    "bus": "buses",
    "baby": "babies",
    "party": "parties",
    "knife": "knives",
    "leaf": "leaves",
    "wolf": "wolves",
    "life": "lives",
    "wife": "wives",
    "horse": "horses",
    "bird": "birds",
    "river": "rivers",
    "mountain": "mountains",
    "road": "roads",
    "school": "schools",
    "student": "students",
    "teacher": "teachers",
    "doctor": "doctors",
    "friend": "friends",
    "family": "families",
    "story": "stories",
    "game": "games",
    "player": "players",
    "team": "teams",
    "song": "songs",
    "film": "films",
    "letter": "letters",
    "word": "words",
    "idea": "ideas",
    "question": "questions",
    "problem": "problems",
    "system": "systems",
    "company": "companies",
    "market": "markets",
    "bank": "banks",
    "price": "prices",
    "job": "jobs",
    "worker": "workers",
    "farmer": "farmers",
    "soldier": "soldiers",
    "officer": "officers",
    "island": "islands",
    "village": "villages",
    "street": "streets",
    "window": "windows",
    "door": "doors",
    "table": "tables",
    "chair": "chairs",
    "bed": "beds",
    "room": "rooms",
    "wall": "walls",
    "flower": "flowers",
    "apple": "apples",
    "egg": "eggs",
    "potato": "potatoes",
    "tomato": "tomatoes",
    "hero": "heroes",
    "girl": "girls",
    "boy": "boys",
    "king": "kings",
    "queen": "queens",
    "star": "stars",
    "planet": "planets",
    "ship": "ships",
    "boat": "boats",
    "plane": "planes",
    "train": "trains",
    "computer": "computers",
    "phone": "phones",
    "camera": "cameras",
    "hand": "hands",
    "eye": "eyes",
    "ear": "ears",
    "head": "heads",
    "arm": "arms",
    "leg": "legs",
    "heart": "hearts",
    "animal": "animals",
    "ox": "oxen",
    "cactus": "cacti",
    "crisis": "crises",
    "thesis": "theses",
    "analysis": "analyses",
    "medium": "media",
    "criterion": "criteria",
    "glass": "glasses",
    "dress": "dresses",
    "watch": "watches",
    "dish": "dishes",
    "kiss": "kisses",
    "lady": "ladies",
    "army": "armies",
    "enemy": "enemies",
    "key": "keys",
    "toy": "toys",
    "day": "days",
    "year": "years",
    "week": "weeks",
    "month": "months",
    "hour": "hours",
    "minute": "minutes",
    "nation": "nations",
    "state": "states",
    "member": "members",
    "leader": "leaders",
    "voter": "voters",
    "election": "elections",
    "law": "laws",
    "court": "courts",
    "judge": "judges",
    "lawyer": "lawyers",
}

# one-word country names -> continent
COUNTRIES = {
    "Africa": "nigeria ethiopia egypt kenya ghana morocco algeria tunisia libya sudan uganda tanzania "
    "zambia zimbabwe mozambique angola namibia botswana senegal mali niger chad cameroon "
    "somalia rwanda burundi malawi madagascar liberia guinea gabon benin togo mauritania eritrea",
    "Asia": "china japan india pakistan bangladesh indonesia thailand vietnam malaysia singapore "
    "philippines korea mongolia nepal bhutan afghanistan iran iraq syria jordan lebanon israel "
    "kuwait qatar oman yemen kazakhstan uzbekistan turkmenistan kyrgyzstan tajikistan cambodia "
    "laos myanmar taiwan",
    "Europe": "france germany italy spain portugal greece poland hungary austria switzerland belgium "
    "netherlands denmark norway sweden finland ireland britain iceland romania bulgaria serbia "
    "croatia slovenia slovakia albania ukraine belarus lithuania latvia estonia moldova "
    "luxembourg macedonia",
    "Americas": "canada mexico brazil argentina chile peru colombia venezuela ecuador bolivia paraguay "
    "uruguay cuba jamaica haiti guatemala honduras nicaragua panama bahamas barbados "
    "guyana suriname belize",
    "Oceania": "australia fiji samoa tonga vanuatu kiribati tuvalu nauru palau micronesia",
}
COUNTRY_CONTINENT = {c: cont for cont, names in COUNTRIES.items() for c in names.split()}

# words for the sentiment probe when vaderSentiment is not installed (written for embedlab)
SENTIMENT_FALLBACK = {
    "pos": "good great excellent wonderful happy love lovely beautiful best brilliant amazing fantastic "
    "superb delightful pleasant joy joyful glad nice perfect success successful win winner "
    "admire adore charming cheerful enjoy enjoyed fabulous fine generous gentle graceful "
    "grateful helpful honest hope kind laugh lucky marvelous outstanding peace positive praise "
    "proud remarkable safe smile splendid strong terrific thank triumph trust warm wise",
    "neg": "bad terrible awful horrible sad hate ugly worst poor evil angry fear afraid pain painful "
    "disaster failure fail loser cruel dirty disgusting dreadful grim guilty hurt ill lonely "
    "nasty negative nightmare miserable stupid tragic tragedy upset violent weak worried worse "
    "wrong boring annoying anxious bitter broken crash crime damage dead death destroy "
    "disappointing error",
}


def vader_lexicon(min_abs: float = 1.0) -> dict[str, str]:
    """One-word, letters-only VADER entries with ``|mean valence| >= min_abs``, labelled pos / neg.

    Falls back to :data:`SENTIMENT_FALLBACK` when ``vaderSentiment`` is not installed.
    """
    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or not spec.submodule_search_locations:
        return {w: lab for lab, words in SENTIMENT_FALLBACK.items() for w in words.split()}
    path = Path(list(spec.submodule_search_locations)[0]) / "vader_lexicon.txt"
    out = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].isalpha():
            continue
        try:
            v = float(parts[1])
        except ValueError:
            continue
        if abs(v) >= min_abs:
            out[parts[0].lower()] = "pos" if v > 0 else "neg"
    return out
