// URL query strings, cookies and Accept-Language (src/http/request.h). Invariants: bad input is
// wangge::Error(bad_input); decoded pairs are valid UTF-8; pairs re-encoded and parsed again are
// the same pairs; typed accessors either answer in range or refuse with bad_input.
#include <cctype>
#include <cmath>
#include <string>

#include "core/error.h"
#include "fuzz.h"
#include "http/json_input.h"
#include "http/request.h"

namespace {

using namespace wangge::http;

std::string encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

template <class Fn>
void expect_answer_or_bad_input(Fn fn) {
  try {
    fn();
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input);
  }
}

void accessors(const Query& query, const std::string& key) {
  expect_answer_or_bad_input([&] {
    auto v = query.get_int(key, -1000, 1000);
    FUZZ_CHECK(!v || (*v >= -1000 && *v <= 1000));
  });
  expect_answer_or_bad_input([&] { (void)query.get_int(key); });
  expect_answer_or_bad_input([&] {
    auto v = query.get_double(key);
    FUZZ_CHECK(!v || std::isfinite(*v));
  });
  expect_answer_or_bad_input([&] { (void)query.get_bool(key); });
  (void)query.all(key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw = wangge::fuzz::as_text(data, size);
  (void)parse_cookies(raw);
  (void)preferred_language(raw);
  (void)percent_decode(raw, true);
  Query query;
  try {
    query = Query::parse(raw);
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input);
    return 0;
  }
  std::string again;
  for (const auto& [key, value] : query.items()) {
    FUZZ_CHECK(valid_utf8(key) && valid_utf8(value));
    if (!again.empty()) again += '&';
    again += encode(key) + "=" + encode(value);
    accessors(query, key);
  }
  Query back = Query::parse(again);  // our own encoding must parse: no catch
  // An empty key with an empty value ("&&", "=") may be dropped: compare the rest.
  auto kept = [](const Query& q) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& item : q.items()) {
      if (!item.first.empty() || !item.second.empty()) out.push_back(item);
    }
    return out;
  };
  FUZZ_CHECK(kept(back) == kept(query));
  return 0;
}
