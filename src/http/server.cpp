// The network half of the server: accept, read, hand off to the handler pool, write. Every
// connection is a coroutine on its own strand, so a connection's stream and its `busy` flag
// are only touched from that strand (stop() reaches them by posting to it).
#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "http/asio.h"
#include "http/body_stream.h"
#include "http/errors.h"

namespace wangge::http {
namespace {

using namespace net;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

auto redirect(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;  // a request is being read, handled or written; strand only
  // While a BodyStream is written: its wake-up timer and whether stop() asked it to end
  // (strand only).
  asio::steady_timer* stream_timer = nullptr;
  bool stream_stop = false;

  void close() {
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
  }
};

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

// Errors that just mean the peer went away, timed out, or we closed the socket.
bool is_disconnect(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == beast::error::timeout ||
         ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
         ec == asio::error::bad_descriptor || ec == asio::error::broken_pipe ||
         ec == asio::error::not_connected;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool trusted(const std::vector<std::string>& proxies, std::string_view address) {
  return std::find(proxies.begin(), proxies.end(), address) != proxies.end();
}

// The canonical form of text when it is an IP address; "" otherwise.
std::string ip_address(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  error_code ec;
  auto a = asio::ip::make_address(std::string(text), ec);
  return ec ? std::string() : a.to_string();
}

// Believes a trusted proxy: the client is the last X-Forwarded-For address that none of the
// trusted proxies added (a client may put anything before it), and X-Forwarded-Proto says
// whether the client spoke TLS to the proxy.
void apply_forwarding(Request& req, const std::vector<std::string>& proxies) {
  if (!trusted(proxies, req.peer_address)) return;
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : req.headers.fields()) {
    if (!iequal(name, "X-Forwarded-For")) continue;
    std::string_view list = value;
    for (size_t comma; !list.empty(); list.remove_prefix(comma + 1)) {
      comma = list.find(',');
      hops.push_back(list.substr(0, comma));
      if (comma == std::string_view::npos) break;
    }
  }
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    std::string address = ip_address(*hop);
    if (address.empty()) break;  // garbage: keep the last address we could trust
    req.client_address = address;
    if (!trusted(proxies, address)) break;
  }
  auto proto = req.headers.get("X-Forwarded-Proto");
  req.secure = proto && iequal(*proto, "https");
}

Request to_request(const bhttp::request_header<>& h, std::string peer,
                   const std::vector<std::string>& proxies) {
  Request req;
  req.method = parse_method(sv(h.method_string()));
  req.target = std::string(sv(h.target()));
  req.path = req.target.substr(0, req.target.find('?'));
  for (const auto& f : h)
    req.headers.add(std::string(sv(f.name_string())), std::string(sv(f.value())));
  req.client_address = peer;
  req.peer_address = std::move(peer);
  apply_forwarding(req, proxies);
  return req;
}

bool bodiless_status(int status) { return status < 200 || status == 204 || status == 304; }

bhttp::response<bhttp::string_body> to_beast(Response& res, unsigned version, bool head,
                                             bool keep_alive, const std::string& csp) {
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(res.status));
  for (auto& [name, value] : res.headers.fields()) {
    auto field = bhttp::string_to_field(name);
    if (field == bhttp::field::content_length || field == bhttp::field::transfer_encoding ||
        field == bhttp::field::connection) {
      continue;  // ours to decide
    }
    out.insert(name, value);
  }
  if (!res.headers.has("Server")) out.set(bhttp::field::server, "wangge");
  // Every answer, API and static alike: a page of ours must not be framed (clickjacking),
  // sniffed into another type, or tell other sites which page linked to them.
  if (!csp.empty() && !res.headers.has("Content-Security-Policy")) {
    out.set("Content-Security-Policy", csp);
  }
  if (!res.headers.has("X-Frame-Options")) out.set("X-Frame-Options", "DENY");
  out.set("X-Content-Type-Options", "nosniff");
  if (!res.headers.has("Referrer-Policy")) out.set("Referrer-Policy", "same-origin");
  out.keep_alive(keep_alive);
  if (bodiless_status(res.status)) return out;
  if (head) {
    out.content_length(res.body.size());  // what a GET would send, without sending it
  } else {
    out.body() = std::move(res.body);
    out.prepare_payload();
  }
  return out;
}

}  // namespace

