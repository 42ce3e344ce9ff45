// The field dictionary (forms/dictionary.h) and form definitions (forms/forms.h): the shipped
// data loads, names and synonyms resolve, and bad files are refused with their exact place.
#include "forms/dictionary.h"

#include <gtest/gtest.h>

#include <fstream>

#include "analytics/fields.h"
#include "core/error.h"
#include "forms/forms.h"
#include "testing/testing.h"

namespace wangge::forms {
namespace {

std::string error_field(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_FALSE(e.message(Lang::zh).empty());
    return e.field();
  }
  ADD_FAILURE() << "no error";
  return {};
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

TEST(Dictionary, ShippedFieldsResolveByNameSynonymAndWidth) {
  const Dictionary& d = Dictionary::shipped();
  EXPECT_GE(d.size(), 80u);
  const Field* id = d.find_by_name_or_synonym("身份证号码");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->code, "resident.id_number");
  EXPECT_EQ(id->type, FieldType::id_number);
  EXPECT_EQ(id->sensitivity, Sensitivity::sensitive_personal);
  EXPECT_EQ(d.find_by_name_or_synonym("公民身份号码"), id);
  EXPECT_EQ(d.find_by_name_or_synonym(" 手机号 "), d.find("resident.phone"));
  EXPECT_EQ(name_key("ＡＢＣ　１２３"), "abc123");
  EXPECT_EQ(d.resolve("resident.sex")->options, (std::vector<std::string>{"男", "女"}));
  EXPECT_EQ(d.find_by_name_or_synonym("不存在的字段"), nullptr);
  // Every tag of the registry has its field.
  EXPECT_NE(d.find("resident.tag.liushou_child"), nullptr);
}

TEST(Dictionary, AddRefusesDuplicatesAndSaveRoundTrips) {
  Dictionary d = Dictionary::shipped();
  Field f;
  f.code = "resident.hobby";
  f.name = "爱好";
  f.entity = "resident";
  f.synonyms = {"兴趣爱好"};
  d.add(f);
  Field dup = f;
  dup.code = "resident.hobby2";
  dup.name = "兴趣爱好";  // a synonym of the first
  EXPECT_THROW(d.add(dup), Error);
  Field bad = f;
  bad.code = "Bad Code";
  EXPECT_THROW(d.add(bad), Error);
  auto dir = wangge::testing::temp_dir();
  d.save(dir);
  Dictionary back = Dictionary::load(dir);
  EXPECT_EQ(back.size(), d.size());
  ASSERT_NE(back.find_by_name_or_synonym("兴趣爱好"), nullptr);
  EXPECT_EQ(back.find("resident.hobby")->group, "resident");
  EXPECT_EQ(back.find("resident.color")->options, d.find("resident.color")->options);
}

TEST(Dictionary, BadFilesNameFileLineAndKey) {
  auto dir = wangge::testing::temp_dir();
  write(dir / "a.toml",
        "[[field]]\ncode = \"x.a\"\nname = \"甲\"\ntype = \"integer\"\nentity = \"x\"\n"
        "sensitivity = \"public\"\n\n[[field]]\ncode = \"x.b\"\nname = \"乙\"\ntype = \"colour\"\n"
        "entity = \"x\"\nsensitivity = \"public\"\n");
  EXPECT_EQ(error_field([&] { Dictionary::load(dir); }), "a.toml:11:field.type");
  write(
      dir / "a.toml",
      "[[field]]\ncode = \"x.a\"\nname = \"甲\"\ntype = \"integer\"\nentity = \"x\"\n"
      "sensitivity = \"public\"\nsynonyms = [\"乙\"]\n\n[[field]]\ncode = \"x.b\"\nname = \"乙\"\n"
      "type = \"text\"\nentity = \"x\"\nsensitivity = \"public\"\n");
  EXPECT_EQ(error_field([&] { Dictionary::load(dir); }), "a.toml:11:field.name");
  write(dir / "a.toml", "[[field]]\ncode = \"x.a\"\nname = \n");
  EXPECT_EQ(error_field([&] { Dictionary::load(dir); }).substr(0, 8), "a.toml:3");
}

const char* kHead = "title = \"测试表\"\n\n[[indicator]]\ncode = \"a\"\nname = \"人数\"\n";

TEST(Forms, ShippedFormsAllLoad) {
  auto forms =
      FormSet::load(FormSet::shipped_dir(), Dictionary::shipped(), analytics::field_check());
  EXPECT_GE(forms.all().size(), 15u);
  for (const char* code : {"dibao", "tekun", "yilao_yixiao", "liushou_child", "red_yellow_green",
                           "key_persons", "fanpin", "banqian", "grid_staff", "party_coverage",
                           "events", "disputes", "compounds", "population"}) {
    EXPECT_NE(forms.find(code), nullptr) << code;
  }
}

TEST(Forms, BadDefinitionsAreRefusedAtTheirPlace) {
  const Dictionary& d = Dictionary::shipped();
  auto check = analytics::field_check();
  auto field_of = [&](const std::string& rest) {
    return error_field([&] { parse_form(std::string(kHead) + rest, "t.toml", d, check); });
  };
  // Line 6 is the first key after kHead.
  EXPECT_EQ(field_of("entity = \"resident\"\naggregate = \"total\"\n"),
            "t.toml:7:indicator[1].aggregate");
  EXPECT_EQ(field_of("entity = \"resident\"\naggregate = \"count\"\nfilter = \"年龄 >= \"\n"),
            "t.toml:8:indicator[1].filter");
  EXPECT_EQ(field_of("entity = \"resident\"\naggregate = \"count\"\nfilter = \"性别 = '未知'\"\n"),
            "t.toml:8:indicator[1].filter");
  EXPECT_EQ(field_of("entity = \"resident\"\naggregate = \"count\"\nfilter = \"姓名 = '张三'\"\n"),
            "t.toml:8:indicator[1].filter");  // text fields are not in the index
  // An unknown entity is refused where it is named, with or without a filter (a count of
  // every record used to slip through and fail only when the report ran).
  EXPECT_EQ(field_of("entity = \"planet\"\naggregate = \"count\"\nfilter = \"低保对象\"\n"),
            "t.toml:6:indicator[1].entity");
  EXPECT_EQ(field_of("entity = \"planet\"\naggregate = \"count\"\n"),
            "t.toml:6:indicator[1].entity");
  EXPECT_EQ(field_of("entity = \"resident\"\naggregate = \"sum\"\nfield = \"性别\"\n"),
            "t.toml:8:indicator[1].field");
  EXPECT_EQ(field_of("aggregate = \"percent\"\nnumerator = \"a\"\ndenominator = \"zz\"\n"),
            "t.toml:7:indicator[1].numerator");  // "a" is itself, not an earlier one
  EXPECT_EQ(field_of("entity = \"resident\"\naggregate = \"count\"\ncolour = \"red\"\n"),
            "t.toml:8:indicator[1].colour");
  EXPECT_EQ(error_field([&] { parse_form("title = \"x\"\n", "t.toml", d, check); }),
            "t.toml:1:indicator");
}

TEST(Forms, FiltersParseTheirWholeLanguage) {
  const Dictionary& d = Dictionary::shipped();
  Place at{"t.toml", 1, "filter"};
  Expr e = parse_filter(
      "年龄 ≥ 60 且 (低保对象 或 not 特困供养人员) and 人员风险颜色 in ('红', “黄”)", d, at);
  ASSERT_EQ(e.kind, Expr::Kind::all);
  ASSERT_EQ(e.children.size(), 3u);
  EXPECT_EQ(e.children[0].cmp, Expr::Cmp::ge);
  EXPECT_EQ(e.children[0].numbers, std::vector<double>{60});
  EXPECT_EQ(e.children[1].kind, Expr::Kind::any);
  EXPECT_EQ(e.children[2].numbers, (std::vector<double>{2, 1}));  // option indexes
  Expr no = parse_filter("低保对象 = '否'", d, at);
  EXPECT_EQ(no.kind, Expr::Kind::negate);
  EXPECT_EQ(fields_of(e).size(), 4u);
}

// Found writing the fuzz target (tests/fuzz/filter_fuzz.cpp): 100,000 brackets or nots overflowed
// the stack of the recursive-descent parser. Nesting now stops at 64 levels with a bad_input error.
TEST(Forms, FilterNestingIsBounded) {
  const Dictionary& d = Dictionary::shipped();
  Place at{"t.toml", 1, "filter"};
  auto nested = [](int levels) {
    return std::string(static_cast<size_t>(levels), '(') + "年龄 > 1" +
           std::string(static_cast<size_t>(levels), ')');
  };
  EXPECT_EQ(parse_filter(nested(64), d, at).kind, Expr::Kind::compare);
  auto refused = [&](const std::string& text) {
    try {
      parse_filter(text, d, at);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_input);
      EXPECT_EQ(e.code(), "invalid_filter");
      return e.message(Lang::zh).find("嵌套过深") != std::string::npos;
    }
    return false;
  };
  EXPECT_TRUE(refused(nested(65)));
  EXPECT_TRUE(refused(nested(100000)));
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  EXPECT_TRUE(refused(nots + "低保对象"));
}

}  // namespace
}  // namespace wangge::forms
