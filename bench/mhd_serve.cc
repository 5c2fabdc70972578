// The second HTTP candidate measured for the server (docs/architecture.md, "Why Boost.Beast"):
// the same service, routes, guard and metrics as `smartchurn serve`, behind libmicrohttpd
// instead of the Beast layer, so bench/http_candidates.sh compares the HTTP engines alone.
// Usage: bench_mhd_serve serve --port PORT --data-dir DIR (the subset of `smartchurn serve` the
// HTTP benchmarks use). Not part of the product: built with -DSMARTCHURN_BENCH=ON.
#include <fmt/core.h>
#include <microhttpd.h>
#include <signal.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "server/churn_service.h"
#include "server/metrics.h"
#include "server/request_guard.h"
#include "server/router.h"
#include "server/routes.h"
#include "server/tokens.h"
#include "server/url.h"
#include "smartchurn/store.h"

namespace {

using namespace smartchurn;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxBody = 1 << 20;  // the Beast server's JSON body cap

struct Server {
  server::Router router;
  server::Metrics metrics;
  server::Tokens tokens = server::Tokens::allow_all();
};

// One request's state between libmicrohttpd's calls: the head, then the body in pieces.
struct Exchange {
  server::Request request;
  Clock::time_point start = Clock::now();
  bool too_large = false;
};

MHD_Result collect_header(void* context, MHD_ValueKind, const char* key, const char* value) {
  std::string name(key);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static_cast<server::Request*>(context)->headers.emplace(std::move(name), value ? value : "");
  return MHD_YES;
}

MHD_Result answer(Server& server, MHD_Connection* connection, Exchange& x) {
  server::Response response;
  if (x.too_large) {
    response = server::Response::json({{"error", {{"code", "too_large"}}}}, 413);
  } else if (auto refusal = server.router.screen(x.request)) {
    response = std::move(*refusal);
  } else {
    response = server.router.dispatch(x.request);
  }
  MHD_Response* reply = MHD_create_response_from_buffer(response.body.size(), response.body.data(),
                                                        MHD_RESPMEM_MUST_COPY);
  MHD_add_response_header(reply, "Content-Type", response.content_type.c_str());
  for (const auto& [name, value] : response.headers) {
    MHD_add_response_header(reply, name.c_str(), value.c_str());
  }
  const MHD_Result queued =
      MHD_queue_response(connection, static_cast<unsigned>(response.status), reply);
  MHD_destroy_response(reply);
  const double seconds = std::chrono::duration<double>(Clock::now() - x.start).count();
  server.metrics.record_request(server.router.route_label(x.request.method, x.request.path),
                                x.request.method, response.status, seconds);
  return queued;
}

MHD_Result on_request(void* context, MHD_Connection* connection, const char* url,
                      const char* method, const char*, const char* upload_data,
                      size_t* upload_data_size, void** request_state) {
  Server& server = *static_cast<Server*>(context);
  if (*request_state == nullptr) {  // the head: set up the exchange, body pieces follow
    auto x = std::make_unique<Exchange>();
    x->request.method = method;
    const std::string_view target(url);
    x->request.path = server::decode_url(target, false);
    MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_header, &x->request);
    MHD_get_connection_values(
        connection, MHD_GET_ARGUMENT_KIND,
        [](void* query, MHD_ValueKind, const char* key, const char* value) -> MHD_Result {
          static_cast<std::multimap<std::string, std::string>*>(query)->emplace(key,
                                                                                value ? value : "");
          return MHD_YES;
        },
        &x->request.query);
    x->request.role = server.tokens.role_for(x->request.header("authorization"));
    server.metrics.add_in_flight(1);
    *request_state = x.release();  // owned by libmicrohttpd until on_completed
    return MHD_YES;
  }
  Exchange& x = *static_cast<Exchange*>(*request_state);
  if (*upload_data_size > 0) {
    if (x.request.body.size() + *upload_data_size > kMaxBody) {
      x.too_large = true;
    } else {
      x.request.body.append(upload_data, *upload_data_size);
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  return answer(server, connection, x);
}

void on_completed(void* context, MHD_Connection*, void** request_state,
                  MHD_RequestTerminationCode) {
  std::unique_ptr<Exchange> x(static_cast<Exchange*>(*request_state));
  *request_state = nullptr;
  if (x) static_cast<Server*>(context)->metrics.add_in_flight(-1);
}

int run(int port, const std::string& data_dir) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::filesystem::create_directories(data_dir);
  Store store(data_dir);
  server::ServiceOptions service_options;
  service_options.data_dir = data_dir;
  server::ChurnService service(store, service_options);
  service.start(true);
  Server server;
  server::add_api_routes(server.router, service, server.metrics);
  server.router.set_guard(server::RequestGuard({"127.0.0.1", port, {}, false}).as_router_guard());

  // Two epoll threads, as the Beast server's two network threads; the same connection cap and
  // idle timeout (libmicrohttpd's timeout is reset by every byte: it has no whole-head deadline).
  MHD_Daemon* daemon = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, static_cast<uint16_t>(port), nullptr,
      nullptr, &on_request, &server, MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_CONNECTION_LIMIT,
      1024u, MHD_OPTION_CONNECTION_TIMEOUT, 5u, MHD_OPTION_NOTIFY_COMPLETED, &on_completed, &server,
      MHD_OPTION_END);
  if (daemon == nullptr) {
    fmt::print(stderr, "libmicrohttpd could not listen on port {}\n", port);
    return 1;
  }
  fmt::print("libmicrohttpd peer listening on http://127.0.0.1:{}/\n", port);
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  MHD_stop_daemon(daemon);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string data_dir;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--port") == 0)
      port = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--data-dir") == 0)
      data_dir = argv[++i];
  }
  if (argc < 2 || std::strcmp(argv[1], "serve") != 0 || port <= 0 || data_dir.empty()) {
    fmt::print(stderr, "usage: {} serve --port PORT --data-dir DIR\n", argv[0]);
    return 2;
  }
  return run(port, data_dir);
}
