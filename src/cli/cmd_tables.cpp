// `wangge tables analyze DIR` (老表分析) and `wangge tables sample DIR` (the sample set).
// --apply writes only high-confidence merges and those confirmed in the --confirm file.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "forms/dictionary.h"
#include "legacy/analyzer.h"
#include "legacy/sample_forms.h"

namespace wangge::cli {

int run_tables_analyze(const TablesAnalyzeArgs& args) {
  std::filesystem::path dict_dir = args.dictionary.empty() ? forms::Dictionary::shipped_dir()
                                                           : std::filesystem::path(args.dictionary);
  std::optional<forms::Dictionary> dict;
  if (!dict_dir.empty()) dict = forms::Dictionary::load(dict_dir);
  if (args.apply && !dict) {
    throw_bad_input("dictionary_missing", "找不到数据字典目录，请用 --dictionary 指定",
                    "no dictionary folder found; give one with --dictionary", "dictionary");
  }
  // Read before the analysis: a bad confirmation file fails before anything is printed.
  legacy::ClusterOptions held{.hold_unconfirmed = true};
  if (!args.confirm.empty()) held.confirmed = legacy::read_confirmations(args.confirm);
  auto analysis = legacy::analyze_folder(args.dir, dict ? &*dict : nullptr);
  if (args.json) {
    std::cout << legacy::to_json(analysis).dump(2) << "\n";
  } else {
    fmt::print("老表分析 legacy-form analysis: {}\n数据字典 dictionary: {}\n\n", args.dir,
               dict ? fmt::format("{}（{} 个字段）", dict_dir.string(), dict->size())
                    : std::string("无 (none)"));
    fmt::print("{}", legacy::render_text(analysis));
  }
  if (args.apply) {
    // Only high-confidence and confirmed merges reach the dictionary: a wrong merge there
    // corrupts data silently.
    auto written = legacy::analyze(analysis.forms, &*dict, held);
    size_t held_back =
        legacy::confirmation_lines(analysis).size() - legacy::confirmation_lines(written).size();
    auto added = legacy::apply_to_dictionary(written, dict_dir);
    fmt::print(stderr,
               "已向数据字典 {} 添加 {} 个字段（legacy.toml）；{} 个低置信度合并未经确认，未写入\n",
               dict_dir.string(), added.size(), held_back);
  }
  return 0;
}

int run_tables_sample(const std::string& dir) {
  auto set = legacy::write_sample_forms(dir);
  fmt::print("已生成 {} 张老表样本，共 {} 个字段列：{}\n", set.files.size(), set.truth.size(), dir);
  return 0;
}

}  // namespace wangge::cli
