#!/usr/bin/env bash
# Every shipped form prints like a form (issue 17): a small demo, each form of data/forms as XLSX
# (统计表 by village of one county, 花名册 for that county, all written by `report all`), all of
# them turned into PDF by one LibreOffice process with its default printer settings, and each PDF
# checked with poppler:
#   - one page wide: every page shows the first and the last column's header (the header rows
#     repeat on each page; a page holding only the right-hand columns would lack the first);
#   - the whole title on page 1, and the 填表人 / 审核人 / 填报日期 lines on the last page;
#   - landscape exactly when the table (the sum of its column widths) is wider than portrait A4
#     takes (xlsx_writer.h's kPortraitWidth, 100 characters);
#   - page numbers in the footer (第 1 页 共 N 页).
# Usage: xlsx_print.sh WANGGE_BINARY
set -euo pipefail
BIN=$1
SRC=${WANGGE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d /tmp/wangge-print.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for tool in soffice pdftotext pdfinfo jq sqlite3 unzip; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (scripts/setup.sh installs it)"; exit 1; }
done
"$BIN" demo --scale 0.01 --no-serve --db "$WORK/demo.db" >"$WORK/demo.txt" 2>&1 ||
  { cat "$WORK/demo.txt"; exit 1; }
county=$(sqlite3 "$WORK/demo.db" "SELECT code FROM orgs WHERE kind = 'county' ORDER BY code LIMIT 1")
mkdir -p "$WORK/pdf"
# `report all`: every form in one run (the analytics index is built once), statistics by village
# of one county (enough rows to take several pages), rosters of that county.
for format in json xlsx; do
  "$BIN" report all --db "$WORK/demo.db" --org "$county" --level village --format "$format" \
    -o "$WORK/xlsx" 2>"$WORK/all-$format.err" || { cat "$WORK/all-$format.err"; exit 1; }
done
forms=()
for toml in "$SRC"/data/forms/*.toml; do
  forms+=("$(basename "$toml" .toml)")
done
# One LibreOffice for every file (HOME: its profile goes there).
HOME=$WORK soffice --headless --convert-to pdf --outdir "$WORK/pdf" "$WORK"/xlsx/*.xlsx \
  >"$WORK/soffice.txt" 2>&1 || { cat "$WORK/soffice.txt"; exit 1; }

failed=0 bad=0
fail() { echo "FAIL: $form: $*"; bad=1; }
squeeze() { tr -d ' \n\f\t' | sed 's/　//g'; }  # a wrapped cell's text, joined again
for form in "${forms[@]}"; do
  json=$WORK/xlsx/$form.json pdf=$WORK/pdf/$form.pdf bad=0
  [ -s "$pdf" ] || { fail "no PDF"; failed=$((failed + 1)); continue; }
  title=$(jq -r .title "$json")
  ncols=$(jq '.columns | length' "$json")
  first=单位名称
  [ "$(jq -r '.kind // "report"' "$json")" = roster ] && first=序号
  # The table's width in characters: the sum of the sheet's column widths.
  width=$(unzip -p "$WORK/xlsx/$form.xlsx" xl/worksheets/sheet1.xml | grep -o '<col [^>]*>' |
    sed -E 's/.*min="([0-9]+)" max="([0-9]+)" width="([0-9.]+)".*/\1 \2 \3/' |
    awk '{ w += ($2 - $1 + 1) * $3 } END { printf "%d", w }')
  # The last header's first four characters: a long header wraps inside its cell.
  last=$(jq -r '.columns[-1].name[0:4]' "$json")
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  read -r w h < <(pdfinfo "$pdf" | awk '/^Page size:/ {print int($3), int($5)}')
  if [ "$width" -gt 100 ] && [ "$w" -le "$h" ]; then fail "$width characters wide, printed portrait"; fi
  if [ "$width" -le 100 ] && [ "$w" -gt "$h" ]; then fail "$width characters wide, printed landscape"; fi
  for ((p = 1; p <= pages; p++)); do
    text=$(pdftotext -f "$p" -l "$p" "$pdf" - | squeeze)
    [[ $text == *"$first"* && $text == *"$last"* ]] ||
      { fail "page $p of $pages lacks the header $first … $last (not one page wide?)"; break; }
    [[ $text == *"第${p}页共${pages}页"* ]] || { fail "page $p has no page number 第 $p 页 共 $pages 页"; break; }
  done
  page1=$(pdftotext -f 1 -l 1 "$pdf" - | squeeze)
  [[ $page1 == *"$(printf %s "$title" | squeeze)"* ]] || fail "page 1 lacks the whole title $title"
  end=$(pdftotext -f "$pages" -l "$pages" "$pdf" - | squeeze)
  for line in 填表人 审核人 填报日期; do
    [[ $end == *"$line"* ]] || fail "the last page lacks $line"
  done
  [ "$bad" -eq 0 ] || { failed=$((failed + 1)); continue; }
  orient=portrait
  [ "$w" -gt "$h" ] && orient=landscape
  echo "ok: $form: $ncols columns, $pages pages $orient, one page wide, title and signatures whole"
done
echo "forms printed: $((${#forms[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
