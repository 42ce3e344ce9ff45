#include "http/errors.h"

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
  return Response::json(
      status, {{"error", {{"code", e.code()}, {"message", e.message(lang)}, {"field", field}}}});
}

Response internal_error_response(Lang lang) {
  return Response::json(
      500, {{"error",
             {{"code", "internal"},
              {"message", lang == Lang::en ? "Internal server error; please try again later"
                                           : "服务器内部错误，请稍后重试"},
              {"field", nullptr}}}});
}

}  // namespace wangge::http
