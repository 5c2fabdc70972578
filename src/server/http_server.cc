// HttpServer on Boost.Beast/Asio: an acceptor and one Session per connection on a few network
// threads; a bound on open connections (503 + Retry-After past it); graceful stop.
#include "server/http_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/error_response.h"
#include "server/http_session.h"
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Enough file descriptors for the connection cap (the soft limit is often 1024).
void raise_file_limit(int connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(connections) * 2 + 256;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

// The answer to a connection over the cap, written before anything is read.
std::string over_capacity_answer() {
  const Response busy =
      error_response(503, "unavailable", "too many open connections: try again shortly");
  return fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
      "Connection: close\r\nContent-Length: {}\r\n\r\n{}",
      busy.body.size(), busy.body);
}

}  // namespace

struct HttpServer::Impl {
  Impl(const Router& router, const Tokens& tokens, Metrics& metrics, ServerOptions options)
      : core(router, tokens, metrics, std::move(options)),
        acceptor(io, tcp::v4()),
        retry(io),
        busy_answer(over_capacity_answer()) {}

  ServerCore core;
  net::io_context io;
  tcp::acceptor acceptor;
  net::steady_timer retry;  // after an accept error such as too many open files
  const std::string busy_answer;
  int bound_port = -1;
  std::atomic<bool> serving{false};
  // Keeps the network threads running while a handler works on the pool with no I/O pending.
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::mutex work_mutex;

  void accept();
  void refuse(tcp::socket socket);
};

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(io),
                        [this](boost::system::error_code error, tcp::socket socket) {
                          if (core.stopping.load() || !acceptor.is_open()) return;
                          if (error) {
                            spdlog::warn("accept failed: {}", error.message());
                            retry.expires_after(std::chrono::milliseconds(50));
                            retry.async_wait([this](boost::system::error_code) { accept(); });
                            return;
                          }
                          if (core.connections.load() >= core.options.max_connections) {
                            refuse(std::move(socket));
                          } else {
                            std::make_shared<Session>(std::move(socket), core)->start();
                          }
                          accept();
                        });
}

void HttpServer::Impl::refuse(tcp::socket socket) {
  auto held = std::make_shared<tcp::socket>(std::move(socket));
  boost::system::error_code ignored;
  held->non_blocking(true, ignored);
  // The short answer fits in the socket buffer: written at once, then the connection closes.
  net::async_write(*held, net::buffer(busy_answer), [held](boost::system::error_code, std::size_t) {
    boost::system::error_code unused;
    held->shutdown(tcp::socket::shutdown_send, unused);
    held->close(unused);
  });
}

HttpServer::HttpServer(const Router& router, const Tokens& tokens, Metrics& metrics,
                       ServerOptions options)
    : impl_(std::make_unique<Impl>(router, tokens, metrics, std::move(options))) {}

HttpServer::~HttpServer() {
  if (!impl_->core.stopping.load()) impl_->core.stopping = true;
  impl_->io.stop();
  impl_->core.pool.shutdown();
}

void HttpServer::bind() {
  const ServerOptions& options = impl_->core.options;
  raise_file_limit(options.max_connections);
  boost::system::error_code error;
  const auto address =
      net::ip::make_address(options.host == "localhost" ? "127.0.0.1" : options.host, error);
  tcp::acceptor& acceptor = impl_->acceptor;
  if (!error) {
    if (address.is_v6()) {
      acceptor.close();
      acceptor.open(tcp::v6(), error);
    }
    // SO_REUSEADDR only: SO_REUSEPORT would let a second server bind a port already in use.
    if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
    if (!error)
      acceptor.bind(tcp::endpoint(address, static_cast<unsigned short>(options.port)), error);
    if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
  }
  if (error) {
    throw_io(fmt::format("cannot listen on {}:{} (port in use or address not available)",
                         options.host, options.port));
  }
  impl_->bound_port = acceptor.local_endpoint().port();
}

void HttpServer::serve() {
  if (impl_->bound_port < 0) bind();
  impl_->serving = true;
  if (impl_->core.stopping.load()) return;
  {
    std::lock_guard lock(impl_->work_mutex);
    if (impl_->core.stopping.load()) return;
    impl_->work.emplace(impl_->io.get_executor());
  }
  impl_->accept();
  const int io_threads = std::max(1, impl_->core.options.io_threads);
  std::vector<std::thread> threads;
  for (int i = 1; i < io_threads; ++i) threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();  // returns when every connection is closed and the acceptor too
  for (std::thread& thread : threads) thread.join();
  impl_->core.pool.shutdown();
  impl_->core.wait_for_producers();
}

int HttpServer::port() const { return impl_->bound_port; }

void HttpServer::stop() {
  ServerCore& core = impl_->core;
  if (core.stopping.exchange(true)) return;
  net::post(impl_->io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->retry.cancel();
  });
  core.for_each_session(&Session::on_stop);
  const auto grace = std::chrono::seconds(std::max(0, core.options.stop_grace_seconds));
  if (!core.wait_for_requests(grace)) {
    spdlog::warn("stopping: requests still in flight after {} s, closing their connections",
                 grace.count());
  }
  // Whatever is left (event streams, heads still arriving) closes now.
  core.for_each_session(&Session::close_now);
  std::lock_guard lock(impl_->work_mutex);
  impl_->work.reset();
}

}  // namespace smartchurn::server
