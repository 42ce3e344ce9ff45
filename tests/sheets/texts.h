// The cell texts of a read sheet, row by row: what the sheet tests compare.
#pragma once

#include <string>
#include <vector>

#include "sheets/sheet.h"

namespace wangge::sheets::testing_sheets {

using Table = std::vector<std::vector<std::string>>;

inline Table texts(const Sheet& sheet) {
  Table out;
  for (const Row& row : sheet.rows) {
    out.emplace_back();
    for (const Cell& cell : row) out.back().push_back(cell.text());
  }
  return out;
}

}  // namespace wangge::sheets::testing_sheets
