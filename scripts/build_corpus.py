"""Build the default training corpus shipped in ``sample_data/corpus/`` (run once, offline).

Sources (all available offline on Debian with the project's Python dependencies):

* WordNet 3.0 glosses and example sentences from Debian's ``wordnet-base`` package
  (``/usr/share/wordnet/data.*``; WordNet 3.0 licence, Princeton University), each synset prefixed by
  its words ("king , male monarch : a male sovereign ; ruler of a kingdom"), in file order within each
  lexicographer file (noun.animal, verb.motion, ...), so neighbouring glosses are on related topics.
* The shortened English Wikipedia dump shipped with gensim's test data
  (``enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2``; 206 articles, CC BY-SA 3.0 /
  GFDL), markup stripped with gensim's ``filter_wiki``.
* gensim's ``lee_background.cor`` (Lee et al. 2005 news corpus, 300 short Australian news articles).

Output: ``sample_data/corpus/default.txt.gz`` — one *document* per line (at most :data:`DOC_TOKENS`
tokens: consecutive glosses of one lexicographer file, paragraphs of one article, one news article),
tokens separated by single spaces, original case and punctuation kept as separate tokens, so the app's
options (lower-case, strip punctuation, min count, max vocabulary) still apply. Lines are documents, not
single glosses, because every trainer (word2vec, our GloVe, and the reference GloVe C code, where a
newline ends the context) stops its window at a line end: with one ~18-token gloss per line, a 10-word
window was cut short almost everywhere (GloVe WordSim-353 0.257 instead of 0.30). Usage::

    apt-get install wordnet-base      # once, provides /usr/share/wordnet
    python scripts/build_corpus.py [--out sample_data/corpus/default.txt.gz]
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import re
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from wordnet_files import WORDNET, synset_records  # the scripts folder is on sys.path

TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
WIKI = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
DOC_TOKENS = 200  # about a paragraph (well under embedlab.train.corpus.MAX_SENTENCE: no line is cut)


def tokens(text: str) -> str:
    return " ".join(TOKEN.findall(text))


def pack(pieces: Iterable[str], limit: int = DOC_TOKENS) -> Iterator[str]:
    """Join consecutive pieces of one document into lines of at most ``limit`` tokens (longer: alone)."""
    line: list[str] = []
    size = 0
    for piece in pieces:
        n = piece.count(" ") + 1
        if line and size + n > limit:
            yield " ".join(line)
            line, size = [], 0
        line.append(piece)
        size += n
    if line:
        yield " ".join(line)


def wordnet_lines(folder: Path = WORDNET) -> Iterator[str]:
    """Synsets (words, then gloss and examples) packed into documents within each lexicographer file."""
    for _lexfile, group in groupby(_wordnet_synsets(folder), key=lambda kv: kv[0]):
        yield from pack(text for _, text in group)


def _wordnet_synsets(folder: Path) -> Iterator[tuple[tuple[str, str], str]]:
    """``((pos, lexicographer file number), "words : gloss")`` per synset, in file order."""
    for pos, f, gloss in synset_records(folder):
        n = int(f[3], 16)
        words = [re.sub(r"\(.*\)$", "", w).replace("_", " ") for w in f[4:4 + 2 * n:2]]
        yield (pos, f[1]), tokens(" , ".join(words) + " : " + gloss.strip())


def wiki_lines() -> Iterator[str]:
    from gensim.corpora.wikicorpus import extract_pages, filter_wiki
    from gensim.test.utils import datapath

    with bz2.open(datapath(WIKI)) as fh:
        for _title, text, _pid in extract_pages(fh):
            paras = (re.sub(r"^[=*#:;|!\s]+|[=]+\s*$", "", p).strip() for p in filter_wiki(text).splitlines())
            yield from pack(tokens(p) for p in paras if len(p.split()) >= 4)


def lee_lines() -> Iterator[str]:
    from gensim.test.utils import datapath

    with open(datapath("lee_background.cor"), encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip():
                yield tokens(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / "sample_data" / "corpus" / "default.txt.gz"
    ap.add_argument("--out", default=str(default))
    args = ap.parse_args()
    n_lines = n_tok = 0
    # mtime=0: the same input gives a byte-identical file
    with gzip.GzipFile(args.out, "wb", compresslevel=9, mtime=0) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8") as out:
        for source in (wordnet_lines(), wiki_lines(), lee_lines()):
            for line in source:
                if line:
                    out.write(line + "\n")
                    n_lines += 1
                    n_tok += line.count(" ") + 1
    print(f"wrote {args.out}: {n_lines:,} lines, {n_tok:,} tokens")


if __name__ == "__main__":
    main()
