// How one database row becomes one index record, per entity: the SELECTs and the decoding
// shared by the full load and by refresh(). Internal to src/analytics.
#pragma once

#include <optional>
#include <string_view>

#include "analytics/index.h"

namespace wangge::analytics {

// An empty table with the entity's columns.
Table make_table(Entity e);
// Sorts a table filled in arrival order into org order (stable) and reindexes it.
void sort_by_pos(Table& t, size_t org_count);
// Appends a record at the end (no sorting).
void append(Table& t, const RecordValues& v);

inline constexpr uint8_t kStatusMovedIn = 1;  // ResidentStatus::moved_in + 1

// "SELECT … FROM residents" (add WHERE / ORDER BY).
inline constexpr std::string_view kResidentSelect =
    "SELECT id, household_id, org_id, sex, birth_date, relation, status, color FROM residents";
inline constexpr std::string_view kHouseholdSelect =
    "SELECT id, org_id, building_id, color FROM households";
// Posts, party organisations: "SELECT … FROM …".
std::string_view simple_select(Entity e);

// nullopt when the row's org is not in the tree.
std::optional<RecordValues> resident_values(const store::Row& r, const OrgTree& tree);
std::optional<RecordValues> household_values(const store::Row& r, const OrgTree& tree);
std::optional<RecordValues> simple_values(Entity e, const store::Row& r, const OrgTree& tree);

// The bit of a tag code (people::tag_catalogue() order); 0 for an unknown code.
uint64_t tag_bit(std::string_view code);
// Every 重点人员 tag's bit.
uint64_t key_person_bits();
// The OrgFlag a post role (PostRole + 1) sets on its org.
uint64_t role_flag(uint8_t role);
// 2026-03-01 → 20260301; kNullI32 for anything malformed.
int32_t ymd(std::string_view date);

}  // namespace wangge::analytics
