#include "server/http_session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <limits>

#include "server/error_response.h"
#include "server/url.h"

namespace smartchurn::server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kPieceBytes = 64u << 10;
constexpr std::size_t kRefusedBodyLimit = 64u << 10;  // dropped from refused or bodiless routes
// JSON bodies larger than this run on the worker pool (e.g. /predict with many customers).
constexpr uint64_t kInlineJsonBytes = 32u << 10;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Session::Session(net::ip::tcp::socket&& socket, ServerCore& core)
    : stream_(std::move(socket)), core_(core) {
  ++core_.connections;
}

Session::~Session() {
  core_.remove(this);
  --core_.connections;
}

void Session::start() {
  core_.add(this, shared_from_this());
  beast::error_code ignored;
  stream_.socket().set_option(net::ip::tcp::no_delay(true), ignored);
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
}

void Session::on_stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ != Phase::kIdle) return;  // answered, then closed (keep_alive() is false)
    beast::error_code error;
    // Bytes already here are a request received: it is read and answered.
    if (self->stream_.socket().available(error) > 0 && !error) return;
    self->stream_.socket().cancel(error);
  });
}

void Session::close_now() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void Session::close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

void Session::wait_for_request() {
  if (core_.stopping.load() || close_after_) return close();
  if (buffer_.size() > 0) return read_head();
  phase_ = Phase::kIdle;
  stream_.expires_after(std::chrono::seconds(core_.options.idle_timeout_seconds));
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
                            if (error)
                              return self->close();  // idle timeout, client gone or server stopping
                            self->buffer_.commit(bytes);
                            self->read_head();
                          });
}

void Session::read_head() {
  phase_ = Phase::kHead;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(core_.options.max_header_bytes));
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // the caps are the routes' own,
                                                                   // checked as bytes arrive
  stream_.expires_after(std::chrono::seconds(core_.options.head_timeout_seconds));
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_head(error); });
}

void Session::on_head(beast::error_code error) {
  if (error == http::error::header_limit) {
    close_after_ = true;
    return write_simple(431, error_response(431, "header_too_large",
                                            fmt::format("the request head is larger than {} bytes",
                                                        core_.options.max_header_bytes))
                                 .body);
  }
  if (error == beast::error::timeout || error == http::error::end_of_stream ||
      error == net::error::eof || error == net::error::operation_aborted ||
      error == net::error::connection_reset || error == http::error::partial_message) {
    return close();  // a head not sent in time (slowloris), or the client left
  }
  if (error) {
    close_after_ = true;
    return write_simple(400, error_response(400, "invalid_request",
                                            "the request is not valid HTTP/1.1: " + error.message())
                                 .body);
  }
  begin_exchange();
}

void Session::begin_exchange() {
  core_.begin_request();
  core_.metrics.add_in_flight(1);
  exchange_ = std::make_unique<Exchange>();
  exchange_->start = Clock::now();
  Request& request = exchange_->request;
  const auto& head = parser_->get();
  request.method = std::string(head.method_string());
  const std::string_view target(head.target().data(), head.target().size());
  const std::size_t question = target.find('?');
  request.path = decode_url(target.substr(0, question), false);
  if (question != std::string_view::npos) parse_query(target.substr(question + 1), request.query);
  for (const auto& field : head) {
    request.headers.emplace(
        lower(std::string_view(field.name_string().data(), field.name_string().size())),
        std::string(field.value()));
  }
  request.role = core_.tokens.role_for(request.header("authorization"));
  try {
    plan_body();
  } catch (...) {
    exchange_->early =
        response_for_exception(std::current_exception(), request.method + " " + request.path);
    exchange_->discard_limit = kDrainAllowance;
    read_body();
  }
}

