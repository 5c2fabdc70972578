// The cpp-httplib server under the Router: one catch-all handler per method turns every request
// into a smartchurn Request, reads its body as the route wants (before that, 404/405/401/403
// answer without reading it), dispatches, and records metrics and requests in flight.
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "server/error_response.h"
#include "server/event_stream.h"
#include "server/http_server.h"
#include "server/static_files.h"
#include "server/uploads.h"
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStopGrace = std::chrono::seconds(10);
constexpr std::size_t kDiscardLimit = 64u << 10;  // bodies sent to routes that take none

bool under_api(const std::string& path) { return path == "/api" || path.starts_with("/api/"); }

// SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which lets a second server bind
// a port already in use instead of failing.
void socket_options(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

Request to_request(const httplib::Request& http_request, const Tokens& tokens) {
  Request request;
  request.method = http_request.method;
  request.path = http_request.path;
  request.query.insert(http_request.params.begin(), http_request.params.end());
  for (const auto& [name, value] : http_request.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace(std::move(lower), value);
  }
  request.role = tokens.role_for(request.header("authorization"));
  return request;
}

// What outlives the handler while an event stream is written.
struct Exchange {
  Request request;
  std::unique_ptr<UploadFile> upload;
  std::string route_label;
  Clock::time_point start;
  int status = 0;
  std::atomic<bool> finished{false};
};

}  // namespace

struct HttpServer::Impl {
  Impl(const Router& router_in, const Tokens& tokens_in, Metrics& metrics_in, ServerOptions opts)
      : router(router_in), tokens(tokens_in), metrics(metrics_in), options(std::move(opts)) {
    if (!options.static_dir.empty()) static_files.emplace(options.static_dir);
  }

  const Router& router;
  const Tokens& tokens;
  Metrics& metrics;
  const ServerOptions options;
  std::optional<StaticFiles> static_files;
  httplib::Server server;
  int bound_port = -1;
  std::atomic<bool> stopping{false};
  std::atomic<bool> serving{false};
  std::atomic<int> in_flight{0};
  std::mutex idle_mutex;
  std::condition_variable idle;

  void configure();
  void handle(const httplib::Request& http_request, httplib::Response& http_response,
              const httplib::ContentReader* reader);
  Response respond(const httplib::Request& http_request, const httplib::ContentReader* reader,
                   Exchange& exchange, bool& body_consumed);
  void finish(Exchange& exchange);
  // Streams response.body_file as the body; finish() runs once it is sent.
  void send_file(const Response& response, httplib::Response& http_response,
                 const std::shared_ptr<Exchange>& exchange);
};

void HttpServer::Impl::configure() {
  server.set_tcp_nodelay(true);
  server.set_socket_options(socket_options);
  server.set_keep_alive_max_count(
      static_cast<std::size_t>(std::max(1, options.keep_alive_max_count)));
  server.set_read_timeout(options.head_timeout_seconds, 0);
  server.set_write_timeout(options.write_timeout_seconds, 0);
  const auto threads = static_cast<std::size_t>(std::max(1, options.threads));
  // httplib takes ownership of the queue it gets from this factory.
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  const auto plain = [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res, nullptr);
  };
  const auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) {
    handle(req, res, &reader);
  };
  server.Get(".*", plain);
  server.Options(".*", plain);
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.Delete(".*", with_body);

  // Errors httplib answers itself (malformed request, unknown method) get a JSON body too.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.is_chunked_content_provider_) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        const Response error =
            error_response(res.status, res.status == 413 ? "payload_too_large" : "invalid_request",
                           fmt::format("HTTP status {}", res.status));
        res.set_content(error.body, error.content_type);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
        const Response response = response_for_exception(error, req.method + " " + req.path);
        res.status = response.status;
        res.set_content(response.body, response.content_type);
      });
}

Response HttpServer::Impl::respond(const httplib::Request& http_request,
                                   const httplib::ContentReader* reader, Exchange& exchange,
                                   bool& body_consumed) {
  Request& request = exchange.request;
  const auto refuse = [&](Response refusal) {
    // A request refused does not get its body read (or an upload stored).
    if (reader != nullptr) body_consumed = discard_body(http_request, *reader, kDiscardLimit);
    return refusal;
  };
  if (auto refusal = router.screen(request)) return refuse(std::move(*refusal));
  const Route* route = router.find(request.method, request.path);
  const bool is_get = request.method == "GET" || request.method == "HEAD";
  if (route == nullptr && static_files && is_get && !under_api(request.path)) {
    exchange.route_label = "static";
    return static_files->serve(request.path);
  }
  exchange.route_label =
      route != nullptr ? route->pattern : router.route_label(request.method, request.path);
  if (auto refusal = router.admit(request)) return refuse(std::move(*refusal));
  if (reader != nullptr) {
    if (route->body == BodyKind::kJson) {
      read_json_body(http_request, *reader, options.max_json_body, request, body_consumed);
    } else if (route->body == BodyKind::kUpload) {
      exchange.upload = receive_upload(http_request, *reader, options.upload_dir,
                                       options.max_upload_body, request, body_consumed);
    } else {
      body_consumed = discard_body(http_request, *reader, kDiscardLimit);
    }
  }
  return router.dispatch(request);
}

