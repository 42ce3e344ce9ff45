#!/usr/bin/env bash
# Copies the tables reports read (orgs, residents, resident_tags, households, posts, party_orgs)
# from a demo SQLite file into a PostgreSQL database, with the columns the report SQL uses and
# the same keys and indexes as the real schema, then ANALYZE. Used by bench/reports.sh so that
# SQLite, PostgreSQL and DuckDB answer the same form over the same data (no personal columns).
# Usage: bench/reports_pg_load.sh SQLITE_DB POSTGRES_URL
set -euo pipefail
DB=$1
URL=$2
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$URL" "$@"; }
copy() {  # table, columns
  sqlite3 -csv "$DB" "SELECT $2 FROM $1" | psql -c "\\copy $1 ($2) FROM STDIN WITH (FORMAT csv)"
}
psql <<'SQL'
DROP TABLE IF EXISTS resident_tags, residents, households, posts, party_orgs, orgs CASCADE;
CREATE TABLE orgs (id BIGINT PRIMARY KEY, code TEXT NOT NULL UNIQUE, parent_id BIGINT,
  kind TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL, boundary TEXT,
  lat DOUBLE PRECISION, lng DOUBLE PRECISION);
CREATE TABLE households (id BIGINT PRIMARY KEY, org_id BIGINT NOT NULL, building_id BIGINT,
  color TEXT NOT NULL);
CREATE TABLE residents (id BIGINT PRIMARY KEY, household_id BIGINT NOT NULL,
  org_id BIGINT NOT NULL, sex INTEGER NOT NULL, birth_date TEXT NOT NULL,
  relation TEXT NOT NULL, status TEXT NOT NULL, color TEXT);
CREATE TABLE resident_tags (resident_id BIGINT NOT NULL, tag TEXT NOT NULL,
  PRIMARY KEY (resident_id, tag));
CREATE TABLE posts (id BIGINT PRIMARY KEY, org_id BIGINT NOT NULL, role TEXT NOT NULL,
  ended_at BIGINT);
CREATE TABLE party_orgs (id BIGINT PRIMARY KEY, org_id BIGINT NOT NULL, kind TEXT NOT NULL);
SQL
copy orgs "id, code, parent_id, kind, type, name, boundary, lat, lng"
copy households "id, org_id, building_id, color"
copy residents "id, household_id, org_id, sex, birth_date, relation, status, color"
copy resident_tags "resident_id, tag"
copy posts "id, org_id, role, ended_at"
copy party_orgs "id, org_id, kind"
psql <<'SQL'
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX households_org ON households(org_id);
CREATE INDEX residents_household ON residents(household_id);
CREATE INDEX residents_org ON residents(org_id);
CREATE INDEX resident_tags_tag ON resident_tags(tag, resident_id);
CREATE INDEX posts_org ON posts(org_id);
CREATE INDEX party_orgs_org ON party_orgs(org_id);
ANALYZE;
SQL
