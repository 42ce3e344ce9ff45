// The one place where a wangge::Error becomes an HTTP status and a JSON body.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "http/request.h"

namespace wangge::http {

// bad_input 400, unauthorized 401, forbidden 403, not_found 404, conflict 409,
// too_large 413, unavailable 503, internal 500.
int status_for(ErrorKind kind);

// {"error":{"code","message","field"}} in lang, with the status for e's kind; field is null
// when the error names none.
Response error_response(const Error& e, Lang lang);

// The same body with an explicit status, for statuses no ErrorKind has (405, 431).
Response error_response(int status, const Error& e, Lang lang);

// A fresh reference for one internal error ("E7F3A09C1D2B"): the client is told it, the server
// log carries it beside the full message, so a user's report finds the log line.
std::string new_error_ref();

// The response for an internal error (an exception that is not a wangge::Error, or an Error of
// kind internal): 500 with a generic message that reveals nothing about the cause but the
// reference, also given as error.ref. The caller logs the cause with the same reference.
Response internal_error_response(Lang lang, std::string_view ref);

}  // namespace wangge::http
