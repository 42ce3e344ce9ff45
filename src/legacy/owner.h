// Whose fact a legacy column records. A form's row describes one person (or household, or
// event); columns about other people sit beside that person's own: 监护人/联系电话 under a
// two-row header, 户主姓名 or 结对帮扶人联系方式 with the person as a prefix, 包保责任人 alone
// for that person's name. Every merge rule compares owners first, so the guardian's phone never
// becomes the elder's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wangge::legacy {

struct NameSense {
  // Canonical other person ("监护人", "户主", "当事人(申请方)") or, for a division level, the
  // other place it is under ("迁出地", "务工地"); empty: the row's own.
  std::string owner;
  std::string fact;   // the fact without the owner ("联系电话"; "姓名" for a bare role)
  std::string level;  // division_level() of the name; empty when not a division
  std::string key;  // what synonyms compare: "监护人的联系电话", "公民身份号码", "村(社区)"
};

// Reads a clean column name (as combine_header() builds it). A role in a parent
// ("监护人/联系电话", "结对帮扶人/姓名") owns the child; a role before a personal fact
// ("户主身份证号", "紧急联系人电话") owns it; a role alone ("户主", "帮扶责任人") is that
// person's name. The row's own person before a fact ("老人姓名", "参保人身份证号") is dropped.
// A parent's bracketed qualifier is part of the owner: 当事人(申请方)/姓名 and
// 当事人(被申请方)/姓名 are two people. A parent naming a place of something (迁出地, 原籍, 户籍地,
// 务工地点, 安置地; not 所在地 or 居住地) owns the division levels under it: 迁出地/县 is not the
// row's 县.
NameSense read_sense(std::string_view clean_name);

// Whether a word names a person other than the row's: kin (户主, 子女, 配偶, 父母 …), or a
// role word ending in 人, 员, 干部, 领导 … that is not the row's own (老人, 党员, 残疾人, 参保人,
// 特困人员 are; 监护人, 结对帮扶人, 紧急联系人, 网格员, 包保干部, 调解人员 are not).
bool is_other_person(std::string_view word);

// Whether two owners may hold the same field: equal, or the same act with another word for
// the person (调解人员 / 调解员) — never the row's own with another's, nor 责任人 with
// 整改责任人 (a modifier may name another role).
bool owners_compatible(std::string_view a, std::string_view b);

// Household-row forms: when a form names the 户主's name (户主姓名, 户主/姓名, 户主) and no column
// names the row's own person (姓名, 老人姓名, 家庭成员姓名), its rows are households and its
// unlabelled person facts (身份证号码, 联系电话, 性别, 出生日期 …) are the 户主's. Takes the clean
// names of one form's columns; returns, per name, the name to read it by ("户主联系电话"), or empty
// when the column stays as it is.
std::vector<std::string> household_head_names(const std::vector<std::string>& clean_names);

}  // namespace wangge::legacy
