#!/usr/bin/env bash
# Creates .venv and installs the pinned requirements when they changed.
# Used by every make target, so a fresh clone needs nothing but Python 3.11+.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "python3-venv manquant : installation par apt-get…"
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$PYTHON" -m venv "$VENV"
    else
      echo "Impossible de créer l'environnement virtuel : installez python3-venv (sudo apt-get install python3-venv)." >&2
      exit 1
    fi
  fi
fi
# The spoken CAPTCHA (titres/accounts/speech.py) needs espeak-ng, a Debian
# package: installed once when we can (root with apt-get); without it the
# form offers the image only and `manage.py check --deploy` warns (accounts.W001).
if ! command -v espeak-ng >/dev/null && [ ! -f "$VENV/.espeak-ng-tried" ]; then
  touch "$VENV/.espeak-ng-tried"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "espeak-ng manquant (code de sécurité sonore) : installation par apt-get…"
    (apt-get update -qq && apt-get install -y -qq espeak-ng >/dev/null) ||
      echo "espeak-ng non installé : le code de sécurité sera proposé en image seulement." >&2
  else
    echo "espeak-ng absent : installez-le (sudo apt-get install espeak-ng) pour le code de sécurité sonore." >&2
  fi
fi
stamp="$VENV/.requirements-$(cat requirements/base.txt requirements/dev.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
  rm -f "$VENV"/.requirements-*
  touch "$stamp"
fi
