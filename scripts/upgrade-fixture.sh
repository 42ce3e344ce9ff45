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
# Keep the first rows of the big tables only: the fixture stays small, every table keeps data.
sqlite3 "$tmp/v.db" <<'SQL'
PRAGMA foreign_keys = OFF;
DELETE FROM resident_tags WHERE resident_id > 60;
DELETE FROM residents WHERE id > 60 AND id NOT IN (SELECT resident_id FROM resident_tags);
VACUUM;
SQL
{
  echo "-- wangge release $release schema with demo data (scripts/upgrade-fixture.sh); do not edit"
  sqlite3 "$tmp/v.db" .dump | grep -v -e '^BEGIN TRANSACTION;$' -e '^COMMIT;$' -e '^PRAGMA '
} >"$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
