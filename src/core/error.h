// The one domain error type. Thrown at the point of failure; src/http turns it into a status
// and a JSON body {"error":{"code","message","field"}} in one place.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace wangge {

// What went wrong, in terms the transport maps to a status (http: 400/404/409/…).
enum class ErrorKind {
  bad_input,     // 400/422: the caller sent something invalid
  unauthorized,  // 401: not logged in
  forbidden,     // 403: logged in but the role may not do this
  not_found,     // 404: no such record, or outside the caller's data scope
  conflict,      // 409: illegal state transition, duplicate key
  too_large,     // 413: body or file over a limit
  unavailable,   // 503: a dependency is down
  internal,      // 500: a bug; never for bad input
};

enum class Lang { zh, en };

class Error : public std::runtime_error {
 public:
  // code: a stable machine code ("invalid_id_number"); zh/en: the human message;
  // field: the input field at fault, empty when none.
  Error(ErrorKind kind, std::string code, std::string zh, std::string en, std::string field = {});

  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }
  const std::string& message(Lang lang) const { return lang == Lang::en ? en_ : zh_; }

 private:
  ErrorKind kind_;
  std::string code_, zh_, en_, field_;
};

// Shorthands for the common kinds.
[[noreturn]] void throw_bad_input(std::string code, std::string zh, std::string en,
                                  std::string field = {});
[[noreturn]] void throw_not_found(std::string zh, std::string en);
[[noreturn]] void throw_conflict(std::string code, std::string zh, std::string en);

}  // namespace wangge
