// The catalogue behind sample_forms.h (internal): the fields the sample forms draw on, with
// how to make their values, and the forms themselves, written as clerks write them.
#pragma once

#include <string_view>
#include <vector>

namespace wangge::legacy::samples {

// code: the true field; gen: how values are made —
//   name sex eth id phone birth recent addr town village grid group bank discert remark
//   age:LO:HI  int:LO:HI  dec:LO:HI  enum:a|b|c (drawn per row)  text:a|b|c (drawn per row)
struct FieldSpec {
  std::string_view code;
  std::string_view gen;
};

enum class Format { xlsx, csv_bom, csv_utf8, csv_gb18030 };

// Layout touches a form may have.
enum Style : unsigned {
  kSerial = 1,       // a 序号 column first
  kMeta = 2,         // 填报单位：…  填报时间：… under the title
  kNotes = 4,        // 填表说明 rows at the bottom
  kSigners = 8,      // 填报人：  审核人：  联系电话： at the bottom
  kTotals = 16,      // a 合计 row after the data
  kColNumbers = 32,  // a row 1 2 3 … under the header
  kSpaced = 64,      // two-character headers spaced out: 姓  名
  kHalfWidth = 128,  // brackets and colons half-width: (元)
  kWrap = 256,       // long headers broken over two lines
  kFullWidth = 512,  // digits and letters in headers full-width: ２０２４
};

// columns: "header=field;parent{header=field;header=field};…" — a parent spans its children
// in a two-row header; headers are written with full-width brackets, as most clerks do.
struct FormSpec {
  std::string_view file;  // with extension
  std::string_view title;
  Format format;
  unsigned style;
  int rows;
  std::string_view columns;
};

const std::vector<FieldSpec>& field_specs();
const std::vector<FormSpec>& form_specs();

}  // namespace wangge::legacy::samples
