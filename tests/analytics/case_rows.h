// The fixture rows a report case (tests/analytics/cases/*.case) declares for itself, as
// DuckDB's sqllogictest files carry their own INSERTs: one line per record, loaded into a
// fresh database through the services (org, people), except events and ended posts, which
// are written as the shared fixture writes them (fixture.cpp). Words are separated by spaces;
// "-" is an empty value; key=value words are optional and may come in any order.
//
//   node CODE PARENT NAME [TYPE]     # an org node; PARENT "-" for the root; TYPE as
//   org::type_label
//                                    # (town, street, village, community …); default the kind's
//   household NO ORG ADDRESS [COLOR] [building=CODE]      # COLOR 红/黄/绿 (default 绿)
//   resident HOUSEHOLD NAME BIRTH SEX [relation=户主] [status=在册] [tags=低保,独居老人]
//            [color=红]                  # BIRTH 1950-03-01, SEX 男/女; the ID number is made
//                                        # from the household's region, the birth and the sex
//   post ORG ROLE [ended]               # ROLE 网格长, 专职网格员 … (or grid_head …)
//   party NAME KIND ORG [parent=NAME]   # KIND 党委, 党支部, 党小组 … (or committee …)
//   event GRID CATEGORY STATE LEVEL reported=T due=T [resolved=T] [closed=T] [overdue=N]
//         [escalations=N] [extensions=N] [reopens=N] [satisfaction=N]  # T: 2026-03-01T09:00,
//                                        # local time; owner = grid; the SLA three_day
#pragma once

#include <string>
#include <vector>

#include "store/database.h"

namespace wangge::analytics::testing {

// Migrates (org, people, auth, events) and loads the lines. `where` names the file in errors.
// Throws std::runtime_error naming the file and line for a line it cannot read; errors of the
// services (a bad code, an unknown tag) pass through with the line prepended.
void load_case_rows(store::Database& db, const std::vector<std::string>& lines,
                    const std::string& where);

// Whether the first word of a case line is one of the record kinds above.
bool is_row_line(const std::string& first_word);

}  // namespace wangge::analytics::testing