void HttpServer::Impl::handle(const httplib::Request& http_request,
                              httplib::Response& http_response,
                              const httplib::ContentReader* reader) {
  if (stopping.load()) {
    const Response busy = error_response(503, "unavailable", "the server is shutting down");
    http_response.status = busy.status;
    http_response.set_header("Connection", "close");
    http_response.set_content(busy.body, busy.content_type);
    return;
  }
  ++in_flight;
  metrics.add_in_flight(1);
  auto exchange = std::make_shared<Exchange>();
  exchange->start = Clock::now();
  exchange->route_label = "unmatched";
  bool body_consumed = reader == nullptr || !has_body(http_request);
  Response response;
  try {
    exchange->request = to_request(http_request, tokens);
    response = respond(http_request, reader, *exchange, body_consumed);
  } catch (...) {
    response = response_for_exception(std::current_exception(),
                                      http_request.method + " " + http_request.path);
  }
  exchange->status = response.status;
  http_response.status = response.status;
  for (auto& [name, value] : response.headers) http_response.set_header(name, value);
  // Unread body bytes would be parsed as the next request: end the connection instead.
  if (!body_consumed) http_response.set_header("Connection", "close");

  if (response.events) {
    http_response.set_header("Cache-Control", "no-cache");
    http_response.set_header("X-Accel-Buffering", "no");
    http_response.set_chunked_content_provider(
        "text/event-stream",
        [this, exchange, events = std::move(response.events)](std::size_t,
                                                              httplib::DataSink& sink) {
          ChunkedEventSink out(sink, stopping);
          try {
            events(out);
          } catch (const std::exception& e) {
            spdlog::error("{} {}: event stream failed: {}", exchange->request.method,
                          exchange->route_label, e.what());
          }
          sink.done();
          return true;
        },
        [this, exchange](bool) { finish(*exchange); });
    return;
  }
  if (!response.body_file.empty()) {
    send_file(response, http_response, exchange);
    return;
  }
  if (!response.content_type.empty()) {
    http_response.set_header("Content-Type", response.content_type);
  }
  http_response.body = std::move(response.body);
  finish(*exchange);
}

void HttpServer::Impl::send_file(const Response& response, httplib::Response& http_response,
                                 const std::shared_ptr<Exchange>& exchange) {
  auto file = std::make_shared<std::ifstream>(response.body_file, std::ios::binary);
  std::error_code error;
  const auto size = std::filesystem::file_size(response.body_file, error);
  if (!*file || error) {
    const Response missing = error_response(500, "internal", "the response file is unreadable");
    exchange->status = http_response.status = missing.status;
    http_response.set_content(missing.body, missing.content_type);
    finish(*exchange);
    return;
  }
  http_response.set_content_provider(
      static_cast<std::size_t>(size), response.content_type,
      [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        char piece[64 * 1024];
        file->seekg(static_cast<std::streamoff>(offset));
        file->read(piece, static_cast<std::streamsize>(std::min(length, sizeof piece)));
        const auto got = static_cast<std::size_t>(file->gcount());
        return got > 0 && sink.write(piece, got);
      },
      [this, exchange](bool) { finish(*exchange); });
}

void HttpServer::Impl::finish(Exchange& exchange) {
  if (exchange.finished.exchange(true)) return;
  exchange.upload.reset();  // removes the upload unless the handler moved it
  const double seconds = std::chrono::duration<double>(Clock::now() - exchange.start).count();
  metrics.record_request(exchange.route_label, exchange.request.method, exchange.status, seconds);
  metrics.add_in_flight(-1);
  spdlog::debug("{} {} -> {} ({:.3f} ms)", exchange.request.method, exchange.request.path,
                exchange.status, seconds * 1e3);
  if (in_flight.fetch_sub(1) == 1 && stopping.load()) {
    std::lock_guard lock(idle_mutex);
    idle.notify_all();
  }
}

HttpServer::HttpServer(const Router& router, const Tokens& tokens, Metrics& metrics,
                       ServerOptions options)
    : impl_(std::make_unique<Impl>(router, tokens, metrics, std::move(options))) {
  impl_->configure();
}

HttpServer::~HttpServer() {
  if (impl_->server.is_running()) impl_->server.stop();
}

void HttpServer::bind() {
  const ServerOptions& options = impl_->options;
  int port = -1;
  if (options.port == 0) {
    port = impl_->server.bind_to_any_port(options.host);
  } else if (impl_->server.bind_to_port(options.host, options.port)) {
    port = options.port;
  }
  if (port <= 0) {
    throw_io(fmt::format("cannot listen on {}:{} (port in use or address not available)",
                         options.host, options.port));
  }
  impl_->bound_port = port;
}

void HttpServer::serve() {
  if (impl_->bound_port < 0) bind();
  impl_->serving = true;
  if (impl_->stopping.load()) return;
  impl_->server.listen_after_bind();
}

int HttpServer::port() const { return impl_->bound_port; }

void HttpServer::stop() {
  impl_->stopping = true;
  {
    std::unique_lock lock(impl_->idle_mutex);
    impl_->idle.wait_for(lock, kStopGrace, [this] { return impl_->in_flight.load() == 0; });
  }
  // serve() may be just about to listen; httplib's stop() only acts on a running server.
  for (int wait = 0; wait < 200 && impl_->serving.load() && !impl_->server.is_running(); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl_->server.stop();
}

}  // namespace smartchurn::server
