#include "core/error.h"

#include <utility>

namespace wangge {

Error::Error(ErrorKind kind, std::string code, std::string zh, std::string en, std::string field)
    : std::runtime_error(en),
      kind_(kind),
      code_(std::move(code)),
      zh_(std::move(zh)),
      en_(std::move(en)),
      field_(std::move(field)) {}

void throw_bad_input(std::string code, std::string zh, std::string en, std::string field) {
  throw Error(ErrorKind::bad_input, std::move(code), std::move(zh), std::move(en),
              std::move(field));
}

void throw_not_found(std::string zh, std::string en) {
  throw Error(ErrorKind::not_found, "not_found", std::move(zh), std::move(en));
}

void throw_conflict(std::string code, std::string zh, std::string en) {
  throw Error(ErrorKind::conflict, std::move(code), std::move(zh), std::move(en));
}

}  // namespace wangge
