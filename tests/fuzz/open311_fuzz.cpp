// Open311 (GeoReport v2) POST requests: an application/x-www-form-urlencoded body decoded as the
// server does (Query::parse) and read by intake::open311::parse_request_form. Invariants: bad
// input is wangge::Error(bad_input); an accepted request has a service code, a location, and
// lat with long.
#include <cmath>
#include <string>

#include "core/error.h"
#include "fuzz.h"
#include "http/request.h"
#include "intake/open311.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body = wangge::fuzz::as_text(data, size);
  try {
    auto form = wangge::http::Query::parse(body);
    auto r = wangge::intake::open311::parse_request_form(form.items());
    FUZZ_CHECK(!r.service_code.empty());
    FUZZ_CHECK(r.lat.has_value() == r.lng.has_value());
    FUZZ_CHECK(r.lat || !r.address_string.empty() || !r.address_id.empty());
    if (r.lat) FUZZ_CHECK(std::isfinite(*r.lat) && std::isfinite(*r.lng));
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input);
  }
  return 0;
}