// The order of checks: the guard, dashboard files, the route's admission, then the body.
void Session::plan_body() {
  Exchange& x = *exchange_;
  Request& request = x.request;
  const auto refuse = [&](Response refusal, std::size_t drop_limit) {
    x.early = std::move(refusal);
    x.discard_limit = drop_limit;  // a refused body is dropped, never stored
    read_body();
  };
  if (auto refusal = core_.router.screen(request))
    return refuse(std::move(*refusal), kRefusedBodyLimit);
  const Route* route = core_.router.find(request.method, request.path);
  const bool is_get = request.method == "GET" || request.method == "HEAD";
  if (route == nullptr && core_.static_files && is_get && !is_api_path(request.path)) {
    x.route_label = "static";
    return refuse(core_.static_files->serve(request.path), kRefusedBodyLimit);
  }
  x.route_label =
      route != nullptr ? route->pattern : core_.router.route_label(request.method, request.path);
  if (auto refusal = core_.router.admit(request))
    return refuse(std::move(*refusal), kRefusedBodyLimit);
  x.route = route;

  BodyHead body;
  body.content_type = request.header("content-type");
  body.chunked = parser_->chunked();
  if (auto length = parser_->content_length()) body.content_length = *length;
  x.pooled = route->cost == Cost::kSlow || route->body == BodyKind::kUpload ||
             (route->body == BodyKind::kJson && body.content_length &&
              *body.content_length > kInlineJsonBytes);
  if (x.pooled) {
    if (!core_.pool.try_reserve()) {
      Response busy = error_response(503, "unavailable", "the server is busy: try again shortly");
      busy.headers.emplace_back("Retry-After", "1");
      return refuse(std::move(busy), kRefusedBodyLimit);
    }
    x.reserved = true;
  }
  if (route->body == BodyKind::kJson) {
    x.sink = json_body_sink(body, core_.options.max_json_body, request);
  } else if (route->body == BodyKind::kUpload) {
    x.sink = upload_body_sink(body, core_.options.upload_dir, core_.options.max_upload_body,
                              request, x.upload);
  } else {
    x.discard_limit = kRefusedBodyLimit;
  }
  send_continue_then_read();
}

void Session::send_continue_then_read() {
  const auto& head = parser_->get();
  const auto expect = head.find(http::field::expect);
  if (expect == head.end() || !beast::iequals(expect->value(), "100-continue") ||
      parser_->is_done()) {
    return read_body();
  }
  static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_.expires_after(std::chrono::seconds(core_.options.write_timeout_seconds));
  net::async_write(stream_, net::buffer(kContinue),
                   [self = shared_from_this()](beast::error_code error, std::size_t) {
                     if (error) {
                       self->close_after_ = true;
                       return self->finish_exchange();
                     }
                     self->read_body();
                   });
}

void Session::read_body() {
  phase_ = Phase::kBody;
  Exchange& x = *exchange_;
  if (parser_->is_done()) return body_done();
  // Past the drop limit nothing more is read: the answer goes out and the connection closes.
  const auto length = parser_->content_length_remaining();
  if ((x.sink == nullptr || x.body_error) &&
      ((length && *length > x.discard_limit) || x.body_bytes > x.discard_limit)) {
    x.body_unread = true;
    return body_done();
  }
  if (x.body_bytes == 0) {
    body_start_ = Clock::now();
    const uint64_t mib = length ? (*length >> 20) + 1 : 1;
    stream_.expires_at(body_start_ + std::chrono::seconds(core_.options.body_timeout_seconds) +
                       std::chrono::seconds(core_.options.body_seconds_per_mib) * mib);
  } else if (!length) {
    // Chunked: the deadline grows with what has arrived.
    const uint64_t mib = (x.body_bytes >> 20) + 1;
    stream_.expires_at(body_start_ + std::chrono::seconds(core_.options.body_timeout_seconds) +
                       std::chrono::seconds(core_.options.body_seconds_per_mib) * mib);
  }
  piece_.resize(kPieceBytes);
  auto& body = parser_->get().body();
  body.data = piece_.data();
  body.size = piece_.size();
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code error, std::size_t) {
                     auto& read = self->parser_->get().body();
                     const std::size_t got = self->piece_.size() - read.size;
                     if (error == http::error::need_buffer) error = {};
                     self->on_body(error, got);
                   });
}

