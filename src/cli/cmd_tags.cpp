// `wangge tags add|list`: the tag catalogue and a county's own tags (key-person categories with
// their colour rules). A server running on the same database finds a tag added here when a
// write or a filter first names it; its forms can name it after the server restarts.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "auth/audit.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "core/error.h"
#include "forms/dictionary.h"
#include "people/people.h"

namespace wangge::cli {
namespace {

// The new tag's name must be free in the dictionary too: forms name it as a field.
void check_dictionary(const std::string& name) {
  forms::Dictionary dict = forms::Dictionary::shipped();
  for (const auto& dir : registry().dictionary_dirs()) {
    const forms::Dictionary more = forms::Dictionary::load(dir);
    for (const auto& f : more.fields()) dict.add(f);
  }
  if (dict.find_by_name_or_synonym(name)) {
    throw_conflict("duplicate_tag", "名称已是数据字典中的字段名或同义词：" + name,
                   "the name is already a field name or synonym of the dictionary: " + name);
  }
}

std::string line(const people::Tag& t) {
  return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}", t.code, t.name, t.category,
                     t.key_person ? "重点人员" : "-",
                     t.color ? std::string(people::label(*t.color)) : "-",
                     t.sensitive ? "敏感" : "-", t.own ? "本县 county" : "内置 shipped");
}

}  // namespace

int run_tags(const TagsArgs& args) {
  auto db = open_existing_database(args.db);
  if (args.action == "list") {
    auto tx = db->begin(store::TxMode::read);
    for (const auto& t : people::list_tags(*tx)) fmt::print("{}\n", line(t));
    return 0;
  }
  const std::string actor = audit_actor(args.as);
  open_vault_if_any(*db, args.db);  // the audit row's MAC key, when the database has one
  people::NewTag n{.code = args.code,
                   .name = args.name,
                   .category = args.category.empty()
                                   ? std::string(args.key_person ? "重点人员" : "自定义")
                                   : args.category,
                   .key_person = args.key_person,
                   .sensitive = args.sensitive};
  if (!args.color.empty()) n.color = people::parse_color(args.color);
  check_dictionary(n.name);
  people::Tag t = db->transact([&](store::Tx& tx) {
    people::Tag added = people::add_tag(tx, n);
    nlohmann::json detail = {{"code", added.code},         {"name", added.name},
                             {"category", added.category}, {"key_person", added.key_person},
                             {"color", args.color},        {"sensitive", added.sensitive}};
    auth::audit::append(tx, actor, "tag.create", "tag:" + added.code, detail.dump());
    return added;
  });
  fmt::print("{}\n", line(t));
  return 0;
}

}  // namespace wangge::cli
