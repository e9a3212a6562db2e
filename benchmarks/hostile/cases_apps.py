"""Page cases (issue 22, second round, items 1, 2, 7, 13), run through what the page calls: the table
downloads (formula-like cells), a bug in a page (the app under AppTest), a CSV cell over 128 KB on Use →
Classify, and binary data to summarise on Use → Summarise.

Each script prints what the page would show: the downloaded file's bytes, the page's messages, or the
sentence of an embedlab error (as ``ui.common.user_errors`` shows it).
"""

from __future__ import annotations

import re
from pathlib import Path

from hostile import Case
from hostile.cases_cli import _long_cell_csv

HOSTILE = ['=HYPERLINK("http://x","wildfire") wildfire near Sydney', "=cmd|' /C calc'!A0 fires burn",
           "@SUM(1+1) fire fighters", "+1+cmd|' /C calc'!A0 bushfire", "a quiet afternoon at the beach"]
_FORMULA_CELL = re.compile(r'(^|[\r\n,])"?[=@+]')


def _script(body: str) -> list[str]:
    return ["{python}", "-c", body]


def _no_formula(out: str, _err: str) -> bool:
    return bool(out.strip()) and not _FORMULA_CELL.search(out)


def _hostile_docs(w: Path) -> None:
    (w / "hostile.txt").write_text("\n".join(HOSTILE) + "\n", encoding="utf-8")


SEARCH_HITS = _script(
    "import sys\n"
    "from embedlab.apps.search import compare_search\n"
    "from embedlab.sentences import read_upload\n"
    "from ui.downloads import csv_bytes\n"
    "docs = read_upload('hostile.txt', open('hostile.txt', 'rb').read()).sentences\n"
    "sys.stdout.write(csv_bytes(compare_search(docs, 'wildfire near Sydney', 8)).decode())\n")

CONFUSION = _script(
    "import sys\nimport pandas as pd\nfrom ui.downloads import csv_bytes\n"
    "labels = [\"=cmd|' /C calc'!A0\", '@SUM(1+1)', '-neg']\n"
    "matrix = pd.DataFrame([[3, 1, 0], [0, 4, 1], [2, 0, 5]], index=labels, columns=labels)\n"
    "sys.stdout.write(csv_bytes(matrix.rename_axis('true label').reset_index()).decode())\n")

LONG_CELL = _script(
    "import sys\nfrom embedlab.apps.data import read_labelled_csv\n"
    "from embedlab.errors import EmbedlabError\n"
    "try:\n    got = read_labelled_csv('long.csv', open('long.csv', 'rb').read(), 'text', 'label')\n"
    "except EmbedlabError as exc:\n    print('page shows:', exc)\n    sys.exit(2)\n"
    "print(f'{len(got.texts)} texts, the longest {max(map(len, got.texts)):,} characters')\n")

BINARY_SUMMARY = _script(
    "import sys, zlib\nfrom embedlab.apps.summarise import summarise\n"
    "from embedlab.errors import EmbedlabError\n"
    "data = zlib.compress(b'the cat sat on the mat. ' * 5000) + bytes(range(256))\n"
    "try:\n    s = summarise(data.decode('utf-8', errors='replace'), k=3)\n"
    "except EmbedlabError as exc:\n    print('page shows:', exc)\n    sys.exit(2)\n"
    "print('summary:', s.text[:80].encode('unicode_escape').decode())\n")

PAGE_BUG = _script(
    "import logging, os, sys\nfrom pathlib import Path\n"
    "root = Path(os.environ['PYTHONPATH'].split(os.pathsep)[0])\n"
    "logging.getLogger('embedlab.app').addHandler(logging.NullHandler())  # the server log: not on the page\n"
    "logging.getLogger('embedlab.app').propagate = False\n"
    "import streamlit.logger\n"
    "streamlit.logger.set_log_level('error')  # no 'missing ScriptRunContext' warnings (bare mode)\n"
    "import embedlab.catalog\n"
    "def boom(*args, **kwargs):\n    raise TypeError('simulated bug in space_summary')\n"
    "embedlab.catalog.space_summary = boom\n"
    "from streamlit.testing.v1 import AppTest\n"
    "app = AppTest.from_file(str(root / 'app.py'), default_timeout=60)\napp.run()\n"
    "for e in app.exception:\n"
    "    print('page shows a traceback:', e.message)\n"
    "    print('Traceback (most recent call last):', *e.stack_trace, sep='\\n')\n"
    "for e in app.error:\n    print('page shows:', e.value.replace('\\\\', ''))\n"
    "for x in app.expander:\n    print('expander (closed):', x.label)\n")

CASES = [
    Case("Search hits CSV: formula texts", SEARCH_HITS, setup=_hostile_docs, check=_no_formula),
    Case("Classify matrix CSV: formula labels", CONFUSION, check=_no_formula),
    Case("a bug in a page: sentence + details", PAGE_BUG,
         check=lambda out, err: "did not expect" in out and "Details for a bug report" in out),
    Case("Use Classify: a CSV cell over 128 KB", LONG_CELL, setup=_long_cell_csv,
         check=lambda out, err: "31 texts" in out),
    Case("Use Summarise: binary data", BINARY_SUMMARY, check=lambda out, err: "binary data, not text" in out),
]
