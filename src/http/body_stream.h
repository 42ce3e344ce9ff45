// A response body written over time (server-sent events). A handler that answers with one
// hands it to the server through hand_over(): the response then carries only the token in
// kStreamHeader, and the server, finding the header, takes the stream back and writes it
// after the headers instead of a body (the connection then closes).
//
// The hand-over goes through a process-wide table rather than a field of Response so that the
// transport's most included header stays as it is; a token is taken once, by the server that
// runs the handler, right after it returns.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wangge::http {

// The server writes whatever take() gives each time the stream wakes it, until take() ends
// the stream, the client goes away or the server stops; comment lines (": ping") go out when
// nothing else has for a while, so a client that left is noticed.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Called once by the server before the first take(): `wake` may be called from any thread,
  // any number of times, whenever take() has something new.
  virtual void on_ready(std::function<void()> wake) = 0;
  // What is ready to send now ("" for nothing); nullopt ends the stream. Called on the
  // connection's strand, never concurrently with itself.
  virtual std::optional<std::string> take() = 0;
};

inline constexpr std::string_view kStreamHeader = "X-Wangge-Body-Stream";

// Keeps the stream for the server; returns the token to put in kStreamHeader.
std::string hand_over(std::shared_ptr<BodyStream> stream);
// The stream of a token hand_over() gave, once; null for an unknown or taken token.
std::shared_ptr<BodyStream> take_over(std::string_view token);

}  // namespace wangge::http
