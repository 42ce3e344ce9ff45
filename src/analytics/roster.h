// Record-list forms (名册, 花名册; forms.h, kind = "roster"): the records of one entity under an
// org that pass the form's filter, one row each, with the form's columns read from the
// database — ID numbers and phones as their stored masks (the ID's region only), never
// decrypted; a birth date as its year and an age as this year − birth year (core/codes.h). The
// records are picked by the index (the same compiled filters as reports, one scan of the org's
// range) and their columns read by id; run_roster_sql() picks them with plain SQL instead, to check
// it. Exports of a roster that shows personal fields are audited (export_roster).
#pragma once

#include <optional>
#include <string>

#include "analytics/index.h"
#include "core/time.h"
#include "forms/dictionary.h"
#include "forms/roster.h"
#include "store/database.h"

namespace wangge::analytics {

struct RosterRequest {
  std::string org_code;  // the records of this org's subtree
  Date as_of;            // ages are counted on this day
};

// The SQL a roster column of this entity reads (the record is x, its org o, a resident's
// household h), or nullopt when a roster of the entity cannot show the field.
std::optional<std::string> roster_column_sql(Entity e, const forms::Field& f);

// The roster through the index. Throws Error(not_found) for an org not in the index.
// REQUIRES: form.kind == roster, validated with field_check().
forms::Roster run_roster(const Index& index, const forms::Form& form, const RosterRequest& req);
// The same with the records picked by SQL. Throws Error(not_found) for an unknown org.
forms::Roster run_roster_sql(store::Tx& tx, const forms::Form& form, const RosterRequest& req);

// Appends the audit row of one export by `actor` when the roster shows personal fields
// (forms::shows_personal_data): action "roster.export", subject "form:<code>", detail JSON
// {org, rows, format, fields}. Never any value of the rows. Returns whether it wrote one.
bool audit_roster_export(store::Tx& tx, const forms::Form& form, const forms::Roster& r,
                         std::string_view actor, std::string_view format, Instant at);

}  // namespace wangge::analytics
