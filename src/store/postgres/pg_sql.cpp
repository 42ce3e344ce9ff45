#include "store/postgres/pg_sql.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "store/internal.h"

namespace wangge::store::postgres {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat; fixed since forever.
constexpr unsigned kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26,
                   kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Blob decode_bytea(std::string_view text) {
  Blob out;
  if (!text.starts_with("\\x")) {
    // bytea_output = escape: printable bytes as themselves, others as \ooo, a backslash as \\.
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '\\') {
        out.push_back('\\');
        ++i;
      } else if (text[i] == '\\' && i + 3 < text.size()) {
        out.push_back(static_cast<uint8_t>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                                           (text[i + 3] - '0')));
        i += 3;
      } else {
        out.push_back(static_cast<uint8_t>(text[i]));
      }
    }
    return out;
  }
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(hex_value(text[i]) * 16 + hex_value(text[i + 1])));
  }
  return out;
}

double parse_double(std::string_view text) {
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec == std::errc() && end == text.data() + text.size()) return d;
  return Value(std::string(text)).as_real();  // NaN, Infinity, -Infinity
}

bool is_whole_number(std::string_view s) {
  size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  if (s.size() == start) return false;
  for (size_t i = start; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

Rewritten rewrite_placeholders(std::string_view sql) {
  std::string code = detail::mask_sql(sql);
  Rewritten out;
  out.sql.reserve(sql.size() + 16);
  for (size_t i = 0; i < sql.size(); ++i) {
    if (code[i] == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.params);
    } else {
      out.sql += sql[i];
    }
  }
  return out;
}

std::string format_real(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

void append_copy_field(std::string& line, const Value& v) {
  v.visit([&](const auto& x) {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, std::monostate>) {
      line += "\\N";
    } else if constexpr (std::is_same_v<T, int64_t>) {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
      line.append(buf, end);
    } else if constexpr (std::is_same_v<T, double>) {
      line += format_real(x);
    } else if constexpr (std::is_same_v<T, std::string>) {
      detail::check_text(x);
      for (char c : x) {
        switch (c) {
          case '\\':
            line += "\\\\";
            break;
          case '\t':
            line += "\\t";
            break;
          case '\n':
            line += "\\n";
            break;
          case '\r':
            line += "\\r";
            break;
          default:
            line += c;
        }
      }
    } else {
      line += "\\\\x";  // bytea's own \x, with its backslash escaped for COPY
      for (uint8_t b : x) {
        line += kHex[b >> 4];
        line += kHex[b & 15];
      }
    }
  });
}

Value parse_field(unsigned type, std::string_view text) {
  switch (type) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
      int64_t i = 0;
      std::from_chars(text.data(), text.data() + text.size(), i);
      return i;
    }
    case kBool:
      return int64_t{!text.empty() && text[0] == 't'};
    case kFloat4:
    case kFloat8:
      return parse_double(text);
    case kNumeric: {
      int64_t i = 0;
      if (is_whole_number(text)) {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
        if (ec == std::errc()) return i;
      }
      return parse_double(text);
    }
    case kBytea:
      return decode_bytea(text);
    default:
      return std::string(text);
  }
}

}  // namespace wangge::store::postgres
