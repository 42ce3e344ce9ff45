// Clustering legacy columns into fields, each rule on its own, and --apply into a dictionary.
#include "legacy/cluster.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "helpers.h"
#include "legacy/analyzer.h"
#include "testing/testing.h"

namespace wangge::legacy {
namespace {

ColumnInfo col(int form, const std::string& name, const std::vector<std::string>& values = {}) {
  ColumnInfo c;
  c.form = form;
  c.index = 0;
  c.raw = name;
  c.name = name;
  c.profile = profile_values(values);
  c.examples = values;
  return c;
}

// The cluster of each column, as a vector of cluster indices.
std::vector<int> assignment(const std::vector<FieldCluster>& clusters, size_t n) {
  std::vector<int> out(n, -1);
  for (size_t k = 0; k < clusters.size(); ++k) {
    for (int c : clusters[k].columns) out[c] = static_cast<int>(k);
  }
  return out;
}

const std::vector<std::string> kDates{"2024-01-02", "2024-03-04", "2023-05-06"};
const std::vector<std::string> kNames{"张三", "李四", "王五", "赵六", "孙七"};
const std::vector<std::string> kCounts{"12", "30", "7"};

TEST(LegacyCluster, SimilarNames) {
  std::string why;
  EXPECT_TRUE(similar_names("走访时间", "走访日期", &why));
  EXPECT_NE(why.find("结尾同义"), std::string::npos);
  EXPECT_TRUE(similar_names("纠纷类型", "纠纷类别"));
  EXPECT_TRUE(similar_names("残疾证号", "残疾人证号", &why));
  EXPECT_EQ(why, "多一个字");
  EXPECT_TRUE(similar_names("户主身份证号", "户主身份证号码"));
  EXPECT_TRUE(similar_names("调解员", "调解员姓名"));
  EXPECT_TRUE(similar_names("帮扶措施", "帮扶举措"));
  EXPECT_TRUE(similar_names("护理等级", "照料护理等级"));
  EXPECT_TRUE(similar_names("姓名", "老人姓名"));
  // Different fields that look alike.
  EXPECT_FALSE(similar_names("男性人数", "女性人数"));
  EXPECT_FALSE(similar_names("月收入", "年收入"));
  EXPECT_FALSE(similar_names("专职网格员", "兼职网格员"));
  EXPECT_FALSE(similar_names("网格内户数", "网格内人数"));
  EXPECT_FALSE(similar_names("入党时间", "入伍时间"));
  EXPECT_FALSE(similar_names("姓名", "户主姓名"));
  EXPECT_FALSE(similar_names("姓名", "监护人姓名"));
  EXPECT_FALSE(similar_names("联系电话", "监护人联系电话"));
  EXPECT_FALSE(similar_names("务工地点", "父母务工地点"));
  EXPECT_FALSE(similar_names("60岁以上老人", "80岁以上老人"));
  EXPECT_FALSE(similar_names("保障金额", "月保障金额"));
}

TEST(LegacyCluster, ExactAfterNormalisingAndSynonyms) {
  std::vector<ColumnInfo> cols{col(0, "身份证号"), col(1, "公民身份号码"), col(2, "身份证号码"),
                               col(3, "联系电话"), col(4, "手机号码")};
  auto clusters = cluster_columns(cols, nullptr);
  auto a = assignment(clusters, cols.size());
  EXPECT_EQ(a[0], a[1]);
  EXPECT_EQ(a[0], a[2]);
  EXPECT_EQ(a[3], a[4]);
  EXPECT_NE(a[0], a[3]);
  ASSERT_EQ(clusters.size(), 2u);
  ASSERT_FALSE(clusters[0].evidence.empty());
  EXPECT_EQ(clusters[0].evidence[0].rule, MergeRule::synonym);
  // Without rules 2–4 nothing but equal names merges.
  auto plain =
      cluster_columns(cols, nullptr, {.normalise = true, .synonyms = false, .similar = false});
  EXPECT_EQ(plain.size(), 5u);
}

TEST(LegacyCluster, ValuesMustAgreeForSimilarNames) {
  std::vector<ColumnInfo> agree{col(0, "走访时间", kDates), col(1, "走访日期", kDates)};
  EXPECT_EQ(cluster_columns(agree, nullptr).size(), 1u);
  std::vector<ColumnInfo> disagree{col(0, "走访时间", kDates), col(1, "走访日期", kNames)};
  EXPECT_EQ(cluster_columns(disagree, nullptr).size(), 2u);
  // Character overlap alone needs values on both sides.
  std::vector<ColumnInfo> unknown{col(0, "帮扶措施"), col(1, "帮扶举措")};
  EXPECT_EQ(cluster_columns(unknown, nullptr).size(), 2u);
  std::vector<ColumnInfo> known{col(0, "帮扶措施", kNames), col(1, "帮扶举措", kNames)};
  auto k = cluster_columns(known, nullptr);
  ASSERT_EQ(k.size(), 1u);
  EXPECT_EQ(k[0].evidence[0].rule, MergeRule::similar);
  EXPECT_NE(k[0].evidence[0].detail.find("字符重合"), std::string::npos);
}

TEST(LegacyCluster, ColumnsOfOneFormStayApart) {
  // 联系电话 and 手机号码 side by side in one form are two fields (landline and mobile).
  std::vector<ColumnInfo> cols{col(0, "联系电话"), col(0, "手机号码"), col(1, "电话")};
  auto clusters = cluster_columns(cols, nullptr);
  auto a = assignment(clusters, cols.size());
  EXPECT_NE(a[0], a[1]);
  EXPECT_EQ(a[0], a[2]);
}

TEST(LegacyCluster, DictionaryNamesAndSynonyms) {
  forms::Dictionary d;
  forms::Field f;
  f.code = "resident.guardian_phone";
  f.name = "监护人联系电话（手机）";
  f.type = forms::FieldType::phone;
  f.entity = "resident";
  f.synonyms = {"监护人手机"};
  d.add(f);
  std::vector<ColumnInfo> cols{col(0, "监护人联系电话"), col(1, "监护人手机"), col(2, "联系电话"),
                               col(3, "监护人电话")};
  auto clusters = cluster_columns(cols, &d);
  auto a = assignment(clusters, cols.size());
  EXPECT_EQ(a[0], a[1]);
  EXPECT_NE(a[0], a[2]);
  EXPECT_EQ(clusters[a[0]].field, d.find("resident.guardian_phone"));
  EXPECT_EQ(clusters[a[0]].evidence[0].rule, MergeRule::dictionary);
  EXPECT_EQ(clusters[a[2]].field, nullptr);
  EXPECT_EQ(dictionary_match(d, "监护人手机"), d.find("resident.guardian_phone"));
  EXPECT_EQ(dictionary_match(d, "手机"), nullptr);
}

TEST(LegacyCluster, LowConfidenceMergesWaitForConfirmation) {
  // 帮扶措施 / 帮扶举措: shared characters only — low; 走访时间 / 走访日期: equal endings — high.
  std::vector<ColumnInfo> cols{col(0, "帮扶措施", kNames), col(1, "帮扶举措", kNames),
                               col(0, "走访时间", kDates), col(1, "走访日期", kDates)};
  auto all = cluster_columns(cols, nullptr);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].evidence.at(0).confidence, Confidence::low);
  EXPECT_EQ(all[1].evidence.at(0).confidence, Confidence::high);
  auto held = cluster_columns(cols, nullptr, {.hold_unconfirmed = true});
  auto a = assignment(held, cols.size());
  EXPECT_NE(a[0], a[1]) << "a low-confidence merge is held back";
  EXPECT_EQ(a[2], a[3]) << "a high-confidence one is not";
  auto confirmed = cluster_columns(
      cols, nullptr, {.hold_unconfirmed = true, .confirmed = {{"帮扶举措", "帮扶措施"}}});
  a = assignment(confirmed, cols.size());
  EXPECT_EQ(a[0], a[1]);
  EXPECT_NE(confirmed[a[0]].evidence.at(0).detail.find("已确认"), std::string::npos);
  // Names alone, with no values on one side, are low even for equal endings.
  std::vector<ColumnInfo> bare{col(0, "走访时间"), col(1, "走访日期", kDates)};
  auto b = cluster_columns(bare, nullptr);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].evidence.at(0).confidence, Confidence::low);
}

