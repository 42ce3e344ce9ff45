// `wangge org boundaries import FILE`: a county loads its own outlines (GeoJSON; a Shapefile is
// converted first with ogr2ogr). All or nothing: any feature that cannot be used is listed
// and nothing is written.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "org/boundaries.h"

namespace wangge::cli {

int run_org_boundaries_import(const OrgBoundariesArgs& args) {
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    throw_bad_input("unreadable_file", "无法读取文件：" + args.file,
                    "cannot read the file: " + args.file, "file");
  }
  std::stringstream text;
  text << in.rdbuf();
  org::ImportOptions options{
      .by = org::parse_match_by(args.match_by), .key = args.key, .within = args.within};
  auto db = open_existing_database(args.db);
  org::BoundaryImport r =
      db->transact([&](store::Tx& tx) { return org::import_boundaries(tx, text.str(), options); });
  if (!r.written) {
    fmt::print(stderr, "导入失败：{} 个要素无法使用，数据库未做任何修改。\n", r.problems_zh.size());
    fmt::print(stderr, "import refused: {} feature(s) could not be used; nothing was written.\n",
               r.problems_en.size());
    for (size_t i = 0; i < r.problems_zh.size(); ++i) {
      fmt::print(stderr, "  {}\n    {}\n", r.problems_zh[i], r.problems_en[i]);
    }
    return 2;
  }
  for (const auto& m : r.matched) fmt::print("  {} {}\n", m.code, m.name);
  fmt::print("已导入 {} 个边界 (imported {} boundaries)\n", r.matched.size(), r.matched.size());
  return 0;
}

}  // namespace wangge::cli
