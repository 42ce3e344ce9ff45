// The tag catalogue of a process: the tags table as loaded, published as immutable snapshots so
// that the analytics index and request handlers read it without a lock, and a county's own tags
// added at run time.
#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "core/text.h"
#include "people/people.h"

namespace wangge::people {
namespace {

struct Catalogue {
  std::vector<Tag> tags;
  std::unordered_map<std::string, size_t> by_code, by_name;
};

// Every snapshot ever published stays alive (a reader may hold a Tag* or the vector of an older
// one); there is one per database opened and per tag added, at most a few dozen in a process.
std::mutex publish_mutex;
std::vector<std::unique_ptr<const Catalogue>> snapshots;
std::atomic<const Catalogue*> current{nullptr};

// REQUIRES: publish_mutex held.
const Catalogue* publish_locked(std::vector<Tag> tags) {
  if (const Catalogue* c = current.load(std::memory_order_acquire); c && c->tags == tags) return c;
  auto next = std::make_unique<Catalogue>();
  next->tags = std::move(tags);
  for (size_t i = 0; i < next->tags.size(); ++i) {
    next->by_code.emplace(next->tags[i].code, i);
    next->by_name.emplace(next->tags[i].name, i);
  }
  const Catalogue* c = next.get();
  snapshots.push_back(std::move(next));
  current.store(c, std::memory_order_release);
  return c;
}

const Catalogue& catalogue() {
  if (const Catalogue* c = current.load(std::memory_order_acquire)) return *c;
  std::lock_guard lock(publish_mutex);
  if (const Catalogue* c = current.load(std::memory_order_acquire)) return *c;
  return *publish_locked(shipped_tags());
}

// The rows of the tags table in catalogue order: the shipped tags in their fixed order (their
// definition in code where a row is missing, so positions never shift), then the county's own
// by sort.
std::vector<Tag> read_tags(store::Tx& tx) {
  std::unordered_map<std::string, Tag> rows;
  std::vector<std::string> own;
  for (const auto& r : tx.query("SELECT code, name, category, sensitive, key_person, color FROM "
                                "tags ORDER BY sort, code")) {
    Tag t{r.text(0), r.text(1), r.text(2), r.i64(3) != 0, r.i64(4) != 0};
    // A colour other than the three (written by hand) is no rule: the database still opens.
    if (auto c = r.opt_text(5); c && (*c == "green" || *c == "yellow" || *c == "red")) {
      t.color = parse_color(*c);
    }
    own.push_back(t.code);
    rows.emplace(t.code, std::move(t));
  }
  std::vector<Tag> out;
  for (const Tag& s : shipped_tags()) {
    auto it = rows.find(s.code);
    out.push_back(it == rows.end() ? s : it->second);
    if (it != rows.end()) rows.erase(it);
  }
  for (const auto& code : own) {
    auto it = rows.find(code);
    if (it == rows.end()) continue;  // shipped, placed above
    it->second.own = true;
    out.push_back(std::move(it->second));
  }
  return out;
}

bool valid_code(std::string_view s) {
  if (s.size() < 2 || s.size() > 32 || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// 1 to max characters, none of them a control character or blank at either end.
bool valid_text(std::string_view s, size_t max) {
  const size_t n = utf8_length(s);
  if (n == 0 || n > max || s.front() == ' ' || s.back() == ' ') return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

const std::vector<Tag>& tag_catalogue() { return catalogue().tags; }

std::optional<size_t> tag_position(std::string_view code) {
  const Catalogue& c = catalogue();
  auto it = c.by_code.find(std::string(code));
  if (it == c.by_code.end()) return std::nullopt;
  return it->second;
}

void load_catalogue(store::Tx& tx) {
  std::vector<Tag> tags = read_tags(tx);
  std::lock_guard lock(publish_mutex);
  publish_locked(std::move(tags));
}

void load_catalogue(store::Database& db) {
  auto tx = db.begin(store::TxMode::read);
  load_catalogue(*tx);
}

std::vector<Tag> list_tags(store::Tx& tx) { return read_tags(tx); }

std::optional<RiskColor> rule_color(const std::vector<std::string>& tag_codes) {
  std::optional<RiskColor> worst;
  for (const auto& code : tag_codes) {
    const Tag* t = find_tag(code);
    if (t && t->color && (!worst || static_cast<int>(*t->color) > static_cast<int>(*worst))) {
      worst = t->color;
    }
  }
  return worst;
}

const Tag* find_tag(std::string_view s) {
  const Catalogue& c = catalogue();
  const std::string key(s);
  if (auto it = c.by_code.find(key); it != c.by_code.end()) return &c.tags[it->second];
  if (auto it = c.by_name.find(key); it != c.by_name.end()) return &c.tags[it->second];
  return nullptr;
}

const Tag* find_tag(store::Tx& tx, std::string_view s) {
  if (const Tag* t = find_tag(s)) return t;
  const std::string key(s);
  if (!tx.query_one("SELECT 1 FROM tags WHERE code = ? OR name = ?", {key, key})) return nullptr;
  load_catalogue(tx);
  return find_tag(s);
}

Tag add_tag(store::Tx& tx, const NewTag& n) {
  if (!valid_code(n.code)) {
    throw_bad_input("invalid_code", "标签编码须为小写字母开头、2–32 位小写字母、数字或下划线",
                    "a tag code is 2-32 characters [a-z0-9_] starting with a letter", "code");
  }
  if (!valid_text(n.name, 20)) {
    throw_bad_input("invalid_name", "标签名称须为 1–20 个字符", "a tag name is 1-20 characters",
                    "name");
  }
  if (!valid_text(n.category, 20)) {
    throw_bad_input("invalid_category", "标签类别须为 1–20 个字符",
                    "a tag category is 1-20 characters", "category");
  }
  if (n.color && !n.key_person) {
    throw_bad_input("color_without_key_person", "只有重点人员类别才有红黄绿颜色规则",
                    "only a key-person category has a colour rule", "color");
  }
  // find_tag accepts a code or a name: neither may be taken by another tag's code or name.
  if (tx.query_one("SELECT 1 FROM tags WHERE code IN (?, ?) OR name IN (?, ?)",
                   {n.code, n.name, n.code, n.name})) {
    throw_conflict("duplicate_tag", "标签编码或名称已存在：" + n.code + " / " + n.name,
                   "a tag with this code or name exists: " + n.code + " / " + n.name);
  }
  if (tx.query_int("SELECT COUNT(*) FROM tags") >= static_cast<int64_t>(kMaxTags)) {
    throw_conflict(
        "too_many_tags",
        "标签已达上限 " + std::to_string(kMaxTags) + " 个（统计索引每人 64 位），不能再添加",
        "the catalogue holds the most tags the index allows (" + std::to_string(kMaxTags) + ")");
  }
  const int64_t sort = tx.query_int("SELECT COALESCE(MAX(sort), 0) + 1 FROM tags");
  tx.exec(
      "INSERT INTO tags (code, name, category, sensitive, key_person, sort, color) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {n.code, n.name, n.category, int64_t{n.sensitive ? 1 : 0}, int64_t{n.key_person ? 1 : 0},
       sort, n.color ? store::Value(std::string(to_string(*n.color))) : store::Value()});
  return Tag{n.code, n.name, n.category, n.sensitive, n.key_person, n.color, true};
}

}  // namespace wangge::people
