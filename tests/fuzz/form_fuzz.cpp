// Form definitions in TOML (src/forms/forms.h parse_form) against the shipped dictionary: the
// TOML parser (toml++) and the form's own checks. Invariants: bad input is
// wangge::Error(bad_input); a parsed form is consistent (ratio indicators point at indicators
// of the form; a roster has an entity and columns).
#include <string>

#include "core/error.h"
#include "forms/forms.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wangge::forms;
  static const Dictionary& dict = Dictionary::shipped();
  std::string_view text = wangge::fuzz::as_text(data, size);
  try {
    Form form = parse_form(text, "fuzz.toml", dict);
    FUZZ_CHECK(form.code == "fuzz");
    auto n = static_cast<int>(form.indicators.size());
    for (const Indicator& ind : form.indicators) {
      if (ind.aggregate == Aggregate::ratio || ind.aggregate == Aggregate::percent) {
        FUZZ_CHECK(ind.numerator_index >= 0 && ind.numerator_index < n);
        FUZZ_CHECK(ind.denominator_index >= 0 && ind.denominator_index < n);
      }
    }
    if (form.kind == FormKind::roster) FUZZ_CHECK(!form.entity.empty());
  } catch (const wangge::Error& e) {
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input);
  }
  return 0;
}
