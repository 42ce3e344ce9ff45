// The filter language of form indicators (see forms.h): a small recursive-descent parser whose
// errors point at the character where they happen.
#include <charconv>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "forms/forms.h"

namespace wangge::forms {
namespace {

struct Token {
  enum class Kind {
    end,
    ident,
    number,
    text,
    op,
    lparen,
    rparen,
    comma,
    kw_and,
    kw_or,
    kw_not,
    kw_in
  };
  Kind kind = Kind::end;
  std::string text;
  size_t at = 0;  // byte offset
};

bool starts(std::string_view s, size_t i, std::string_view p) { return s.substr(i, p.size()) == p; }

class Lexer {
 public:
  Lexer(std::string_view s, const Place& place) : s_(s), place_(place) {}

  [[noreturn]] void fail(size_t at, const std::string& zh, const std::string& en) const {
    size_t col = utf8_length(s_.substr(0, at)) + 1;
    fail_at(
        place_, "invalid_filter",
        "筛选条件第" + std::to_string(col) + "个字符处" + zh + "（" + std::string(s_) + "）",
        "filter, at character " + std::to_string(col) + ": " + en + " (" + std::string(s_) + ")");
  }

  std::vector<Token> run() {
    std::vector<Token> out;
    size_t i = 0;
    while (true) {
      while (i < s_.size() && (s_[i] == ' ' || s_[i] == '\t' || s_[i] == '\n' || s_[i] == '\r')) {
        ++i;
      }
      if (starts(s_, i, "\u3000")) {
        i += 3;
        continue;
      }
      Token t;
      t.at = i;
      if (i >= s_.size()) {
        out.push_back(t);
        return out;
      }
      i = next(i, t);
      out.push_back(std::move(t));
    }
  }

 private:
  size_t next(size_t i, Token& t) const {
    using K = Token::Kind;
    for (auto [p, k] : {std::pair<std::string_view, K>{"(", K::lparen},
                        {"（", K::lparen},
                        {")", K::rparen},
                        {"）", K::rparen},
                        {",", K::comma},
                        {"，", K::comma},
                        {"、", K::comma}}) {
      if (starts(s_, i, p)) {
        t.kind = k;
        return i + p.size();
      }
    }
    for (std::string_view op : {">=", "<=", "!=", "<>", "==", "=", "<", ">", "≥", "≤", "≠"}) {
      if (starts(s_, i, op)) {
        t.kind = K::op;
        t.text = op == "=="                ? "="
                 : op == "<>" || op == "≠" ? "!="
                 : op == "≥"               ? ">="
                 : op == "≤"               ? "<="
                                           : std::string(op);
        return i + op.size();
      }
    }
    for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"'", "'"},
                               {"\"", "\""},
                               {"“", "”"},
                               {"‘", "’"}}) {
      if (starts(s_, i, open)) {
        size_t end = s_.find(close, i + open.size());
        if (end == std::string_view::npos) fail(i, "引号未闭合", "unterminated quote");
        t.kind = K::text;
        t.text = std::string(s_.substr(i + open.size(), end - i - open.size()));
        return end + close.size();
      }
    }
    size_t j = i;
    while (j < s_.size() && !boundary(j)) ++j;
    if (j == i) fail(i, "无法识别的字符", "unexpected character");
    t.text = std::string(s_.substr(i, j - i));
    t.kind = classify(t.text);
    return j;
  }

  bool boundary(size_t j) const {
    static constexpr std::string_view stops[] = {
        " ", "\t", "\n", "\r", "(", ")", "（", "）", ",", "，", "、", "=",     "!",
        "<", ">",  "'",  "\"", "“", "”", "‘",  "’",  "≥", "≤",  "≠",  "\u3000"};
    for (auto p : stops) {
      if (starts(s_, j, p)) return true;
    }
    return false;
  }

  static Token::Kind classify(const std::string& w) {
    using K = Token::Kind;
    std::string l;
    for (char c : w) l += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (l == "and" || w == "且" || w == "并且") return K::kw_and;
    if (l == "or" || w == "或" || w == "或者") return K::kw_or;
    if (l == "not" || w == "非") return K::kw_not;
    if (l == "in") return K::kw_in;
    double d = 0;
    auto r = std::from_chars(w.data(), w.data() + w.size(), d);
    if (r.ec == std::errc() && r.ptr == w.data() + w.size()) return K::number;
    return K::ident;
  }

  std::string_view s_;
  const Place& place_;
};

