#!/usr/bin/env bash
# A report's XLSX opens in LibreOffice with the numbers of its JSON (issue 6): a small demo,
# three forms as JSON and as XLSX, the XLSX turned into CSV by `soffice --headless`, and every
# org row and the totals row compared cell by cell. Usage: xlsx_libreoffice.sh WANGGE_BINARY
set -euo pipefail
BIN=$1
WORK=$(mktemp -d /tmp/wangge-xlsx.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
command -v soffice >/dev/null || { echo "FAIL: soffice missing (scripts/setup.sh installs it)"; exit 1; }
"$BIN" demo --scale 0.01 --no-serve --db "$WORK/demo.db" >"$WORK/demo.txt" 2>&1 ||
  { cat "$WORK/demo.txt"; exit 1; }
passed=0
for spec in "dibao township" "population county" "events township"; do
  read -r form level <<<"$spec"
  for format in json xlsx; do
    "$BIN" report "$form" --db "$WORK/demo.db" --level "$level" --format "$format" \
      -o "$WORK/$form.$format" 2>/dev/null
  done
  # 44,34,76: comma-separated, double quotes, UTF-8; the 9th token false: values, not as shown
  # (the sheet shows 1,325 with a thousands separator). HOME: LibreOffice's profile goes there.
  HOME=$WORK soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false' \
    --outdir "$WORK/lo" "$WORK/$form.xlsx" >/dev/null 2>&1
  # "code|value|value…" per org in the columns' order; the totals row as "合计|…".
  jq -r '.columns as $c
    | (.rows[] | [.org_code] + [$c[].code as $k | .values[$k] // "" | tostring]),
      (["合计"] + [$c[].code as $k | .total.values[$k] // "" | tostring])
    | join("|")' "$WORK/$form.json" | sort >"$WORK/$form.want"
  awk -F, '$2 ~ /^[0-9]+$/ || $1 == "合计" {
      key = $1 == "合计" ? $1 : $2; out = key
      for (i = 3; i <= NF; i++) out = out "|" $i
      print out
    }' "$WORK/lo/$form.csv" | tr -d '"' | sort >"$WORK/$form.got"
  rows=$(wc -l <"$WORK/$form.want")
  if [ "$rows" -lt 2 ] || ! diff "$WORK/$form.want" "$WORK/$form.got" >"$WORK/$form.diff"; then
    echo "FAIL: $form ($level): LibreOffice reads other numbers than the JSON has"
    head -20 "$WORK/$form.diff"
    exit 1
  fi
  echo "ok: $form ($level): $((rows - 1)) rows and the totals agree"
  passed=$((passed + 1))
done
echo "xlsx in LibreOffice: $passed passed, 0 failed"
