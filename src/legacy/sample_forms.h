// A generated set of legacy forms with known answers (老表样本): the kind of forms a Yunnan
// county's villages file — 低保, 特困, 高龄补贴, 残疾人两项补贴, 留守儿童, 独居老人, 防返贫监测,
// 易地搬迁, 网格员花名册, 党员名册, 矛盾纠纷排查台账, 安全隐患排查台账, 人口摸底, 计生, 医保,
// 养老保险, 退役军人, 就业帮扶 … — as XLSX and CSV (UTF-8 with and without BOM, GB18030), with
// titles, meta rows, merged two-row headers, notes and signature rows, totals, column-number
// rows, synonyms, spaced and full-width headers, units in brackets and plausible data.
// Every field column comes with the field it really is, so the analyser can be scored.
// The same seed writes the same bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace wangge::legacy {

// The truth about one field column of a generated form.
struct SampleColumn {
  std::string file;    // file name inside the folder, as read_forms() names the form
  int column = 0;      // zero-based sheet column
  std::string header;  // the header as written (parent/child joined with "/")
  std::string field;   // the field it holds ("resident.id_number")
};

struct SampleSet {
  std::vector<std::string> files;
  std::vector<SampleColumn> truth;  // the row-number columns (序号) are not fields
};

// Writes the set into `dir` (created if missing; files of the same names are replaced).
// Throws Error(unavailable) when a file cannot be written.
SampleSet write_sample_forms(const std::filesystem::path& dir, std::uint64_t seed = 530621);

// How many forms write_sample_forms() writes.
int sample_form_count();

}  // namespace wangge::legacy