bool numeric(FieldType t) { return t == FieldType::integer || t == FieldType::decimal; }

class Parser {
 public:
  Parser(std::string_view text, const Dictionary& dict, const Place& place)
      : lex_(text, place), dict_(dict) {
    toks_ = lex_.run();
  }

  // How deeply brackets and not may nest; real filters use two or three levels.
  static constexpr int kMaxDepth = 64;

  Expr parse() {
    Expr e = parse_or();
    if (peek().kind != Token::Kind::end) fail(peek(), "多余的内容", "unexpected trailing text");
    return e;
  }

 private:
  const Token& peek() const { return toks_[pos_]; }
  const Token& take() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  [[noreturn]] void fail(const Token& t, const std::string& zh, const std::string& en) const {
    lex_.fail(t.at, zh, en);
  }

  Expr parse_or() {
    Expr first = parse_and();
    if (peek().kind != Token::Kind::kw_or) return first;
    Expr e;
    e.kind = Expr::Kind::any;
    e.children.push_back(std::move(first));
    while (peek().kind == Token::Kind::kw_or) {
      take();
      e.children.push_back(parse_and());
    }
    return e;
  }

  Expr parse_and() {
    Expr first = parse_unary();
    if (peek().kind != Token::Kind::kw_and) return first;
    Expr e;
    e.kind = Expr::Kind::all;
    e.children.push_back(std::move(first));
    while (peek().kind == Token::Kind::kw_and) {
      take();
      e.children.push_back(parse_unary());
    }
    return e;
  }

  Expr parse_unary() {
    const Token& t = peek();
    if (t.kind == Token::Kind::kw_not || t.kind == Token::Kind::lparen) {
      // Each level costs a stack frame here and in every walk of the tree (evaluation, SQL):
      // 100,000 brackets overflowed the stack (found writing tests/fuzz/filter_fuzz.cpp).
      if (depth_ >= kMaxDepth) {
        fail(
            t, "括号或 not 嵌套过深（最多" + std::to_string(kMaxDepth) + "层）",
            "brackets or not nested too deeply (at most " + std::to_string(kMaxDepth) + " levels)");
      }
    }
    struct Nest {
      int& depth;
      explicit Nest(int& d) : depth(++d) {}
      ~Nest() { --depth; }
      Nest(const Nest&) = delete;
      Nest& operator=(const Nest&) = delete;
    } nest(depth_);
    if (t.kind == Token::Kind::kw_not) {
      take();
      Expr e;
      e.kind = Expr::Kind::negate;
      e.children.push_back(parse_unary());
      return e;
    }
    if (t.kind == Token::Kind::lparen) {
      take();
      Expr e = parse_or();
      if (peek().kind != Token::Kind::rparen) fail(peek(), "缺少右括号", "missing ')'");
      take();
      return e;
    }
    if (t.kind != Token::Kind::ident) fail(t, "此处应为字段名", "a field name was expected");
    return parse_leaf();
  }

  Expr parse_leaf() {
    const Token& name = take();
    const Field* f = dict_.resolve(name.text);
    if (!f) {
      fail(name, "数据字典中没有字段 “" + name.text + "”",
           "no field '" + name.text + "' in the dictionary");
    }
    Expr e;
    e.field = f;
    const Token& op = peek();
    if (op.kind != Token::Kind::op && op.kind != Token::Kind::kw_in) {
      if (f->type != FieldType::boolean) {
        fail(op, "字段 “" + f->name + "” 不是是/否字段，须写比较",
             "field '" + f->code + "' is not boolean: compare it with a value");
      }
      e.kind = Expr::Kind::truth;
      return e;
    }
    take();
    e.kind = Expr::Kind::compare;
    if (op.kind == Token::Kind::kw_in) {
      e.cmp = Expr::Cmp::in;
      if (peek().kind != Token::Kind::lparen)
        fail(peek(), "in 后应为括号", "'(' expected after in");
      take();
      while (true) {
        add_value(e, take());
        if (peek().kind == Token::Kind::comma) {
          take();
          continue;
        }
        if (peek().kind != Token::Kind::rparen) fail(peek(), "缺少右括号", "missing ')'");
        take();
        break;
      }
    } else {
      static const std::pair<std::string_view, Expr::Cmp> ops[] = {
          {"=", Expr::Cmp::eq},  {"!=", Expr::Cmp::ne}, {"<", Expr::Cmp::lt},
          {"<=", Expr::Cmp::le}, {">", Expr::Cmp::gt},  {">=", Expr::Cmp::ge}};
      for (auto [s, c] : ops) {
        if (op.text == s) e.cmp = c;
      }
      bool ordered = e.cmp != Expr::Cmp::eq && e.cmp != Expr::Cmp::ne;
      if (ordered && !numeric(f->type) && f->type != FieldType::date) {
        fail(op, "字段 “" + f->name + "” 不能比较大小", "field '" + f->code + "' has no order");
      }
      add_value(e, take());
    }
    return boolean_compare(std::move(e));
  }

