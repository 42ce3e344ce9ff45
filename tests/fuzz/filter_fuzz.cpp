// The form filter language (src/forms/forms.h parse_filter) against the shipped dictionary.
// Invariants: bad input is wangge::Error(bad_input); a parsed expression is well-formed (every
// leaf names a dictionary field, compare leaves carry values, numeric fields their numbers).
#include <string>

#include "core/error.h"
#include "forms/forms.h"
#include "fuzz.h"

namespace {

using namespace wangge::forms;

void check(const Expr& e, int depth) {
  FUZZ_CHECK(depth < 10000);
  switch (e.kind) {
    case Expr::Kind::all:
    case Expr::Kind::any:
      FUZZ_CHECK(!e.children.empty());
      break;
    case Expr::Kind::negate:
      FUZZ_CHECK(e.children.size() == 1);
      break;
    case Expr::Kind::compare:
      FUZZ_CHECK(e.field != nullptr && !e.values.empty());
      FUZZ_CHECK(e.numbers.empty() || e.numbers.size() == e.values.size());
      break;
    case Expr::Kind::truth:
      FUZZ_CHECK(e.field != nullptr);
      break;
  }
  for (const Expr& c : e.children) check(c, depth + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Dictionary& dict = Dictionary::shipped();
  std::string_view text = wangge::fuzz::as_text(data, size);
  try {
    Expr e = parse_filter(text, dict, Place{"fuzz.toml", 1, "filter"});
    check(e, 0);
    for (const Field* f : fields_of(e)) FUZZ_CHECK(dict.find(f->code) == f);
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input);
  }
  return 0;
}