using testing_legacy::write;

TEST(LegacyAnalyze, CountsAndApply) {
  auto forms = testing::temp_dir("legacy-apply-forms");
  write(forms / "a.csv",
        "低保花名册\n序号,姓名,身份证号,走访时间,网格内户数（户）\n"
        "1,张三,530621199001011234,2024-01-02,12\n2,李四,530621199001021234,2024-03-04,30\n");
  write(forms / "b.csv",
        "序号,姓 名,公民身份号码,走访日期\n1,王五,530621198001011234,2023-05-06\n"
        "2,赵六,530621198001021234,2023-06-07\n");
  auto dict_dir = testing::temp_dir("legacy-apply-dict");
  write(dict_dir / "resident.toml",
        "# hand-written, keep this comment\n[[field]]\ncode = \"resident.name\"\nname = \"姓名\"\n"
        "type = \"text\"\nentity = \"resident\"\nsensitivity = \"personal\"\n");
  forms::Dictionary d = forms::Dictionary::load(dict_dir);
  Analysis a = analyze_folder(forms, &d);
  EXPECT_EQ(a.forms.size(), 2u);
  EXPECT_EQ(a.columns.size(), 7u);
  EXPECT_EQ(a.skipped_columns, 2);
  EXPECT_EQ(a.clusters.size(), 4u);  // 姓名, 身份证号, 走访时间, 网格内户数
  EXPECT_EQ(a.clusters_in_dictionary, 1);
  EXPECT_EQ(a.forms_from_dictionary, 0);
  std::string text = render_text(a);
  EXPECT_NE(text.find("走访日期"), std::string::npos);
  EXPECT_EQ(text.find("530621199001011234"), std::string::npos) << "ID numbers are masked";
  EXPECT_NE(text.find("530621********1234"), std::string::npos);
  EXPECT_EQ(text.find("张三"), std::string::npos) << "names are cut to the surname";
  EXPECT_NE(text.find("张*"), std::string::npos);
  auto json = to_json(a);
  EXPECT_EQ(json["summary"]["unique_fields"], 4);

  auto added = apply_to_dictionary(a, dict_dir);
  ASSERT_EQ(added.size(), 3u);
  for (const auto& f : added) EXPECT_EQ(f.group, "legacy");
  forms::Dictionary after = forms::Dictionary::load(dict_dir);
  EXPECT_EQ(after.size(), 4u);
  const forms::Field* id = after.find_by_name_or_synonym("公民身份号码");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->type, forms::FieldType::id_number);
  EXPECT_EQ(id->sensitivity, forms::Sensitivity::personal);
  const forms::Field* visit = after.find_by_name_or_synonym("走访日期");
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->type, forms::FieldType::date);
  const forms::Field* households = after.find_by_name_or_synonym("网格内户数");
  ASSERT_NE(households, nullptr);
  EXPECT_EQ(households->unit, "户");
  std::ifstream hand(dict_dir / "resident.toml");
  std::string first;
  std::getline(hand, first);
  EXPECT_EQ(first, "# hand-written, keep this comment");
  // Now every form is generated from the dictionary, and a second apply adds nothing.
  Analysis again = analyze_folder(forms, &after);
  EXPECT_EQ(again.forms_from_dictionary, 2);
  EXPECT_TRUE(apply_to_dictionary(again, dict_dir).empty());
}