  void add_value(Expr& e, const Token& v) {
    using K = Token::Kind;
    if (v.kind != K::number && v.kind != K::text && v.kind != K::ident) {
      fail(v, "此处应为值", "a value was expected");
    }
    const Field& f = *e.field;
    e.values.push_back(v.text);
    if (numeric(f.type)) {
      if (v.kind != K::number) fail(v, "应为数字", "a number was expected");
      e.numbers.push_back(std::stod(v.text));
    } else if (f.type == FieldType::enumeration) {
      for (size_t i = 0; i < f.options.size(); ++i) {
        if (name_key(f.options[i]) == name_key(v.text)) {
          e.numbers.push_back(static_cast<double>(i));
          return;
        }
      }
      std::string opts;
      for (const auto& o : f.options) opts += (opts.empty() ? "" : "、") + o;
      fail(v, "“" + v.text + "” 不是 “" + f.name + "” 的选项（" + opts + "）",
           "'" + v.text + "' is no option of " + f.code);
    } else if (f.type == FieldType::date) {
      auto d = try_parse_date(v.text);
      if (!d) fail(v, "应为日期 YYYY-MM-DD", "a date YYYY-MM-DD was expected");
      e.numbers.push_back(static_cast<double>(static_cast<int>(d->year()) * 10000 +
                                              static_cast<unsigned>(d->month()) * 100 +
                                              static_cast<unsigned>(d->day())));
    } else if (f.type == FieldType::boolean) {
      static const std::set<std::string> yes{"是", "true", "1", "有"}, no{"否", "false", "0", "无"};
      if (yes.count(v.text)) {
        e.numbers.push_back(1);
      } else if (no.count(v.text)) {
        e.numbers.push_back(0);
      } else {
        fail(v, "应为 是 或 否", "true or false was expected");
      }
    }
  }

  // A boolean compared with 是/否 becomes a plain truth test (or its negation).
  static Expr boolean_compare(Expr e) {
    if (e.field->type != FieldType::boolean) return e;
    bool want = true;
    if (e.cmp == Expr::Cmp::in) {
      bool has_yes = false, has_no = false;
      for (double n : e.numbers) (n != 0 ? has_yes : has_no) = true;
      if (has_yes && has_no) {
        Expr all;
        all.kind = Expr::Kind::all;  // always true: an empty "all"
        return all;
      }
      want = has_yes;
    } else {
      want = (e.numbers.at(0) != 0) == (e.cmp == Expr::Cmp::eq);
    }
    Expr t;
    t.kind = Expr::Kind::truth;
    t.field = e.field;
    if (want) return t;
    Expr n;
    n.kind = Expr::Kind::negate;
    n.children.push_back(std::move(t));
    return n;
  }

  Lexer lex_;
  const Dictionary& dict_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;  // brackets and nots open at this point
};

void collect(const Expr& e, std::vector<const Field*>& out) {
  if (e.field && std::find(out.begin(), out.end(), e.field) == out.end()) out.push_back(e.field);
  for (const auto& c : e.children) collect(c, out);
}

}  // namespace

Expr parse_filter(std::string_view text, const Dictionary& dict, const Place& at) {
  Parser p(text, dict, at);
  return p.parse();
}

std::vector<const Field*> fields_of(const Expr& e) {
  std::vector<const Field*> out;
  collect(e, out);
  return out;
}

}  // namespace wangge::forms
