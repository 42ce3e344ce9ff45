// Issue 20's two classes of mistake: another person's field merged into the row person's
// (监护人/联系电话 with 联系电话), and village/township names left apart (所属社区 from
// 村（居）委会). Each rule (synonym, dictionary, similar names with values) is tried.
#include "legacy/owner.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "helpers.h"
#include "legacy/analyzer.h"
#include "legacy/cluster.h"
#include "legacy/normalize.h"
#include "testing/testing.h"

namespace wangge::legacy {
namespace {

TEST(LegacyOwner, ReadsWhoseFactItIs) {
  auto key = [](const std::string& name) { return read_sense(clean_header(name).name).key; };
  // Parent over child, prefix, bare role: the other person owns it.
  EXPECT_EQ(key("监护人/联系电话"), "监护人的联系电话");
  EXPECT_EQ(key("监护人电话"), "监护人的联系电话");
  EXPECT_EQ(key("监护人手机号码"), "监护人的联系电话");
  EXPECT_EQ(key("结对帮扶人/姓名"), "结对帮扶人的姓名");
  EXPECT_EQ(key("紧急联系人电话"), "紧急联系人的联系电话");
  EXPECT_EQ(key("子女/联系电话"), key("子女联系方式"));
  EXPECT_EQ(key("户主/姓名"), key("户主姓名"));
  EXPECT_EQ(key("户主"), key("户主姓名"));
  EXPECT_EQ(key("包保干部"), key("包保责任人"));
  // The row's own person: a form about elders calls its person 老人.
  EXPECT_EQ(key("老人姓名"), "姓名");
  EXPECT_EQ(key("参保人员身份证号"), "公民身份号码");
  EXPECT_EQ(key("与户主关系"), key("与户主的关系"));  // 户主 inside, but the row's relation
  EXPECT_EQ(key("子女数"), "子女数");                 // a count, not the children's fact
  EXPECT_EQ(read_sense("联系电话").owner, "");
  // The general class, not a list of the words.
  EXPECT_TRUE(is_other_person("稳控责任人"));
  EXPECT_TRUE(is_other_person("驻村工作队员"));
  EXPECT_TRUE(is_other_person("帮扶干部"));
  EXPECT_TRUE(is_other_person("配偶"));
  EXPECT_TRUE(is_other_person("入党介绍人"));
  EXPECT_FALSE(is_other_person("特困人员"));
  EXPECT_FALSE(is_other_person("退役军人"));
  EXPECT_FALSE(is_other_person("老年人"));
  EXPECT_FALSE(is_other_person("户籍人口"));
  EXPECT_TRUE(owners_compatible("调解人员", "调解员"));
  EXPECT_FALSE(owners_compatible("责任人", "包保责任人"));
  EXPECT_FALSE(owners_compatible("监护人", "被监护人"));
  EXPECT_FALSE(owners_compatible("", "监护人"));
}

TEST(LegacyOwner, NoRuleMergesAnotherPersonsFact) {
  EXPECT_FALSE(similar_names("监护人/联系电话", "联系电话"));
  EXPECT_FALSE(similar_names("结对帮扶人/姓名", "姓名"));
  EXPECT_FALSE(similar_names("户主/姓名", "姓名"));
  EXPECT_FALSE(similar_names("子女/联系电话", "监护人/联系电话"));
  EXPECT_TRUE(similar_names("调解人员", "调解员"));
  // What the owner guards against: the children alone are one field by the synonym list.
  EXPECT_EQ(builtin_canonical("联系电话"), builtin_canonical("手机"));
}

using testing_legacy::write;

// Two-row headers in CSV: a parent is followed by empty cells over which the row below names
// children. Who each column is about is the truth.
struct Form {
  std::string file, text;
  std::vector<std::string> truth;  // per column after 序号
};

const std::vector<Form> kForms{
    {"a.csv",
     "老人关爱服务台账\n"
     "序号,姓名,联系电话,监护人,,结对帮扶人,,子女,\n"
     ",,,姓名,联系电话,姓名,联系电话,姓名,联系电话\n"
     "1,张三,13887654321,张大,13912345678,王五,13711112222,张小三,13633334444\n"
     "2,李四,13887654322,李大,13912345679,赵六,13711112223,李小四,13633334445\n",
     {"name", "phone", "g.name", "g.phone", "h.name", "h.phone", "c.name", "c.phone"}},
    {"b.csv",
     "序号,老人姓名,手机号码,子女,,监护人,,结对帮扶人,\n"
     ",,,联系电话,姓名,手机,姓名,联系方式,姓名\n"
     "1,孙七,13887654323,13633334446,孙小七,13912345670,孙大,13711112224,钱八\n"
     "2,周九,13887654324,13633334447,周小九,13912345671,周大,13711112225,吴十\n",
     {"name", "phone", "c.phone", "c.name", "g.phone", "g.name", "h.phone", "h.name"}},
    {"c.csv",
     "序号,姓名,联系电话,监护人姓名,监护人电话,结对帮扶人联系电话,子女姓名\n"
     "1,郑一,13887654325,郑大,13912345672,13711112226,郑小一\n"
     "2,冯二,13887654326,冯大,13912345673,13711112227,冯小二\n",
     {"name", "phone", "g.name", "g.phone", "h.phone", "c.name"}},
    {"d.csv",
     "序号,户主,,家庭成员姓名,电话\n"
     ",姓名,身份证号,,\n"
     "1,陈一,530621199001011234,陈二,13887654327\n"
     "2,褚三,530621199001021234,褚四,13887654328\n",
     {"head.name", "head.id", "name", "phone"}},
};

// Every cluster holds one true field; the same other person's fact in two forms is one.
void expect_people_apart(const Analysis& a) {
  std::map<std::pair<std::string, int>, std::string> truth;
  for (const Form& f : kForms) {
    for (size_t i = 0; i < f.truth.size(); ++i) {
      truth[{f.file, static_cast<int>(i) + 1}] = f.truth[i];
    }
  }
  ASSERT_EQ(a.columns.size(), truth.size());
  std::map<std::string, std::set<int>> clusters_of;  // true field → clusters
  for (const auto& k : a.clusters) {
    std::set<std::string> fields;
    for (int c : k.columns) {
      const auto& col = a.columns[c];
      fields.insert(truth.at({a.forms[col.form].file, col.index}));
    }
    std::string all;
    for (const auto& f : fields) all += f + " ";
    EXPECT_EQ(fields.size(), 1u) << "【" << k.name << "】 merges " << all;
  }
  for (size_t c = 0; c < a.columns.size(); ++c) {
    const auto& col = a.columns[c];
    clusters_of[truth.at({a.forms[col.form].file, col.index})].insert(a.cluster_of[c]);
  }
  for (const char* f : {"name", "phone", "g.name", "g.phone", "h.name", "h.phone", "c.phone"}) {
    EXPECT_EQ(clusters_of[f].size(), 1u) << f << " left split";
  }
}

TEST(LegacyOwner, TwoRowHeaderOfOtherPeople) {
  auto dir = ::wangge::testing::temp_dir("legacy-owner");
  for (const Form& f : kForms) write(dir / f.file, f.text);
  Analysis a = analyze_folder(dir, nullptr);
  ASSERT_EQ(a.forms.size(), 4u);
  expect_people_apart(a);

  // The same with a dictionary that knows the row's own 姓名 and 联系电话 and the guardian's
  // phone: the dictionary rule respects owners too.
  forms::Dictionary d;
  auto add = [&](std::string code, std::string name, forms::FieldType type,
                 std::vector<std::string> synonyms) {
    forms::Field f;
    f.code = std::move(code);
    f.name = std::move(name);
    f.type = type;
    f.entity = "resident";
    f.synonyms = std::move(synonyms);
    d.add(f);
  };
  add("resident.name", "姓名", forms::FieldType::text, {"人员姓名"});
  add("resident.phone", "联系电话", forms::FieldType::phone, {"手机号码", "联系方式"});
  add("resident.guardian_phone", "监护人联系电话", forms::FieldType::phone, {});
  Analysis with_dict = analyze_folder(dir, &d);
  expect_people_apart(with_dict);
  for (size_t c = 0; c < with_dict.columns.size(); ++c) {
    const auto& k = with_dict.clusters[with_dict.cluster_of[c]];
    if (with_dict.columns[c].name == "监护人/联系电话" ||
        with_dict.columns[c].name == "监护人/手机") {
      ASSERT_NE(k.field, nullptr);
      EXPECT_EQ(k.field->code, "resident.guardian_phone");
    }
    if (with_dict.columns[c].name == "子女/联系电话") {
      EXPECT_EQ(k.field, nullptr);
    }
  }
}

TEST(LegacyDivision, VillageAndTownshipNames) {
  for (const char* v :
       {"所属村", "所属社区", "所在社区", "村（社区）", "村（居）委会", "行政村", "居委会",
        "村委会", "社区（村）", "村（居）", "村民委员会", "社区名称", "所在村（社区）", "村名"}) {
    EXPECT_EQ(division_level(clean_header(v).name), "村(社区)") << v;
  }
  for (const char* t : {"乡镇", "乡（镇）", "街道", "乡镇（街道）", "所属乡镇", "镇（乡、街道）",
                        "所在街道", "乡镇街道", "街道办事处", "乡镇名称"}) {
    EXPECT_EQ(division_level(clean_header(t).name), "乡镇(街道)") << t;
  }
  EXPECT_EQ(division_level(clean_header("县（市、区）").name), "县(市、区)");
  EXPECT_EQ(division_level("所属县区"), "县(市、区)");
  for (const char* g : {"村民小组", "组", "所在小组", "组（社）", "居民小组"}) {
    EXPECT_EQ(division_level(clean_header(g).name), "村民小组") << g;
  }
  for (const char* n : {"村组", "户籍所在地", "村代码", "区划代码", "社区网格", "区", "所在地"}) {
    EXPECT_EQ(division_level(clean_header(n).name), "") << n;
  }
}

ColumnInfo header_col(int form, const std::string& header, const std::vector<std::string>& values) {
  ColumnInfo c;
  c.form = form;
  c.raw = header;
  c.name = clean_header(header).name;
  c.profile = profile_values(values);
  c.examples = values;
  return c;
}

TEST(LegacyDivision, OneFieldPerLevel) {
  const std::vector<std::string> villages{"龙泉村", "雨露社区", "文屏社区"};
  const std::vector<std::string> towns{"文屏镇", "砚池街道", "茨院回族乡"};
  std::vector<std::string> v{"所属村",       "所属社区", "所在社区", "村（社区）",
                             "村（居）委会", "行政村",   "居委会",   "村委会"};
  std::vector<std::string> t{"乡镇", "乡（镇）", "街道", "乡镇（街道）", "所属乡镇"};
  std::vector<ColumnInfo> cols;
  cols.reserve(v.size() + t.size() + 3);
  int form = 0;
  for (const auto& n : v) cols.push_back(header_col(form++, n, villages));
  for (const auto& n : t) cols.push_back(header_col(form++, n, towns));
  cols.push_back(header_col(form++, "县（市、区）", {"鲁甸县", "昭阳区"}));
  cols.push_back(header_col(form++, "村民小组", {"3组", "5组"}));
  cols.push_back(header_col(form++, "组", {"1组", "2组"}));
  auto clusters = cluster_columns(cols, nullptr);
  std::vector<int> of(cols.size());
  for (size_t k = 0; k < clusters.size(); ++k) {
    for (int c : clusters[k].columns) of[c] = static_cast<int>(k);
  }
  for (size_t i = 1; i < v.size(); ++i) EXPECT_EQ(of[i], of[0]) << v[i];
  for (size_t i = 1; i < t.size(); ++i) EXPECT_EQ(of[v.size() + i], of[v.size()]) << t[i];
  size_t county = v.size() + t.size(), group = county + 1;
  EXPECT_NE(of[0], of[v.size()]);
  EXPECT_NE(of[county], of[0]);
  EXPECT_NE(of[county], of[v.size()]);
  EXPECT_NE(of[group], of[0]);
  EXPECT_EQ(of[group], of[group + 1]);
  EXPECT_EQ(clusters.size(), 4u);
  // Nor do the similar-name tests cross levels.
  EXPECT_FALSE(similar_names("村民小组", "村委会"));
  EXPECT_FALSE(similar_names("所在村", "所在乡镇"));
}

// A group parent naming another place (where someone moved from, works, was born) owns the
// division levels under it: they are not the row's own 县/乡镇/村, nor another place's.
TEST(LegacyDivision, AnotherPlacesLevelsStayApart) {
  auto sense = [](const std::string& name) { return read_sense(clean_header(name).name); };
  EXPECT_EQ(sense("原户籍地/乡（镇）").level, "乡镇(街道)");
  EXPECT_EQ(sense("原户籍地/乡（镇）").owner, "原户籍地");
  EXPECT_EQ(sense("出生地/县区").owner, "出生地");
  EXPECT_EQ(sense("安置地点/行政村").key, sense("安置地/村委会").key);  // one place, one level
  EXPECT_EQ(sense("籍贯/县").owner, "籍贯");
  // The row's own location under a parent that names it stays the row's.
  EXPECT_EQ(sense("所在地/村").owner, "");
  EXPECT_EQ(sense("现居住地/乡镇").owner, "");
  EXPECT_EQ(sense("家庭地址/村").owner, "");
  // No rule crosses them: similar names, synonyms, the division level.
  EXPECT_FALSE(similar_names("出生地/县区", "县区"));
  EXPECT_FALSE(similar_names("出生地/县区", "就业地/县区"));
  EXPECT_TRUE(similar_names("就业地点/乡镇", "就业地/乡(镇)"));
  auto dir = ::wangge::testing::temp_dir("legacy-place");
  write(dir / "a.csv",
        "序号,县区,乡镇,村,出生地,,,就业地点,\n"
        ",,,,县区,乡镇,村,县区,乡镇\n"
        "1,大关县,天星镇,甲村,彝良县,角奎镇,乙村,盐津县,豆沙镇\n");
  write(dir / "b.csv",
        "序号,县（市、区）,乡（镇）,行政村,就业地,\n"
        ",,,,县（区）,镇\n"
        "1,大关县,天星镇,丙村,昭阳区,凤凰街道\n");
  write(dir / "c.csv",
        "序号,所属乡镇,出生地,\n"
        ",,乡镇,村委会\n"
        "1,天星镇,洛旺乡,丁村\n");
  Analysis a = analyze_folder(dir, nullptr);
  ASSERT_EQ(a.forms.size(), 3u);
  std::map<std::string, std::set<int>> clusters;  // "form:column name" → cluster
  std::map<std::string, int> of;
  for (size_t c = 0; c < a.columns.size(); ++c) {
    of[a.forms[a.columns[c].form].file + ":" + a.columns[c].name] = a.cluster_of[c];
  }
  std::string names;
  for (const auto& [n, k] : of) names += n + " ";
  ASSERT_EQ(of.size(), 16u) << names;
  // The row's own levels merge across forms; each other place's levels merge with the same
  // place's only.
  EXPECT_EQ(of["a.csv:县区"], of["b.csv:县"]);
  EXPECT_EQ(of["a.csv:乡镇"], of["b.csv:乡(镇)"]);
  EXPECT_EQ(of["a.csv:乡镇"], of["c.csv:所属乡镇"]);
  EXPECT_EQ(of["a.csv:村"], of["b.csv:行政村"]);
  EXPECT_EQ(of["a.csv:出生地/乡镇"], of["c.csv:出生地/乡镇"]);
  EXPECT_EQ(of["a.csv:出生地/村"], of["c.csv:出生地/村委会"]);
  EXPECT_EQ(of["a.csv:就业地点/县区"], of["b.csv:就业地/县"]);
  EXPECT_EQ(of["a.csv:就业地点/乡镇"], of["b.csv:就业地/镇"]);
  for (const char* own : {"b.csv:县", "b.csv:乡(镇)", "b.csv:行政村", "c.csv:所属乡镇"}) {
    for (const char* other : {"a.csv:出生地/县区", "a.csv:出生地/乡镇", "a.csv:出生地/村",
                              "a.csv:就业地点/县区", "a.csv:就业地点/乡镇"}) {
      EXPECT_NE(of[own], of[other]) << own << " merged with " << other;
    }
  }
  EXPECT_NE(of["a.csv:出生地/县区"], of["b.csv:就业地/县"]);
}

// A group parent's bracketed qualifier tells two groups apart: the two parties of a dispute are
// two people, neither of them the row's own; the same qualifier in two forms is one person.
TEST(LegacyOwner, QualifiedGroupsAreDifferentPeople) {
  auto key = [](const std::string& name) { return read_sense(name).key; };
  EXPECT_NE(key("投诉人(甲方)/姓名"), key("投诉人(乙方)/姓名"));
  EXPECT_NE(key("投诉人(甲方)/姓名"), key("姓名"));
  EXPECT_EQ(read_sense("投诉人(甲方)/手机").key, read_sense("投诉人(甲方)/联系电话").key);
  EXPECT_EQ(combine_header("投诉人信息(甲方)", "姓名"), "投诉人(甲方)/姓名");
  EXPECT_EQ(combine_header("基本信息(甲方)", "姓名"), "姓名");  // the row's own grouping
  EXPECT_FALSE(similar_names("投诉人(甲方)/联系电话", "投诉人(乙方)/联系电话"));
  auto dir = ::wangge::testing::temp_dir("legacy-qualifier");
  write(dir / "a.csv",
        "序号,登记人姓名,投诉人（甲方）,,投诉人（乙方）,\n"
        ",,姓名,联系电话,姓名,联系电话\n"
        "1,王一,李二,13800001111,赵三,13900002222\n");
  write(dir / "b.csv",
        "序号,姓名,联系电话,投诉人(甲方),,投诉人（乙方）（必填）,\n"
        ",,,姓名,手机,姓名,手机\n"
        "1,钱四,13700003333,孙五,13600004444,周六,13500005555\n");
  Analysis a = analyze_folder(dir, nullptr);
  std::map<std::string, int> of;
  for (size_t c = 0; c < a.columns.size(); ++c) {
    of[a.forms[a.columns[c].form].file + ":" + a.columns[c].name] = a.cluster_of[c];
  }
  ASSERT_EQ(of.size(), 11u);
  EXPECT_EQ(of["a.csv:投诉人(甲方)/姓名"], of["b.csv:投诉人(甲方)/姓名"]);
  EXPECT_EQ(of["a.csv:投诉人(乙方)/姓名"], of["b.csv:投诉人(乙方)/姓名"]);  // 必填 is no qualifier
  EXPECT_EQ(of["a.csv:投诉人(甲方)/联系电话"], of["b.csv:投诉人(甲方)/手机"]);
  EXPECT_NE(of["a.csv:投诉人(甲方)/姓名"], of["a.csv:投诉人(乙方)/姓名"]);
  EXPECT_NE(of["b.csv:姓名"], of["a.csv:投诉人(甲方)/姓名"]);
  EXPECT_NE(of["b.csv:联系电话"], of["a.csv:投诉人(乙方)/联系电话"]);
  EXPECT_NE(of["b.csv:投诉人(甲方)/手机"], of["b.csv:投诉人(乙方)/手机"]);
}

// A form whose only person name is the 户主's describes households: its unlabelled person facts
// are the 户主's, not a resident's own. A form naming its own person keeps them.
TEST(LegacyOwner, HouseholdRowsGiveTheHeadsFacts) {
  auto head = [](std::vector<std::string> names) { return household_head_names(names); };
  EXPECT_EQ(head({"户主姓名", "家庭人口", "公民身份号码", "手机", "家庭住址"}),
            (std::vector<std::string>{"", "", "户主公民身份号码", "户主手机", ""}));
  EXPECT_EQ(head({"户主/姓名", "户主/性别", "证件号码"})[2], "户主证件号码");
  EXPECT_EQ(head({"户主", "出生年月"})[1], "户主出生年月");
  // The row's own person named: 姓名, 成员姓名, 配偶方姓名 — nothing is the 户主's.
  for (const char* own : {"姓名", "家庭成员姓名", "配偶方姓名"}) {
    auto out = head({"户主姓名", own, "身份证号", "电话"});
    EXPECT_EQ(out[2], "") << own;
    EXPECT_EQ(out[3], "") << own;
  }
  EXPECT_EQ(head({"姓名", "身份证号"})[1], "");         // no 户主 at all
  EXPECT_EQ(head({"户主姓名", "帮扶人/电话"})[1], "");  // another's fact stays another's

  auto dir = ::wangge::testing::temp_dir("legacy-household");
  write(dir / "a.csv",
        "序号,户主姓名,家庭人口,身份证号,手机,帮扶人姓名\n"
        "1,王一,3,530621199001011234,13800001111,李二\n");
  write(dir / "b.csv",
        "序号,户主,户主身份证号码,户主电话\n"
        "1,赵三,530621199002021234,13900002222\n");
  write(dir / "c.csv",
        "序号,姓名,身份证号码,联系电话,户主姓名\n"
        "1,钱四,530621199003031234,13700003333,钱五\n");
  write(dir / "d.csv",
        "序号,姓名,联系电话（户主）\n"
        "1,孙六,13600004444\n");
  Analysis a = analyze_folder(dir, nullptr);
  std::map<std::string, int> of;
  std::map<std::string, std::string> note;
  for (size_t c = 0; c < a.columns.size(); ++c) {
    std::string k = a.forms[a.columns[c].form].file + ":" + a.columns[c].raw;
    of[k] = a.cluster_of[c];
    note[k] = a.columns[c].note;
  }
  ASSERT_EQ(of.size(), 14u);
  EXPECT_EQ(of["a.csv:身份证号"], of["b.csv:户主身份证号码"]);
  EXPECT_EQ(of["a.csv:手机"], of["b.csv:户主电话"]);
  EXPECT_EQ(of["a.csv:手机"], of["d.csv:联系电话（户主）"]);
  EXPECT_NE(of["a.csv:身份证号"], of["c.csv:身份证号码"]);
  EXPECT_NE(of["a.csv:手机"], of["c.csv:联系电话"]);
  EXPECT_NE(of["d.csv:联系电话（户主）"], of["c.csv:联系电话"]);
  // The reason is in the report, for the person who confirms it.
  EXPECT_NE(note["a.csv:手机"].find("户主"), std::string::npos);
  EXPECT_EQ(note["c.csv:联系电话"], "");
  EXPECT_NE(render_text(a).find(note["a.csv:手机"]), std::string::npos);
}

}  // namespace
}  // namespace wangge::legacy
