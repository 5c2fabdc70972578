// Hostile connections against the real `smartchurn serve` process: slowloris, saturation, the
// connection cap and SIGTERM with requests in flight. Raw POSIX sockets play the attacker.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.h"
#include "sanitizer_build.h"
#include "serve_process.h"

namespace smartchurn::server::test {
namespace {

using Clock = std::chrono::steady_clock;

// A connected loopback socket (-1 on failure), closed on destruction.
class RawSocket {
 public:
  explicit RawSocket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  bool ok() const { return fd_ >= 0; }
  bool send(const std::string& bytes) const {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // What arrives within `seconds` until the peer closes ("" when nothing came).
  std::string receive(int seconds) const {
    std::string got;
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
      pollfd ready{fd_, POLLIN, 0};
      if (::poll(&ready, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
  }
  // True when the server closed the connection within `seconds`.
  bool closed_within(int seconds) const {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
      pollfd ready{fd_, POLLIN, 0};
      if (::poll(&ready, 1, 100) <= 0) continue;
      char buffer[4096];
      if (::recv(fd_, buffer, sizeof buffer, 0) <= 0) return true;
    }
    return false;
  }

 private:
  int fd_;
};

std::string predict_request() {
  const std::string body = kDemoCustomerJson;
  return "POST /api/v1/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(AttackConnections, SlowlorisDoesNotStopOthersBeingServed) {
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--demo-rows", "400"});
  ASSERT_GT(serve.port(), 0) << serve.err();
  ASSERT_TRUE(serve.wait_ready()) << serve.err();
  std::vector<std::unique_ptr<RawSocket>> attackers;
  for (int i = 0; i < 200; ++i) attackers.push_back(std::make_unique<RawSocket>(serve.port()));
  const std::string head = predict_request();
  for (int second = 0; second < 10; ++second) {
    for (auto& attacker : attackers) attacker->send(head.substr(second, 1));  // one byte a second
    httplib::Client client("127.0.0.1", serve.port());
    client.set_read_timeout(1, 0);
    client.set_connection_timeout(1, 0);
    const auto start = Clock::now();
    const auto reply = client.Post("/api/v1/predict", kDemoCustomerJson, "application/json");
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    ASSERT_TRUE(reply) << "second " << second << ": " << httplib::to_string(reply.error());
    EXPECT_EQ(reply->status, 200) << reply->body;
    EXPECT_LT(seconds, 1.0) << "second " << second;
    std::this_thread::sleep_for(std::chrono::milliseconds(900));
  }
  // The head deadline (10 s) has passed for the attackers: the server closed them.
  int closed = 0;
  for (auto& attacker : attackers) closed += attacker->closed_within(3) ? 1 : 0;
  EXPECT_EQ(closed, 200);
  EXPECT_EQ(serve.terminate(), 0) << serve.err();
}

TEST(AttackConnections, SaturationStillAnswersANewClientAndIdleConnectionsClose) {
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--demo-rows", "400", "--idle-timeout", "2"});
  ASSERT_GT(serve.port(), 0) << serve.err();
  ASSERT_TRUE(serve.wait_ready()) << serve.err();
  RawSocket idle(serve.port());
  ASSERT_TRUE(idle.ok());
  std::atomic<int> failures{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> hammers;
  for (int i = 0; i < 300; ++i) {
    hammers.emplace_back([&] {
      httplib::Client client("127.0.0.1", serve.port());
      client.set_keep_alive(true);
      client.set_read_timeout(30, 0);
      for (int n = 0; n < 30 && !done.load(); ++n) {
        const auto reply = client.Post("/api/v1/predict", kDemoCustomerJson, "application/json");
        if (!reply || (reply->status != 200 && reply->status != 503)) ++failures;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // A new client gets an answer (200, or a fast 503 with Retry-After) within 2 s.
  const int probe_seconds = 2 * test_build::kSanitizerSlowdown;
  for (int probe = 0; probe < 5; ++probe) {
    httplib::Client client("127.0.0.1", serve.port());
    client.set_read_timeout(probe_seconds, 0);
    client.set_connection_timeout(probe_seconds, 0);
    const auto reply = client.Get("/api/v1/health/live");
    // EXPECT, not ASSERT: the hammers must be joined before the test returns.
    EXPECT_TRUE(reply) << "probe " << probe << ": " << httplib::to_string(reply.error());
    if (!reply) continue;
    if (reply->status == 503) {
      EXPECT_TRUE(reply->has_header("Retry-After"));
    } else {
      EXPECT_EQ(reply->status, 200);
    }
  }
  done = true;
  for (std::thread& hammer : hammers) hammer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(idle.closed_within(5));  // the idle timeout is 2 s
  EXPECT_EQ(serve.terminate(), 0) << serve.err();
}

TEST(AttackConnections, OverTheConnectionCapIs503AtOnce) {
  TempDir dir;
  ServeProcess serve(dir.file("data"),
                     {"--demo-rows", "400", "--max-connections", "20", "--idle-timeout", "60"});
  ASSERT_GT(serve.port(), 0) << serve.err();
  ASSERT_TRUE(serve.wait_ready()) << serve.err();
  std::vector<std::unique_ptr<RawSocket>> held;
  for (int i = 0; i < 20; ++i) held.push_back(std::make_unique<RawSocket>(serve.port()));
  // Accepted by now (the acceptor runs on a loaded machine under sanitizers too).
  std::this_thread::sleep_for(std::chrono::milliseconds(300 * test_build::kSanitizerSlowdown));
  RawSocket extra(serve.port());
  ASSERT_TRUE(extra.ok());
  const std::string answer = extra.receive(2 * test_build::kSanitizerSlowdown);
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"code\":\"unavailable\""), std::string::npos) << answer;
  held.clear();  // once the server has seen the held connections go, a client is served again
  int status = 0;
  for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    httplib::Client client("127.0.0.1", serve.port());
    const auto reply = client.Get("/api/v1/health/live");
    status = reply ? reply->status : 0;
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(serve.terminate(), 0) << serve.err();
}

TEST(AttackConnections, SigtermAnswersEveryRequestInFlight) {
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--demo-rows", "400", "--stop-grace", "25"});
  ASSERT_GT(serve.port(), 0) << serve.err();
  ASSERT_TRUE(serve.wait_ready()) << serve.err();
  // 80 requests the server has received (their heads are read) but not finished: each body lacks
  // its last byte until SIGTERM has been sent, so all 80 are surely in flight when it comes.
  const std::string body = kDemoCustomerJson;
  const std::string head =
      "POST /api/v1/predict HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(serve.port()) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n";
  std::vector<std::unique_ptr<RawSocket>> callers;
  for (int i = 0; i < 80; ++i) {
    callers.push_back(std::make_unique<RawSocket>(serve.port()));
    ASSERT_TRUE(callers.back()->ok());
    ASSERT_TRUE(callers.back()->send(head + body.substr(0, body.size() - 1)));
  }
  httplib::Client watcher("127.0.0.1", serve.port());
  bool all_in = false;  // 80 and the metrics request itself
  for (int i = 0; i < 200 && !all_in; ++i) {
    const auto metrics = watcher.Get("/api/v1/metrics");
    if (metrics && metrics->status == 200) {
      const std::size_t at = metrics->body.find("\nsmartchurn_http_in_flight ");
      all_in = at != std::string::npos && std::atoi(metrics->body.c_str() + at + 27) >= 81;
    }
    if (!all_in) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(all_in);
  const auto start = Clock::now();
  ::kill(serve.pid(), SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server is stopping now
  for (const auto& caller : callers) EXPECT_TRUE(caller->send(body.substr(body.size() - 1)));
  int answered = 0;
  for (const auto& caller : callers) {
    const std::string answer = caller->receive(10);
    if (answer.rfind("HTTP/1.1 200", 0) == 0) ++answered;
  }
  const int code = serve.wait_exit(30);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(answered, 80);
  EXPECT_EQ(code, 0) << serve.err();
  EXPECT_LT(seconds, 30.0);
}

// kill -9 at a seeded random moment around training and activation, 20 times on one data dir:
// afterwards the store opens, /models shows exactly one active model and it predicts.
TEST(AttackConnections, KillNineAroundTrainingAndActivationLeavesAWorkingStore) {
  TempDir dir;
  std::mt19937 random(12);
  std::uniform_int_distribution<int> delay_ms(0, 400);
  const std::string train =
      R"({"dataset_id": 1, "target": "churn", "id_column": "customer_id", "models": ["lr"], "folds": 2})";
  for (int cycle = 0; cycle < 20; ++cycle) {
    ServeProcess serve(dir.file("data"), {"--demo-rows", "400"});
    ASSERT_GT(serve.port(), 0) << "cycle " << cycle << ": " << serve.err();
    ASSERT_TRUE(serve.wait_ready()) << "cycle " << cycle << ": " << serve.err();
    httplib::Client client = serve.client(10);
    if (cycle % 2 == 0) {
      client.Post("/api/v1/training-jobs", train, "application/json");
    } else if (const auto models = client.Get("/api/v1/models"); models && models->status == 200) {
      const auto list = nlohmann::json::parse(models->body)["models"];
      if (!list.empty()) {
        const auto id = list[static_cast<std::size_t>(cycle) % list.size()]["id"].get<int64_t>();
        std::thread([port = serve.port(), id] {
          httplib::Client activator("127.0.0.1", port);
          activator.Post("/api/v1/models/" + std::to_string(id) + "/activate");
        }).detach();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    serve.kill_hard();
  }
  ServeProcess serve(dir.file("data"), {"--demo-rows", "400"});
  ASSERT_GT(serve.port(), 0) << serve.err();
  ASSERT_TRUE(serve.wait_ready()) << serve.err();
  httplib::Client client = serve.client();
  const auto models = client.Get("/api/v1/models");
  ASSERT_TRUE(models);
  ASSERT_EQ(models->status, 200);
  int active = 0;
  const nlohmann::json listed = nlohmann::json::parse(models->body);
  for (const auto& model : listed["models"]) {
    active += model["active"].get<bool>() ? 1 : 0;
  }
  EXPECT_EQ(active, 1) << models->body.substr(0, 2000);
  const auto reply = client.Post("/api/v1/predict", kDemoCustomerJson, "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(serve.terminate(), 0) << serve.err();
}

}  // namespace
}  // namespace smartchurn::server::test
