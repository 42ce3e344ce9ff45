// The layout of one legacy form sheet: where its title, header and data are, and what each
// column is called. Legacy forms are written for people, not programs:
//
//   低保对象花名册                                    ← title (often merged across the width)
//   填报单位：鲁甸县文屏镇      填报时间：2024年 月 日    ← meta rows
//   序号 | 户主姓名 | 身份证号 | 家庭成员情况      | 备注 ← header, row 1 (parents merged across)
//        |          |          | 人数(人) | 月保障金 |      ← header, row 2 (children)
//   1    | 张三     | 5306…    | 3        | 645      |      ← data
//   合计 |          |          | 3        | 645      |      ← totals (not sampled)
//   填表说明：1. 本表由村(社区)填报……                    ← notes
//   填报人：      审核人：      联系电话：
//
// In CSV the merges are gone: a parent is a header cell followed by empty cells over which the
// row below names children; a cell spanning two header rows is empty below.
#pragma once

#include <string>
#include <vector>

#include "sheets/sheet.h"

namespace wangge::legacy {

struct RawColumn {
  int index = 0;                    // zero-based column of the sheet
  std::vector<std::string> header;  // the header cells over it, top-down, as written
  std::string name;                 // the clean combined name ("监护人姓名", "2024年/人数")
  std::string unit;                 // from brackets or 单位：…, child before parent
  std::vector<std::string> values;  // the non-empty data cells, top-down (totals excluded)
  int data_rows = 0;                // data rows of the sheet (empty cells included)
};

struct FormLayout {
  std::string title;               // empty when the sheet has none
  std::vector<std::string> meta;   // rows between title and header, joined per row
  int header_first = -1;           // zero-based row; -1: no header found
  int header_rows = 0;             // 1 to 3
  int data_first = 0;              // zero-based, inclusive
  int data_last = -1;              // zero-based, inclusive; < data_first when no data
  std::vector<std::string> notes;  // bottom rows: 填表说明, 备注, 填报人, 审核人 …
  std::vector<RawColumn> columns;  // every field column, left to right
  int skipped_columns = 0;         // the row-number column (序号) and columns with no header
};

// Finds the layout of `sheet`. Never throws; a sheet without anything like a header gives
// header_first == -1 and no columns. Keeps at most `max_values` values per column.
FormLayout detect_layout(const sheets::Sheet& sheet, size_t max_values = 200);

}  // namespace wangge::legacy