class Server::Impl {
 public:
  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        dispatcher(options.dispatch),
        ioc(std::max(1, io_thread_count())),
        acceptor_strand(asio::make_strand(ioc)),
        connections_total(dispatcher.metrics().counter("wangge_http_connections_total",
                                                       "TCP connections accepted")),
        connections_open(
            dispatcher.metrics().gauge("wangge_http_connections_open", "TCP connections open")),
        connections_refused(dispatcher.metrics().counter(
            "wangge_http_connections_refused_total",
            "TCP connections answered 503 and closed because max_connections were open")),
        queued_reads(dispatcher.metrics().gauge("wangge_http_handler_queue",
                                                "Requests waiting for a handler thread now",
                                                {{"pool", "read"}})),
        queued_writes(dispatcher.metrics().gauge("wangge_http_handler_queue",
                                                 "Requests waiting for a handler thread now",
                                                 {{"pool", "write"}})) {}

  ServerOptions options;
  Dispatcher dispatcher;
  std::function<void()> on_drain;

  asio::io_context ioc;  // before everything that holds I/O objects bound to it
  asio::strand<asio::io_context::executor_type> acceptor_strand;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::thread_pool> handlers;
  std::optional<asio::thread_pool> writers;  // handlers of requests that may write
  // Keeps the I/O threads in run() until stop() is done with them, even when no connection
  // or accept is pending (stop() posts to connection strands and must see those run).
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::vector<std::thread> io_threads;
  uint16_t port = 0;

  std::mutex mu;  // guards the fields below
  std::condition_variable drained;
  enum class State { idle, running, stopped } state = State::idle;
  bool stopping = false;
  std::unordered_map<Connection*, std::shared_ptr<Connection>> connections;

  Counter& connections_total;
  Gauge& connections_open;
  Counter& connections_refused;
  Gauge& queued_reads;  // posted to a handler pool, not yet started
  Gauge& queued_writes;

  int io_thread_count() const {
    return options.io_threads > 0 ? options.io_threads
                                  : static_cast<int>(std::thread::hardware_concurrency());
  }
  int handler_thread_count() const {
    int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return options.handler_threads > 0 ? options.handler_threads : std::max(4, 2 * cores);
  }
  int write_thread_count() const {
    return options.write_threads > 0 ? options.write_threads : handler_thread_count();
  }
  static bool reads(const Request& r) {
    return r.method == Method::get || r.method == Method::head || r.method == Method::options;
  }
  asio::thread_pool& pool_for(const Request& r) { return reads(r) ? *handlers : *writers; }

  uint16_t start();
  void stop();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(std::shared_ptr<Connection> c);
  asio::awaitable<Response> handle_on_pool(std::shared_ptr<Request> req);
  asio::awaitable<void> reply_error(Connection& c,
                                    const bhttp::request_parser<bhttp::string_body>& p,
                                    const error_code& read_error, const std::string& peer,
                                    size_t body_limit);
  asio::awaitable<size_t> write(Connection& c, Response res, unsigned version, bool head,
                                bool keep_alive, error_code& ec);
  // Writes the headers, then the BodyStream until it ends, the peer leaves or stop() asks.
  asio::awaitable<size_t> write_stream(Connection& c, Response res,
                                       std::shared_ptr<BodyStream> body, unsigned version);
  enum class Admission { admitted, full, stopping };
  Admission add_connection(const std::shared_ptr<Connection>& c);
  void refuse_busy(Connection& c);
  // The body limit of the route a request header names (the server's ceiling caps it).
  size_t body_limit_for(const bhttp::request_header<>& h);
  void remove_connection(Connection* c);
  // Runs fn(connection) on every open connection's strand and waits until all have run.
  void for_each_connection(const std::function<void(Connection&)>& fn);
};

uint16_t Server::Impl::start() {
  {
    std::lock_guard lock(mu);
    if (state != State::idle) throw std::logic_error("http::Server::start: already started");
  }
  tcp::endpoint endpoint(asio::ip::make_address(options.address), options.port);
  acceptor.emplace(acceptor_strand);
  acceptor->open(endpoint.protocol());
  acceptor->set_option(asio::socket_base::reuse_address(true));
  acceptor->bind(endpoint);
  acceptor->listen(asio::socket_base::max_listen_connections);
  port = acceptor->local_endpoint().port();
  {
    std::lock_guard lock(mu);
    state = State::running;
  }

  handlers.emplace(static_cast<size_t>(handler_thread_count()));
  writers.emplace(static_cast<size_t>(write_thread_count()));
  keep_running.emplace(ioc.get_executor());
  asio::co_spawn(acceptor_strand, accept_loop(), asio::detached);
  for (int i = 0; i < std::max(1, io_thread_count()); ++i) {
    io_threads.emplace_back([this] {
      for (;;) {
        try {
          ioc.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("http: I/O thread: {}", e.what());
        }
      }
    });
  }
  spdlog::info("http: listening on {}:{} ({} I/O threads, {} handler threads, {} for writes)",
               options.address, port, io_threads.size(), handler_thread_count(),
               write_thread_count());
  return port;
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    error_code ec;
    tcp::socket socket = co_await acceptor->async_accept(asio::make_strand(ioc), redirect(ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      // Out of descriptors and the like: wait a moment rather than spin.
      spdlog::warn("http: accept failed: {}", ec.message());
      asio::steady_timer pause(acceptor_strand, std::chrono::milliseconds(100));
      co_await pause.async_wait(redirect(ec));
      continue;
    }
    auto c = std::make_shared<Connection>(std::move(socket));
    switch (add_connection(c)) {
      case Admission::admitted:
        break;
      case Admission::full:
        refuse_busy(*c);
        continue;
      case Admission::stopping:
        c->close();
        continue;
    }
    asio::co_spawn(c->stream.get_executor(), session(c), asio::detached);
  }
}