// --apply writes low-confidence merges only when confirmed; the report says which to confirm.
TEST(LegacyAnalyze, ApplyWritesOnlyConfirmedOrHighConfidenceMerges) {
  auto forms = testing::temp_dir("legacy-confirm-forms");
  write(forms / "a.csv", "序号,帮扶措施,走访时间\n1,产业帮扶,2024-01-02\n2,就业帮扶,2024-03-04\n");
  write(forms / "b.csv", "序号,帮扶举措,走访日期\n1,健康帮扶,2023-05-06\n2,教育帮扶,2023-06-07\n");
  auto fresh_dict = [](const std::string& name) {
    auto d = testing::temp_dir(name);
    write(d / "resident.toml",
          "[[field]]\ncode = \"resident.name\"\nname = \"姓名\"\ntype = \"text\"\n"
          "entity = \"resident\"\nsensitivity = \"personal\"\n");
    return d;
  };
  Analysis a = analyze_folder(forms, nullptr);
  ASSERT_EQ(a.clusters.size(), 2u);  // the report proposes both merges
  auto lines = confirmation_lines(a);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "帮扶措施 = 帮扶举措");
  EXPECT_NE(render_text(a).find("低置信度"), std::string::npos);
  EXPECT_EQ(to_json(a)["summary"]["low_confidence_merges"], 1);
  EXPECT_EQ(to_json(a)["to_confirm"][0], lines[0]);

  // Unconfirmed: 帮扶措施 and 帮扶举措 go in as two fields; the dated pair as one.
  auto d1 = fresh_dict("legacy-confirm-dict1");
  forms::Dictionary dict1 = forms::Dictionary::load(d1);
  Analysis held = analyze(a.forms, &dict1, {.hold_unconfirmed = true});
  EXPECT_EQ(confirmation_lines(held).size(), 0u);
  auto added = apply_to_dictionary(held, d1);
  EXPECT_EQ(added.size(), 3u);

  // Confirmed in a file (a line copied from the report, a comment, a blank line).
  auto file = forms / "confirm.txt";
  write(file, "# 已核对\n\n" + lines[0] + "\n");
  auto pairs = read_confirmations(file);
  ASSERT_EQ(pairs.size(), 1u);
  auto d2 = fresh_dict("legacy-confirm-dict2");
  forms::Dictionary dict2 = forms::Dictionary::load(d2);
  Analysis ok = analyze(a.forms, &dict2, {.hold_unconfirmed = true, .confirmed = pairs});
  auto added2 = apply_to_dictionary(ok, d2);
  ASSERT_EQ(added2.size(), 2u);
  forms::Dictionary after = forms::Dictionary::load(d2);
  const forms::Field* m = after.find_by_name_or_synonym("帮扶举措");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m, after.find_by_name_or_synonym("帮扶措施"));

  write(file, "帮扶措施 帮扶举措\n");
  EXPECT_THROW(read_confirmations(file), Error);
  EXPECT_THROW(read_confirmations(forms / "missing.txt"), Error);
}

}  // namespace
}  // namespace wangge::legacy
