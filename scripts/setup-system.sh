#!/usr/bin/env bash
# Installs the Debian packages the full test suite needs: PostgreSQL (for the PostgreSQL variants of the
# integration suites), Chromium with fonts for Arabic script and Ge'ez (browser suites), xmllint (schema
# validation of XLIFF and DDI), and the readers exports are proven by: GNU PSPP and R with haven (.sav, .dta)
# and survey (estimates).
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

packages=(postgresql chromium fonts-noto-core fonts-dejavu-core libxml2-utils pspp r-base-core r-cran-haven r-cran-survey)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup:system: everything is installed (${packages[*]})"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup:system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The Debian package may start a cluster of its own; the tests start their own throwaway cluster instead.
