// The backend-independent half of the Database interface: values, rows, the Tx helpers, the
// portable DDL tokens, the URL dispatch and the errors both backends raise.
#include "store/database.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "store/internal.h"
#include "store/postgres/pg_database.h"
#include "store/sqlite/sqlite_database.h"

namespace wangge::store {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

[[noreturn]] void throw_not_a_number(std::string_view text) {
  throw Error(ErrorKind::internal, "db_error", "数据库返回的值不是数字",
              "not a number: '" + std::string(text.substr(0, 64)) + "'");
}

template <class T>
bool parse_whole(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

double parse_real(std::string_view text) {
  std::string_view s = trim(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double d = 0;
  if (parse_whole(s, d)) return d;
  // from_chars does not know PostgreSQL's spellings of the special values.
  if (s == "Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  throw_not_a_number(text);
}

int64_t real_to_int(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

bool ident_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || u >= 0x80;
}

// The end of the quoted span that starts at sql[i] (a quote), past its closing quote.
size_t skip_quoted(std::string_view sql, size_t i, bool backslash_escapes) {
  const char q = sql[i];
  size_t j = i + 1;
  while (j < sql.size()) {
    if (backslash_escapes && sql[j] == '\\') {
      j += 2;
    } else if (sql[j] == q) {
      if (j + 1 < sql.size() && sql[j + 1] == q) {
        j += 2;  // a doubled quote stands for itself
      } else {
        return j + 1;
      }
    } else {
      ++j;
    }
  }
  return sql.size();
}

size_t skip_block_comment(std::string_view sql, size_t i) {
  int depth = 0;  // PostgreSQL nests block comments
  size_t j = i;
  while (j + 1 < sql.size()) {
    if (sql[j] == '/' && sql[j + 1] == '*') {
      ++depth;
      j += 2;
    } else if (sql[j] == '*' && sql[j + 1] == '/') {
      j += 2;
      if (--depth == 0) return j;
    } else {
      ++j;
    }
  }
  return sql.size();
}

// A dollar-quoted string ($$…$$, $tag$…$tag$) starting at sql[i], or i when there is none.
size_t skip_dollar_quoted(std::string_view sql, size_t i) {
  size_t j = i + 1;
  while (j < sql.size() && ident_char(sql[j]) && sql[j] != '$') ++j;
  if (j >= sql.size() || sql[j] != '$') return i;
  std::string_view tag = sql.substr(i, j - i + 1);
  if (tag.size() > 2 && std::isdigit(static_cast<unsigned char>(tag[1]))) return i;  // $1
  size_t close = sql.find(tag, j + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

}  // namespace

// ---- Value and Row ----

int64_t Value::as_int() const {
  if (auto* i = std::get_if<int64_t>(&v_)) return *i;
  if (auto* d = std::get_if<double>(&v_)) return real_to_int(*d);
  if (auto* s = std::get_if<std::string>(&v_)) {
    std::string_view t = trim(*s);
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    int64_t i = 0;
    if (parse_whole(t, i)) return i;
    return real_to_int(parse_real(*s));
  }
  if (is_null()) return 0;
  throw_not_a_number("<blob>");
}

double Value::as_real() const {
  if (auto* d = std::get_if<double>(&v_)) return *d;
  if (auto* i = std::get_if<int64_t>(&v_)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&v_)) return parse_real(*s);
  if (is_null()) return 0;
  throw_not_a_number("<blob>");
}

std::string Value::as_text() const {
  if (auto* s = std::get_if<std::string>(&v_)) return *s;
  if (auto* i = std::get_if<int64_t>(&v_)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v_)) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact form
    return std::string(buf, end);
  }
  if (auto* b = std::get_if<Blob>(&v_)) return std::string(b->begin(), b->end());
  return {};
}

const Blob& Value::as_blob() const {
  static const Blob empty;
  if (auto* b = std::get_if<Blob>(&v_)) return *b;
  if (is_null()) return empty;
  throw Error(ErrorKind::internal, "db_error", "数据库返回的值不是二进制数据",
              "value is not a blob: '" + as_text().substr(0, 64) + "'");
}

std::optional<int64_t> Row::opt_i64(size_t col) const {
  if (is_null(col)) return std::nullopt;
  return i64(col);
}

std::optional<double> Row::opt_f64(size_t col) const {
  if (is_null(col)) return std::nullopt;
  return f64(col);
}

std::optional<std::string> Row::opt_text(size_t col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

// ---- Tx helpers ----

std::optional<Row> Tx::query_one(std::string_view sql, const Params& params) {
  Rows rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

int64_t Tx::query_int(std::string_view sql, const Params& params) {
  auto row = query_one(sql, params);
  if (!row || row->size() == 0) {
    throw Error(ErrorKind::not_found, "not_found", "记录不存在",
                "no row for: " + std::string(sql.substr(0, 200)));
  }
  return row->i64(0);
}

int64_t Tx::insert_id(std::string_view sql, const Params& params) {
  std::string statement(sql);
  if (!detail::has_returning(sql)) {
    // Cut after the last code character, so a trailing ';' or comment does not swallow it.
    std::string code = detail::mask_sql(sql);
    size_t end = code.find_last_not_of(" \t\r\n;");
    statement.resize(end == std::string::npos ? 0 : end + 1);
    statement += " RETURNING id";
  }
  auto row = query_one(statement, params);
  if (!row || row->size() == 0 || row->is_null(0)) {
    detail::throw_misuse("insert_id: the statement returned no id: " + statement);
  }
  return row->i64(0);
}

// ---- DDL and opening ----

std::string ddl(Dialect dialect, std::string_view sql) {
  struct Token {
    std::string_view token, sqlite, postgres;
  };
  static constexpr Token tokens[] = {
      {"{pk}", "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
      {"{blob}", "BLOB", "BYTEA"},
      {"{real}", "REAL", "DOUBLE PRECISION"},
  };
  std::string out;
  out.reserve(sql.size() + 64);
  size_t i = 0;
  while (i < sql.size()) {
    bool replaced = false;
    if (sql[i] == '{') {
      for (const Token& t : tokens) {
        if (sql.substr(i, t.token.size()) == t.token) {
          out += dialect == Dialect::sqlite ? t.sqlite : t.postgres;
          i += t.token.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += sql[i++];
  }
  return out;
}

void Database::write_transaction(const std::function<void(Tx&)>& fn) {
  auto tx = begin(TxMode::write);
  fn(*tx);
  tx->commit();
}

void Database::write(const std::function<void(Tx&)>& fn) {
  std::vector<Change> changes;
  write_transaction([&](Tx& tx) {
    tx.collect_changes();
    fn(tx);
    changes = tx.take_changes();
  });
  if (changes.empty()) return;
  std::shared_ptr<const std::vector<ChangeListener>> listeners;
  {
    std::lock_guard lock(feed_->mu);
    listeners = feed_->listeners;
  }
  for (const auto& listener : *listeners) {
    try {
      listener(changes);
    } catch (const std::exception& ex) {
      spdlog::error("a change listener failed after commit: {}", ex.what());
    }
  }
}

void Database::subscribe(ChangeListener fn) {
  std::lock_guard lock(feed_->mu);
  auto more = std::make_shared<std::vector<ChangeListener>>(*feed_->listeners);
  more->push_back(std::move(fn));
  feed_->listeners = std::move(more);
}

std::unique_ptr<Database> Database::open(const std::string& url, const OpenOptions& opts) {
  std::string_view u = url;
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    return postgres::open_database(url, opts);
  }
  std::string_view path = u.starts_with("sqlite:") ? u.substr(7) : u;
  if (trim(path).empty()) detail::throw_unavailable("no database given (empty URL)");
  return sqlite::open_database(std::string(path), url, opts);
}

// ---- Shared helpers of the backends ----

namespace detail {

void throw_constraint(Constraint kind, std::string_view db_message) {
  const char* zh = "数据不符合约束条件";
  switch (kind) {
    case Constraint::unique:
      zh = "数据重复：已存在相同的记录";
      break;
    case Constraint::foreign_key:
      zh = "关联的记录不存在，或该记录仍被其他数据引用";
      break;
    case Constraint::not_null:
      zh = "缺少必填的数据";
      break;
    case Constraint::check:
    case Constraint::other:
      break;
  }
  throw Error(ErrorKind::conflict, "constraint", zh,
              "constraint violated: " + std::string(db_message));
}

void throw_unavailable(std::string_view what) {
  throw Error(ErrorKind::unavailable, "db_unavailable", "数据库暂时不可用，请稍后重试",
              "database unavailable: " + std::string(what));
}

void throw_cannot_open(std::string_view where, std::string_view why) {
  throw Error(
      ErrorKind::unavailable, "db_unavailable",
      "无法打开数据库 " + std::string(where) + "，请检查文件路径或连接串是否正确、数据库是否已启动",
      "cannot open the database " + std::string(where) + ": " + std::string(why));
}

std::string redact_url(std::string_view url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string_view::npos || at == std::string_view::npos || at < scheme) {
    return std::string(url);
  }
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon)) + std::string(url.substr(at));
}

void throw_sql_error(std::string_view db_message, std::string_view sql) {
  std::string en = "database error: " + std::string(trim(db_message));
  if (!sql.empty()) en += " [SQL: " + std::string(sql.substr(0, 500)) + "]";
  throw Error(ErrorKind::internal, "db_error", "数据库内部错误", std::move(en));
}

void throw_misuse(std::string_view what) {
  throw Error(ErrorKind::internal, "db_error", "数据库内部错误",
              "database interface misused: " + std::string(what));
}

void check_text(const std::string& text) {
  if (text.find('\0') != std::string::npos) {
    throw Error(ErrorKind::bad_input, "invalid_text", "文本中含有不允许的空字符（NUL）",
                "text contains a NUL character, which the database cannot store");
  }
}

void check_identifier(std::string_view name) {
  bool ok = !name.empty() && name.size() < 128;
  size_t dots = 0;
  for (size_t i = 0; ok && i < name.size(); ++i) {
    char c = name[i];
    bool start = i == 0 || name[i - 1] == '.';
    if (c == '.') {
      ok = !start && i + 1 < name.size() && ++dots == 1;
    } else {
      ok = std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
           (!start && std::isdigit(static_cast<unsigned char>(c)));
    }
  }
  if (!ok) throw_misuse("not a plain identifier: '" + std::string(name) + "'");
}

std::string mask_sql(std::string_view sql) {
  std::string out(sql);
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    size_t end = i;
    if (c == '\'') {
      bool escapes =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !ident_char(sql[i - 2]));
      end = skip_quoted(sql, i, escapes);
    } else if (c == '"') {
      end = skip_quoted(sql, i, false);
    } else if (c == '-' && next == '-') {
      end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
    } else if (c == '/' && next == '*') {
      end = skip_block_comment(sql, i);
    } else if (c == '$' && (i == 0 || !ident_char(sql[i - 1]))) {
      end = skip_dollar_quoted(sql, i);
    }
    if (end == i) {
      ++i;
    } else {
      for (size_t k = i; k < end; ++k) {
        if (out[k] != '\n') out[k] = ' ';
      }
      i = end;
    }
  }
  return out;
}

bool has_returning(std::string_view sql) {
  std::string code = mask_sql(sql);
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  constexpr std::string_view word = "returning";
  for (size_t at = code.find(word); at != std::string::npos; at = code.find(word, at + 1)) {
    bool before = at == 0 || !ident_char(code[at - 1]);
    bool after = at + word.size() >= code.size() || !ident_char(code[at + word.size()]);
    if (before && after) return true;
  }
  return false;
}

}  // namespace detail
}  // namespace wangge::store