void Session::on_body(beast::error_code error, std::size_t bytes) {
  Exchange& x = *exchange_;
  if (error) {
    // The body did not arrive in time or was malformed: no handler runs.
    close_after_ = true;
    x.body_unread = true;
    if (error == beast::error::timeout || error == net::error::eof ||
        error == net::error::connection_reset || error == http::error::partial_message) {
      x.early = error_response(408, "request_timeout", "the request body did not arrive in time");
    } else if (!x.early) {
      x.early = error_response(400, "invalid_request",
                               "the request body is not valid HTTP: " + error.message());
    }
    x.sink.reset();
    return body_done();
  }
  x.body_bytes += bytes;
  if (x.sink && !x.body_error && bytes > 0) {
    try {
      x.sink->write(piece_.data(), bytes);
    } catch (...) {
      x.body_error = std::current_exception();
      x.discard_limit = x.body_bytes + kDrainAllowance;
    }
  }
  read_body();
}

void Session::body_done() {
  Exchange& x = *exchange_;
  if (!x.early && !x.body_error && x.sink) {
    try {
      x.sink->finish();
    } catch (...) {
      x.body_error = std::current_exception();
    }
  }
  if (x.body_error && !x.early) {
    x.early = response_for_exception(x.body_error, x.request.method + " " + x.request.path);
  }
  if (x.early) {
    if (x.reserved) core_.pool.release();
    x.reserved = false;
    return answer(std::move(*x.early));
  }
  run_handler();
}

void Session::run_handler() {
  phase_ = Phase::kHandler;
  stream_.expires_never();
  Exchange& x = *exchange_;
  if (!x.pooled) return answer(core_.router.dispatch(x.request));
  x.reserved = false;  // the pool gives the place back when the task ends
  core_.pool.run([self = shared_from_this()] {
    Response response;
    try {
      response = self->core_.router.dispatch(self->exchange_->request);
    } catch (...) {
      response = response_for_exception(std::current_exception(), "handler");
    }
    net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
      self->answer(std::move(response));
    });
  });
}

void Session::answer(Response response) {
  exchange_->response = std::move(response);
  // The handler is done with the upload: removed before the client can see the answer.
  exchange_->sink.reset();
  exchange_->upload.reset();
  if (exchange_->body_unread) close_after_ = true;
  if (exchange_->response.events) return start_event_stream();
  if (!exchange_->response.body_file.empty()) return write_file_response();
  write_response();
}

void Session::finish_exchange() {
  if (!exchange_) return;
  Exchange& x = *exchange_;
  if (x.reserved) core_.pool.release();
  x.sink.reset();
  x.upload.reset();  // removes the upload unless the handler moved it
  const double seconds = std::chrono::duration<double>(Clock::now() - x.start).count();
  core_.metrics.record_request(x.route_label, x.request.method, x.response.status, seconds);
  core_.metrics.add_in_flight(-1);
  spdlog::debug("{} {} -> {} ({:.3f} ms)", x.request.method, x.request.path, x.response.status,
                seconds * 1e3);
  const bool counted = x.counted;
  exchange_.reset();
  ++requests_served_;
  if (counted) core_.end_request();
}

void Session::after_write(beast::error_code error) {
  message_.reset();
  const bool again = !error && keep_alive();
  finish_exchange();
  if (!again) return close();
  wait_for_request();
}

bool Session::keep_alive() const {
  return !close_after_ && !core_.stopping.load() && parser_ && parser_->keep_alive() &&
         requests_served_ + 1 < core_.options.keep_alive_max_count;
}

}  // namespace smartchurn::server
