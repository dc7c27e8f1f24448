#!/usr/bin/env bash
# Renders tests/e2e/report_fixture.json into report.html and checks the page in headless Chromium.
#
#   report_browser.sh RENDER_REPORT_FIXTURE [OUT_DIR]
#
# OUT_DIR (default: a temporary folder) receives report.html, report.json and the screenshot
# report.png. Missing chromium, node or web/node_modules is a failure, not a skip: a report
# nobody could check in a browser is not tested.
set -euo pipefail
render=$1
here=$(cd "$(dirname "$0")" && pwd)
web="$here/../../web"
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -x "$render" ] || fail "renderer $render is not executable"
command -v node >/dev/null || fail "node is missing: run scripts/install-deps"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing: run scripts/install-deps"
[ -d "$web/node_modules/playwright-core" ] || fail "web/node_modules is missing: run scripts/install-deps"

if [ $# -ge 2 ]; then
  out=$2
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
rm -f "$out/report.html" "$out/report.json" "$out/report.png"
cp "$here/report_fixture.json" "$out/report.json"
"$render" "$out/report.json" "$out/report.html"
# The fixture's own summary stands in for the case store's summary here.
ASHIATO_REPORT_FIXTURE=1 node "$here/report_test.mjs" "$out/report.html" "$out/report.json" "$out/report.json"
