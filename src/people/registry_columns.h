// The registry's file columns, shared by the importer and the exporter (internal).
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "people/registry_io.h"
#include "sheets/sheet.h"

namespace wangge::people::registry {

struct Column {
  std::string_view key;     // english name, also accepted as a header
  std::string_view header;  // the Chinese header written on export
  bool required;
  std::array<std::string_view, 4> synonyms;  // other headers accepted on import
};

inline constexpr std::array<Column, 10> kResidentColumns{{
    {"household_no", "户编号", true, {"户号", "户籍编号"}},
    {"name", "姓名", true, {}},
    {"sex", "性别", false, {}},
    {"id_number", "公民身份号码", true, {"身份证号", "身份证号码", "证件号码"}},
    {"birth_date", "出生日期", false, {"出生年月日"}},
    {"phone", "联系电话", false, {"手机号码", "手机号", "电话"}},
    {"relation", "与户主关系", false, {"家庭关系", "关系"}},
    {"status", "人员状态", false, {"状态"}},
    {"tags", "标签", false, {"人员类别", "人员标签"}},
    {"color", "颜色", false, {"红黄绿", "风险等级", "管理等级"}},
}};

inline constexpr std::array<Column, 5> kHouseholdColumns{{
    {"household_no", "户编号", true, {"户号", "户籍编号"}},
    {"org_code", "所属网格编码", true, {"网格编码", "微网格编码", "所属网格"}},
    {"building_code", "楼栋编码", false, {"楼栋"}},
    {"address", "住址", true, {"地址", "家庭住址", "现住址"}},
    {"color", "颜色", false, {"红黄绿", "风险等级", "管理等级"}},
}};

inline std::vector<Column> columns(Registry what) {
  if (what == Registry::residents) return {kResidentColumns.begin(), kResidentColumns.end()};
  return {kHouseholdColumns.begin(), kHouseholdColumns.end()};
}

// Tags are joined with 、 on export and split on 、,，;； on import.
inline constexpr std::string_view kTagSeparator = "、";

}  // namespace wangge::people::registry