Server::Impl::Admission Server::Impl::add_connection(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(mu);
  if (stopping) return Admission::stopping;
  if (connections.size() >= options.max_connections) {
    connections_refused.inc();
    return Admission::full;
  }
  connections.emplace(c.get(), c);
  connections_total.inc();
  connections_open.add(1);
  return Admission::admitted;
}

void Server::Impl::refuse_busy(Connection& c) {
  // Nothing is read from the connection and nothing waits on it: a canned answer goes into
  // the empty send buffer of the new socket (a write that cannot block), then it is closed.
  static const std::string busy = [] {
    std::string body =
        R"json({"error":{"code":"too_many_connections","message":"服务器繁忙，请稍后重试 (server busy, please retry)","field":null}})json";
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
           "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  error_code ec;
  c.stream.socket().non_blocking(true, ec);
  if (!ec) c.stream.socket().write_some(asio::buffer(busy), ec);
  c.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  c.close();
}

void Server::Impl::remove_connection(Connection* c) {
  std::lock_guard lock(mu);
  if (connections.erase(c) > 0) connections_open.add(-1);
  if (connections.empty()) drained.notify_all();
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> c) {
  error_code ec;
  std::string peer;
  if (auto ep = c->stream.socket().remote_endpoint(ec); !ec) peer = ep.address().to_string();
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    if (buffer.size() == 0) {  // idle keep-alive: wait for the next request to begin
      // A new connection owes its first request: it gets the header's time, not the idle one.
      c->stream.expires_after(first ? options.header_timeout : options.idle_timeout);
      size_t n = co_await c->stream.async_read_some(buffer.prepare(8192), redirect(ec));
      if (ec) break;
      buffer.commit(n);
    }
    c->busy = true;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    c->stream.expires_after(options.header_timeout);
    co_await bhttp::async_read_header(c->stream, buffer, parser, redirect(ec));
    size_t limit = options.max_body_bytes;
    if (!ec) {
      // The route's own limit, known now that the header names the route: a 64 KiB login
      // never reads 16 MiB. An announced length over it fails here, unread.
      limit = body_limit_for(parser.get());
      parser.body_limit(limit);
      if (auto length = parser.content_length(); length && *length > limit) {
        ec = bhttp::error::body_limit;
      }
    }
    if (!ec && parser.get()[bhttp::field::expect] == "100-continue") {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
      co_await bhttp::async_write(c->stream, go_on, redirect(ec));
    }
    if (!ec && !parser.is_done()) {
      // At least min_body_rate after a grace of header_timeout, never more than body_timeout.
      auto deadline = options.body_timeout;
      if (options.min_body_rate > 0) {
        uint64_t expected = parser.content_length().value_or(limit);
        auto at_rate = std::chrono::milliseconds(expected * 1000 / options.min_body_rate);
        deadline = std::min(deadline, options.header_timeout + at_rate);
      }
      c->stream.expires_after(deadline);
      co_await bhttp::async_read(c->stream, buffer, parser, redirect(ec));
    }
    if (ec) {
      if (!is_disconnect(ec)) co_await reply_error(*c, parser, ec, peer, limit);
      break;
    }
    auto& msg = parser.get();
    unsigned version = msg.version();
    bool head = msg.method() == bhttp::verb::head;
    bool keep_alive = msg.keep_alive();
    auto req = std::make_shared<Request>(to_request(msg, peer, options.trusted_proxies));
    req->body = std::move(msg.body());
    auto started = Clock::now();
    Response res = co_await handle_on_pool(req);
    {
      std::lock_guard lock(mu);
      keep_alive = keep_alive && !stopping;
    }
    int status = res.status;
    if (auto token = res.headers.get(kStreamHeader)) {
      std::shared_ptr<BodyStream> body = take_over(*token);
      res.headers.remove(kStreamHeader);
      if (!body || head || bodiless_status(status)) {
        res.body.clear();  // nothing to stream: an empty answer
      } else {
        size_t sent = co_await write_stream(*c, std::move(res), std::move(body), version);
        dispatcher.record(
            *req, status, sent,
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
        break;
      }
    }
    size_t bytes = co_await write(*c, std::move(res), version, head, keep_alive, ec);
    dispatcher.record(
        *req, status, bytes,
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
    c->busy = false;
    if (ec || !keep_alive) break;
  }
  c->close();
  remove_connection(c.get());
}

asio::awaitable<Response> Server::Impl::handle_on_pool(std::shared_ptr<Request> req) {
  // Handlers block on the database: run them on the pool, never on an I/O thread, then resume
  // this coroutine on its strand with the response. (A plain callback rather than co_spawn
  // of a lambda coroutine: g++ 12 destroys such a lambda's captures twice.)
  auto initiate = [this](auto handler, std::shared_ptr<Request> r) {
    auto work = asio::make_work_guard(asio::get_associated_executor(handler));
    asio::thread_pool& pool = pool_for(*r);
    Gauge& queued = reads(*r) ? queued_reads : queued_writes;
    queued.add(1);
    asio::post(pool, [this, &queued, handler = std::move(handler), work = std::move(work),
                      r = std::move(r)]() mutable {
      queued.add(-1);
      Response res = dispatcher.handle(*r);
      auto home = work.get_executor();
      asio::dispatch(home, [handler = std::move(handler), res = std::move(res)]() mutable {
        handler(std::move(res));
      });
    });
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      initiate, asio::use_awaitable, std::move(req));
}

asio::awaitable<size_t> Server::Impl::write(Connection& c, Response res, unsigned version,
                                            bool head, bool keep_alive, error_code& ec) {
  auto out = to_beast(res, version, head, keep_alive, options.content_security_policy);
  size_t bytes = head ? 0 : out.body().size();
  c.stream.expires_after(options.write_timeout);
  co_await bhttp::async_write(c.stream, out, redirect(ec));
  co_return ec ? 0 : bytes;
}

asio::awaitable<size_t> Server::Impl::write_stream(Connection& c, Response res,
                                                   std::shared_ptr<BodyStream> body,
                                                   unsigned version) {
  res.headers.set("Cache-Control", "no-store");
  auto head = to_beast(res, version, false, /*keep_alive=*/false, options.content_security_policy);
  // No length: the body runs until the connection closes (HTTP/1.1 with Connection: close).
  head.body().clear();
  head.erase(bhttp::field::content_length);
  bhttp::response_serializer<bhttp::string_body> header(head);
  error_code ec;
  c.stream.expires_after(options.write_timeout);
  co_await bhttp::async_write_header(c.stream, header, redirect(ec));
  if (ec) co_return 0;
  asio::steady_timer timer(c.stream.get_executor());
  // wake() may run on any thread: it posts to this strand, where `pending` and the timer live.
  // `alive` outlives this coroutine in the stream's copy of wake.
  auto alive = std::make_shared<bool>(true);
  bool pending = true;
  body->on_ready([alive, &pending, &timer, ex = c.stream.get_executor()] {
    asio::post(ex, [alive, &pending, &timer] {
      if (!*alive) return;
      pending = true;
      timer.cancel();
    });
  });
  c.stream_timer = &timer;
  size_t sent = 0;
  constexpr auto kPing = std::chrono::seconds(25);
  while (!c.stream_stop) {
    if (!pending) {
      timer.expires_after(kPing);
      error_code waited;
      co_await timer.async_wait(redirect(waited));
      if (c.stream_stop) break;
    }
    pending = false;
    std::optional<std::string> chunk = body->take();
    if (!chunk) break;
    if (chunk->empty()) chunk = ": ping\n\n";
    c.stream.expires_after(options.write_timeout);
    sent += co_await asio::async_write(c.stream, asio::buffer(*chunk), redirect(ec));
    if (ec) break;
  }
  *alive = false;
  c.stream_timer = nullptr;
  co_return sent;
}

size_t Server::Impl::body_limit_for(const bhttp::request_header<>& h) {
  size_t limit = kDefaultBodyLimit;
  try {
    std::string_view target = sv(h.target());
    Match m = dispatcher.router().match(parse_method(sv(h.method_string())),
                                        target.substr(0, target.find('?')));
    if (m.kind == Match::Kind::found) limit = m.route->max_body_bytes;
  } catch (const std::exception&) {
    // A malformed path: the dispatcher answers it; its body needs no room.
  }
  return std::min(limit, options.max_body_bytes);
}

asio::awaitable<void> Server::Impl::reply_error(Connection& c,
                                                const bhttp::request_parser<bhttp::string_body>& p,
                                                const error_code& read_error,
                                                const std::string& peer, size_t body_limit) {
  auto started = Clock::now();
  // Whatever header fields were parsed before the failure (all of them for body_limit, which
  // is detected when the header completes) give the language and the log line.
  Request req = to_request(p.get(), peer, options.trusted_proxies);
  req.lang = preferred_language(req.headers.get("Accept-Language").value_or(""));
  int status = 400;
  Error e(ErrorKind::bad_input, "bad_request", "请求格式不正确", "Malformed HTTP request");
  if (read_error == bhttp::error::body_limit) {
    status = 413;
    e = Error(ErrorKind::too_large, "body_too_large",
              fmt::format("请求体超过 {} 字节的上限", body_limit),
              fmt::format("The request body exceeds the limit of {} bytes", body_limit));
  } else if (read_error == bhttp::error::header_limit) {
    status = 431;
    e = Error(ErrorKind::too_large, "header_too_large", "请求头过大", "Request headers too large");
  }
  error_code ec;
  unsigned version = p.get().version() == 10 ? 10 : 11;
  size_t bytes = co_await write(c, error_response(status, e, req.lang), version, false,
                                /*keep_alive=*/false, ec);
  dispatcher.record(req, status, bytes,
                    std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
  if (ec) co_return;
  // The client may still be sending the rejected body; closing with unread data would reset
  // the connection and could destroy our answer before it is read. Half-close, then drain a
  // bounded amount until the client closes.
  c.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> sink;
  size_t drained = 0;
  c.stream.expires_after(options.header_timeout);
  while (!ec && drained < 4 * options.max_body_bytes + (1 << 20)) {
    drained += co_await c.stream.async_read_some(asio::buffer(sink), redirect(ec));
  }
}

void Server::Impl::for_each_connection(const std::function<void(Connection&)>& fn) {
  std::vector<std::shared_ptr<Connection>> snapshot;
  {
    std::lock_guard lock(mu);
    for (auto& [p, c] : connections) snapshot.push_back(c);
  }
  std::vector<std::future<void>> done;
  for (auto& c : snapshot) {
    auto ran = std::make_shared<std::promise<void>>();
    done.push_back(ran->get_future());
    asio::post(c->stream.get_executor(), [c, &fn, ran] {
      fn(*c);
      ran->set_value();
    });
  }
  for (auto& f : done) f.wait();
}

void Server::Impl::stop() {
  {
    std::lock_guard lock(mu);
    if (state != State::running) return;
    state = State::stopped;
    stopping = true;
  }
  std::promise<void> closed;
  asio::post(acceptor_strand, [&] {
    error_code ignored;
    acceptor->close(ignored);
    closed.set_value();
  });
  closed.get_future().wait();
  spdlog::info("http: draining connections");
  if (on_drain) on_drain();

  // Idle keep-alive connections have nothing in flight: close them now. Busy ones close
  // themselves after their response, which carries Connection: close.
  for_each_connection([](Connection& c) {
    if (!c.busy) c.close();
    if (c.stream_timer) {  // a stream has no end of its own: end it
      c.stream_stop = true;
      c.stream_timer->cancel();
    }
  });
  {
    std::unique_lock lock(mu);
    auto deadline = Clock::now() + options.shutdown_timeout;
    if (!drained.wait_until(lock, deadline, [&] { return connections.empty(); })) {
      spdlog::warn("http: {} connections still busy at the shutdown deadline; closing them",
                   connections.size());
    }
  }
  for_each_connection([](Connection& c) { c.close(); });
  keep_running.reset();
  ioc.stop();
  for (auto& t : io_threads) t.join();
  io_threads.clear();
  // Waits for handlers still running; their results have nowhere to go and are dropped.
  handlers->join();
  writers->join();
  spdlog::info("http: stopped");
}

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(); }

Dispatcher& Server::dispatcher() { return impl_->dispatcher; }

void Server::on_drain(std::function<void()> fn) { impl_->on_drain = std::move(fn); }

uint16_t Server::start() { return impl_->start(); }

uint16_t Server::port() const { return impl_->port; }

void Server::stop() { impl_->stop(); }

void Server::run_until_signal() {
  if (impl_->port == 0) start();
  asio::io_context signals_context;
  asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([](const error_code& ec, int signal) {
    if (!ec) spdlog::info("http: signal {} received, stopping", signal);
  });
  signals_context.run();
  stop();
}

}  // namespace wangge::http
