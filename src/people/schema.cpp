// The people tables. Identity numbers and phones are stored only encrypted (…_enc), with a
// keyed hash for lookup (id_hash); id_mask keeps the region only and phone_mask the phone's
// display mask (core/codes.h says why).
#include "people/people.h"

namespace wangge::people {
namespace {

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// The catalogue's tags [first, last) as INSERTs. A migration's text never changes once shipped:
// each migration inserts the tags of its own release, by position.
std::string tag_rows(size_t first, size_t last, bool with_color) {
  std::string sql;
  const auto& cat = shipped_tags();
  for (size_t i = first; i < last && i < cat.size(); ++i) {
    const Tag& t = cat[i];
    sql += std::string("INSERT INTO tags (code, name, category, sensitive, key_person, sort") +
           (with_color ? ", color" : "") + ") VALUES (" + quoted(t.code) + ", " + quoted(t.name) +
           ", " + quoted(t.category) + ", " + (t.sensitive ? "1" : "0") + ", " +
           (t.key_person ? "1" : "0") + ", " + std::to_string(i + 1);
    if (with_color) sql += ", " + (t.color ? quoted(to_string(*t.color)) : std::string("NULL"));
    sql += ");\n";
  }
  return sql;
}

// The first release's 20 tags (migration 1); the 17 key-person categories complete in 6.
constexpr size_t kFirstTags = 20, kSeventeenCategories = 29;

// Migration 6: each tag its colour rule (tags.color), the nine key-person categories added.
std::string seventeen_categories() {
  std::string sql = "ALTER TABLE tags ADD COLUMN color TEXT;\n";
  const auto& cat = shipped_tags();
  for (size_t i = 0; i < kFirstTags; ++i) {
    if (cat[i].color) {
      sql += "UPDATE tags SET color = " + quoted(to_string(*cat[i].color)) +
             " WHERE code = " + quoted(cat[i].code) + ";\n";
    }
  }
  return sql + tag_rows(kFirstTags, kSeventeenCategories, true);
}

}  // namespace

const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> list{
      {"people", 1, std::string(R"sql(
CREATE TABLE tags (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  sensitive INTEGER NOT NULL DEFAULT 0,
  key_person INTEGER NOT NULL DEFAULT 0,
  sort INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE households (
  id {pk},
  household_no TEXT NOT NULL UNIQUE,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  building_id BIGINT REFERENCES orgs(id),
  address TEXT NOT NULL,
  color TEXT NOT NULL DEFAULT 'green',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE residents (
  id {pk},
  household_id BIGINT NOT NULL REFERENCES households(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  name_pinyin TEXT NOT NULL,
  name_initials TEXT NOT NULL,
  sex INTEGER NOT NULL,
  birth_date TEXT NOT NULL,
  id_hash TEXT NOT NULL UNIQUE,
  id_enc {blob} NOT NULL,
  id_mask TEXT NOT NULL,
  phone_enc {blob},
  phone_mask TEXT,
  relation TEXT NOT NULL,
  status TEXT NOT NULL,
  color TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE resident_tags (
  resident_id BIGINT NOT NULL REFERENCES residents(id),
  tag TEXT NOT NULL REFERENCES tags(code),
  PRIMARY KEY (resident_id, tag)
);
CREATE TABLE color_history (
  id {pk},
  subject TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  from_color TEXT,
  to_color TEXT NOT NULL,
  reason TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at BIGINT NOT NULL
);
)sql") + tag_rows(0, kFirstTags, false)},
      // Indexes in their own step so a bulk load can create them after the rows are in.
      {"people", 2, R"sql(
CREATE INDEX households_org ON households(org_id);
CREATE INDEX residents_household ON residents(household_id);
CREATE INDEX residents_org ON residents(org_id);
CREATE INDEX resident_tags_tag ON resident_tags(tag, resident_id);
CREATE INDEX color_history_subject ON color_history(subject, subject_id);
)sql"},
      // Pinyin and initials prefixes (people/query.cpp: a rare prefix drives the search).
      {"people", 3, R"sql(
CREATE INDEX residents_pinyin ON residents(name_pinyin);
CREATE INDEX residents_initials ON residents(name_initials);
)sql"},
      // The stored mask keeps the region only (core/codes.h stored_mask): beside the clear
      // birth date, "first 6 + last 4" rebuilt the number from a copy of the file. The shown
      // mask is made from the decrypted number instead.
      {"people", 4, R"sql(
UPDATE residents SET id_mask = substr(id_mask, 1, 6) || '************'
WHERE length(id_mask) = 18 AND substr(id_mask, 7, 12) <> '************';
)sql"},
      // Registering a number already on record outside the caller's scope (an existence
      // oracle): hits per user and day, to stop enumeration (api/resident_writes.cpp).
      {"people", 5, R"sql(
CREATE TABLE duplicate_probes (
  username TEXT NOT NULL,
  day TEXT NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (username, day)
);
)sql"},
      // 17 categories of key persons (鲁甸: 20,860 people in 17), each with its colour rule;
      // the people already tagged keep their tags and colours.
      {"people", 6, seventeen_categories()},
  };
  return list;
}

}  // namespace wangge::people
