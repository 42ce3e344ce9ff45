// The event categories file (src/events/events.h parse_categories, [events] categories in the
// config). Invariants: bad input is wangge::Error(bad_input); accepted categories have codes
// and names, unique codes, and parents that exist at the top level.
#include <set>
#include <string>

#include "core/error.h"
#include "events/events.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wangge::events;
  std::string_view text = wangge::fuzz::as_text(data, size);
  try {
    std::vector<Category> categories = parse_categories(text);
    std::set<std::string> codes;
    for (const Category& c : categories) {
      FUZZ_CHECK(!c.code.empty() && !c.name.empty());
      FUZZ_CHECK(codes.insert(c.code).second);
    }
    for (const Category& c : categories) {
      FUZZ_CHECK(c.parent.empty() || codes.count(c.parent) == 1);
    }
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input);
  }
  return 0;
}
