// JSON request bodies (src/http/json_input.h). Invariants: bad input is wangge::Error(bad_input);
// nothing deeper than kMaxJsonDepth is accepted; an accepted body dumps to text that parses to
// the same value (so no number was taken as infinite); the typed field accessors turn every wrong
// type into bad_input.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "fuzz.h"
#include "http/json_input.h"

namespace {

using namespace wangge::http;

template <class T>
void try_field(const nlohmann::json& object, std::string_view field) {
  try {
    (void)optional_field<T>(object, field);
    (void)required_field<T>(object, field);
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input);
  }
}

void try_fields(const nlohmann::json& object) {
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    try_field<bool>(object, key);
    try_field<int>(object, key);
    try_field<int64_t>(object, key);
    try_field<uint8_t>(object, key);
    try_field<double>(object, key);
    try_field<std::string>(object, key);
    try_field<std::vector<std::string>>(object, key);
    try_field<std::vector<int64_t>>(object, key);
  }
  try {
    reject_unknown_fields(object, {"title", "category", "org", "lat", "lng"});
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.code() == "unknown_field");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body = wangge::fuzz::as_text(data, size);
  nlohmann::json value;
  try {
    value = parse_json_body(body);
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input);
    return 0;
  }
  FUZZ_CHECK(json_depth(body) <= kMaxJsonDepth);
  std::string dumped = value.dump();
  nlohmann::json again = parse_json_body(dumped);  // our own output must parse: no catch
  FUZZ_CHECK(again == value);
  try {
    require_object(value, "body");
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(!value.is_object());
    return 0;
  }
  try_fields(value);
  for (const auto& item : value.items()) {
    if (item.value().is_object()) try_fields(item.value());
  }
  return 0;
}
