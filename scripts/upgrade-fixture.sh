#!/usr/bin/env bash
# Writes tests/store/upgrade/v<RELEASE>.sql: the schema of this release with a little data in it
# (the smallest demo prefecture), as a SQLite dump the upgrade test (tests/cli/upgrade_test.cpp)
# loads and migrates to the current schema. Run it once per release, on the release's commit,
# and commit the file (docs/upgrades.md).
#   scripts/upgrade-fixture.sh RELEASE [path/to/wangge]
set -euo pipefail
cd "$(dirname "$0")/.."
release=${1:?usage: scripts/upgrade-fixture.sh RELEASE [path/to/wangge]}
bin=${2:-build/bin/wangge}
out=tests/store/upgrade/v$release.sql
if [[ -e $out ]]; then
  echo "$out exists: a release's fixture is never rewritten" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
WANGGE_KEY_FILE="$tmp/demo.key" "$bin" demo --scale 0.0001 --seed 530600 --db "$tmp/v.db" \
  --no-serve >/dev/null
# Keep the first 30 households and 40 events with what hangs on them: the fixture stays small
# (about 200 KB) and every table the demo fills keeps rows.
db=$tmp/v.db
trim="PRAGMA foreign_keys = OFF;
DELETE FROM residents WHERE household_id > 30
  AND household_id NOT IN (SELECT household_id FROM users WHERE household_id IS NOT NULL);
DELETE FROM households WHERE id NOT IN (SELECT household_id FROM residents);
DELETE FROM color_history WHERE subject = 'resident' AND subject_id NOT IN (SELECT id FROM residents);
DELETE FROM color_history WHERE subject = 'household' AND subject_id NOT IN (SELECT id FROM households);
DELETE FROM events WHERE id > 40;
UPDATE events SET recurrence_of = NULL WHERE recurrence_of NOT IN (SELECT id FROM events);"
for t in $(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type = 'table'"); do
  for c in resident_id event_id; do
    if [[ -n $(sqlite3 "$db" "SELECT 1 FROM pragma_table_info('$t') WHERE name = '$c'") ]]; then
      parent=${c%_id}s
      trim+=$'\n'"DELETE FROM $t WHERE $c IS NOT NULL AND $c NOT IN (SELECT id FROM $parent);"
    fi
  done
done
sqlite3 "$db" "$trim"$'\nVACUUM;'
if [[ -n $(sqlite3 "$db" "PRAGMA foreign_key_check") ]]; then
  echo "the trimmed fixture breaks a foreign key:" >&2
  sqlite3 "$db" "PRAGMA foreign_key_check" >&2
  exit 1
fi
{
  echo "-- wangge release $release schema with demo data (scripts/upgrade-fixture.sh); do not edit"
  sqlite3 "$db" .dump | grep -v -e '^BEGIN TRANSACTION;$' -e '^COMMIT;$' -e '^PRAGMA '
} >"$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
