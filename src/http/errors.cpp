#include "http/errors.h"

#include <fmt/format.h>

#include <random>

namespace wangge::http {

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_input:
      return 400;
    case ErrorKind::unauthorized:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::too_large:
      return 413;
    case ErrorKind::unavailable:
      return 503;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

Response error_response(const Error& e, Lang lang) {
  return error_response(status_for(e.kind()), e, lang);
}

Response error_response(int status, const Error& e, Lang lang) {
  nlohmann::json field = e.field().empty() ? nlohmann::json(nullptr) : nlohmann::json(e.field());
  Response res = Response::json(
      status, {{"error", {{"code", e.code()}, {"message", e.message(lang)}, {"field", field}}}});
  // A 503 is one the client may retry (RFC 9110 15.6.4): say when, so offline clients and
  // proxies back off instead of hammering a database that is restarting or out of space.
  if (status == 503 && !res.headers.get("Retry-After")) res.headers.set("Retry-After", "5");
  return res;
}

std::string new_error_ref() {
  thread_local std::mt19937_64 bits{std::random_device{}()};
  return fmt::format("E{:012X}", bits() & 0xFFFF'FFFF'FFFFull);
}

Response internal_error_response(Lang lang, std::string_view ref) {
  return Response::json(
      500,
      {{"error",
        {{"code", "internal"},
         {"message",
          lang == Lang::en
              ? fmt::format("Internal server error (reference {}); please try again later", ref)
              : fmt::format("服务器内部错误（错误编号 {}），请稍后重试", ref)},
         {"field", nullptr},
         {"ref", ref}}}});
}

}  // namespace wangge::http
