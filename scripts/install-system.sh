#!/usr/bin/env bash
# System packages Kuntahaku uses: libvoikko + the Finnish Voikko dictionary (Debian).
# Idempotent; never fatal: without Voikko the analyzer falls back to Snowball Finnish.
set -u
if dpkg -s libvoikko1 voikko-fi >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  sudo_cmd=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo_cmd="sudo"
else
  echo "install-system: cannot install libvoikko1/voikko-fi (not root); Snowball Finnish will be used" >&2
  exit 0
fi
$sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
if ! DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libvoikko1 voikko-fi >/dev/null; then
  echo "install-system: apt-get install libvoikko1 voikko-fi failed; Snowball Finnish will be used" >&2
fi
exit 0
