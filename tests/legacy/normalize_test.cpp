// Header names of legacy forms: width, spaces, numbering, units, synonyms, parent/child.
#include "legacy/normalize.h"

#include <gtest/gtest.h>

#include <map>

#include "legacy/values.h"

namespace wangge::legacy {
namespace {

TEST(LegacyNormalize, FoldsFullWidthAndSpaces) {
  EXPECT_EQ(fold_width("ＡＢＣ１２３（元）：　x"), "ABC123(元): x");
  EXPECT_EQ(clean_header("姓  名").name, "姓名");
  EXPECT_EQ(clean_header("姓　名").name, "姓名");  // U+3000
  EXPECT_EQ(clean_header("联系\n电话").name, "联系电话");
  EXPECT_EQ(clean_header(" 身份证号码 ").name, "身份证号码");
  EXPECT_EQ(clean_header("６０岁以上老人（人）").name, "60岁以上老人");
}

TEST(LegacyNormalize, TakesUnitsOutOfBrackets) {
  auto c = clean_header("家庭人口（人）");
  EXPECT_EQ(c.name, "家庭人口");
  EXPECT_EQ(c.unit, "人");
  EXPECT_EQ(clean_header("月保障金额(元)").unit, "元");
  EXPECT_EQ(clean_header("补贴标准（元/月）").unit, "元/月");
  auto label = clean_header("补助金额（单位：元）");
  EXPECT_EQ(label.name, "补助金额");
  EXPECT_EQ(label.unit, "元");
  auto inline_unit = clean_header("补助金额单位：万元");
  EXPECT_EQ(inline_unit.name, "补助金额");
  EXPECT_EQ(inline_unit.unit, "万元");
  // Brackets that are not units are remarks, not part of the name.
  auto remark = clean_header("性别（男/女）");
  EXPECT_EQ(remark.name, "性别");
  EXPECT_TRUE(remark.unit.empty());
  ASSERT_EQ(remark.remarks.size(), 1u);
  EXPECT_EQ(remark.remarks[0], "男/女");
  // Only a bracket: its text is the name.
  EXPECT_EQ(clean_header("（备注）").name, "备注");
}

TEST(LegacyNormalize, DropsNumberingAndMarks) {
  EXPECT_EQ(clean_header("一、基本情况").name, "基本情况");
  EXPECT_EQ(clean_header("十二、其他").name, "其他");
  EXPECT_EQ(clean_header("1.网格数（个）").name, "网格数");
  EXPECT_EQ(clean_header("2、户籍人口").name, "户籍人口");
  EXPECT_EQ(clean_header("（三）党员人数").name, "党员人数");
  EXPECT_EQ(clean_header("①低保户数").name, "低保户数");
  EXPECT_EQ(clean_header("*姓名").name, "姓名");
  EXPECT_EQ(clean_header("姓名：").name, "姓名");
  EXPECT_EQ(clean_header("其中：专职（人）").name, "专职");
  // Numbers that belong to the name stay.
  EXPECT_EQ(clean_header("60岁以上老人").name, "60岁以上老人");
  EXPECT_EQ(clean_header("1.5倍标准").name, "1.5倍标准");
  EXPECT_EQ(clean_header("3岁以下儿童").name, "3岁以下儿童");
}

TEST(LegacyNormalize, RowNumberColumn) {
  EXPECT_TRUE(is_row_number_header("序号"));
  EXPECT_TRUE(is_row_number_header("NO"));
  EXPECT_FALSE(is_row_number_header("户编号"));
}

TEST(LegacyNormalize, BuiltinSynonyms) {
  EXPECT_EQ(builtin_canonical("身份证号"), "公民身份号码");
  EXPECT_EQ(builtin_canonical("身份证号码"), "公民身份号码");
  EXPECT_EQ(builtin_canonical("公民身份号码"), "公民身份号码");
  EXPECT_EQ(builtin_canonical("手机号码"), "联系电话");
  EXPECT_EQ(builtin_canonical("出生年月"), "出生日期");
  EXPECT_EQ(builtin_canonical("现住址"), "家庭住址");
  // Groups are matched on clean names: 村（社区）and 村(社区) and 村委会 are one.
  EXPECT_EQ(builtin_canonical(clean_header("村（社区）").name), builtin_canonical("村委会"));
  EXPECT_EQ(builtin_canonical("不在表里的名字"), "不在表里的名字");
  // No name is in two groups.
  std::map<std::string, size_t> group_of;
  const auto& groups = builtin_synonym_groups();
  for (size_t g = 0; g < groups.size(); ++g) {
    for (auto n : groups[g]) {
      auto [it, fresh] = group_of.emplace(clean_header(n).name, g);
      EXPECT_TRUE(fresh || it->second == g) << n;
    }
  }
}

TEST(LegacyNormalize, CombinesParentAndChild) {
  EXPECT_EQ(combine_header("", "姓名"), "姓名");
  EXPECT_EQ(combine_header("基本信息", "姓名"), "姓名");
  EXPECT_EQ(combine_header("家庭成员情况", "与户主关系"), "与户主关系");
  EXPECT_EQ(combine_header("联系方式", "手机"), "手机");
  EXPECT_EQ(combine_header("其中", "男性"), "男性");
  EXPECT_EQ(combine_header("监护人信息", "姓名"), "监护人姓名");
  EXPECT_EQ(combine_header("监护人情况", "监护人电话"), "监护人电话");
  EXPECT_EQ(combine_header("2024年", "人数"), "2024年/人数");
  EXPECT_EQ(combine_header("补贴标准", "生活补贴"), "补贴标准/生活补贴");
}

TEST(LegacyValues, ClassifiesCells) {
  EXPECT_EQ(classify_value("53062119900101123X"), ValueKind::id_number);
  EXPECT_EQ(classify_value("530621********1234"), ValueKind::id_number);
  EXPECT_EQ(classify_value("13887654321"), ValueKind::phone);
  EXPECT_EQ(classify_value("138****4321"), ValueKind::phone);
  EXPECT_EQ(classify_value("0870-6123456"), ValueKind::phone);
  EXPECT_EQ(classify_value("2024-03-01"), ValueKind::date);
  EXPECT_EQ(classify_value("2024/3/1"), ValueKind::date);
  EXPECT_EQ(classify_value("1956.03"), ValueKind::date);
  EXPECT_EQ(classify_value("2024年3月1日"), ValueKind::date);
  EXPECT_EQ(classify_value("20240301"), ValueKind::date);
  EXPECT_EQ(classify_value("２０２４－０３－０１"), ValueKind::date);  // full-width, folded
  EXPECT_EQ(classify_value("645"), ValueKind::integer);
  EXPECT_EQ(classify_value("-3"), ValueKind::integer);
  EXPECT_EQ(classify_value("12.5"), ValueKind::decimal);
  EXPECT_EQ(classify_value("6228480012345678901"), ValueKind::code);
  EXPECT_EQ(classify_value("龙泉村"), ValueKind::text);
  EXPECT_EQ(classify_value("  "), ValueKind::empty);
}

TEST(LegacyValues, ProfilesColumns) {
  EXPECT_EQ(profile_values({}).kind, ColumnKind::unknown);
  EXPECT_EQ(profile_values({"1", "2", "3.5"}).kind, ColumnKind::decimal);
  EXPECT_EQ(profile_values({"1", "2", "3", "4", "x"}).kind, ColumnKind::integer);  // 80%
  auto e = profile_values({"男", "女", "女", "男", "男"});
  EXPECT_EQ(e.kind, ColumnKind::enumeration);
  EXPECT_EQ(e.options, (std::vector<std::string>{"男", "女"}));
  EXPECT_EQ(profile_values({"张三", "李四", "王五", "赵六"}).kind, ColumnKind::text);
  EXPECT_TRUE(compatible(ColumnKind::integer, ColumnKind::decimal));
  EXPECT_TRUE(compatible(ColumnKind::unknown, ColumnKind::phone));
  EXPECT_TRUE(compatible(ColumnKind::enumeration, ColumnKind::text));
  EXPECT_FALSE(compatible(ColumnKind::date, ColumnKind::text));
  EXPECT_FALSE(compatible(ColumnKind::phone, ColumnKind::id_number));
}

}  // namespace
}  // namespace wangge::legacy
