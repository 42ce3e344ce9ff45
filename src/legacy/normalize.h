// Column names of legacy forms (老表), cleaned so that the same field written by different
// clerks compares equal: full-width letters and brackets folded, spaces and line breaks
// removed, numbering prefixes (一、 1. （二） ①) and required-field stars dropped, units in
// brackets (（人） (元) 单位：户) taken out and kept apart. Also the built-in list of common
// synonyms (公民身份号码 / 身份证号 / 身份证号码 …) that the field dictionary's own synonyms add
// to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wangge::legacy {

struct CleanName {
  std::string name;  // "家庭人口": what remains of the header, half-width, no spaces
  std::string unit;  // "人" when the header carried a unit; else empty
  // Other bracketed remarks, in order ("男/女", "18位"); not part of the name.
  std::vector<std::string> remarks;
};

// Full-width ASCII (ＡＢＣ１２３（）：) to half-width and U+3000 to a space. Everything else
// is kept. REQUIRES: valid UTF-8.
std::string fold_width(std::string_view utf8);

// Cleans one header text (one level of a multi-row header). Never returns an empty name for a
// non-blank header: when only a bracket remains ("（元）"), its text is the name.
CleanName clean_header(std::string_view header);

// True for the row-number column (序号, No.) that every form has and that is not a field.
bool is_row_number_header(std::string_view clean_name);

// The canonical name (clean) of a built-in synonym group ("身份证号码" → "公民身份号码") or of
// a division level ("所属社区" → "村(社区)"), or the name itself when it is in neither.
// Operates on clean names.
std::string builtin_canonical(std::string_view clean_name);
// The administrative level a clean name denotes, after the naming of 统计用区划代码 (村, 社区,
// 居委会, 村委会, 行政村, 村（居）委会, 乡镇（街道）… with 所属/所在 before and 名称 after):
// "县(市、区)", "乡镇(街道)", "村(社区)", "村民小组" or "网格"; empty for any other name
// (村代码, 户籍所在地, 村组 mix levels or are not names of a division).
std::string division_level(std::string_view clean_name);
// Every built-in group, canonical name first (for tests and for --apply's synonyms).
const std::vector<std::vector<std::string_view>>& builtin_synonym_groups();

// How a parent header over several child columns combines with a child:
//   - a grouping with nothing specific (基本信息, 家庭情况, 联系方式) → the child alone;
//   - a grouping about someone else (监护人信息, 户主情况) → qualifier + child ("监护人姓名");
//   - anything else (2024年, 低保金) → "parent/child".
// A parent may end in its bracketed qualifier ("当事人(申请方)", as the layout keeps it for a
// group parent): it stays with the parent ("当事人(申请方)/姓名"), so two groups differing only in
// it stay two.
std::string combine_header(std::string_view parent, std::string_view child);

// Code points of a UTF-8 string (for edit distances and character overlap).
std::u32string to_u32(std::string_view utf8);
std::string to_utf8(std::u32string_view text);

}  // namespace wangge::legacy
