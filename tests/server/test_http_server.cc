#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server/server_fixture.h"
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

using test::ServerFixture;
using test::TempDir;

nlohmann::json json_of(const httplib::Result& result) {
  return nlohmann::json::parse(result->body);
}

std::string error_code(const httplib::Result& result) { return json_of(result)["error"]["code"]; }

// Waits for a condition another thread makes true, failing the test after 10 s.
bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 1000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

TEST(HttpServer, JsonRoundTrip) {
  ServerFixture fixture;
  httplib::Client client = fixture.client();
  const auto result = client.Post("/api/echo", R"({"tenure": 12, "name": "Zoë"})",
                                  "application/json; charset=utf-8");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json_of(result), nlohmann::json::parse(R"({"echo":{"tenure":12,"name":"Zoë"}})"));
}

TEST(HttpServer, BodyErrorsAreJson) {
  ServerFixture fixture;
  httplib::Client client = fixture.client();
  const auto malformed = client.Post("/api/echo", "{\"a\":", "application/json");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(error_code(malformed), "invalid_json");
  const auto wrong_type = client.Post("/api/echo", "a=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->status, 415);
  EXPECT_EQ(error_code(wrong_type), "unsupported_media_type");
  const auto bad_id = client.Get("/api/items/abc");
  ASSERT_TRUE(bad_id);
  EXPECT_EQ(bad_id->status, 400);
  EXPECT_EQ(error_code(bad_id), "invalid_parameter");
  const auto wrong_method = client.Delete("/api/echo");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(wrong_method->get_header_value("Allow"), "POST");
  const auto unknown = client.Get("/api/nothing/here");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(error_code(unknown), "not_found");
}

// Whether `answer` holds a whole response: headers and the Content-Length bytes after them.
bool complete_response(const std::string& answer) {
  const std::size_t end = answer.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  const std::size_t field = answer.find("Content-Length: ");
  if (field == std::string::npos || field > end) return true;
  const std::size_t length = std::stoul(answer.substr(field + 16));
  return answer.size() >= end + 4 + length;
}

// Sends raw bytes and returns the answer to them.
std::string raw_exchange(int port, const std::string& bytes) {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(sock, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(bytes.size())) {
    char buffer[4096];
    ssize_t got = 0;
    while (!complete_response(answer) && (got = ::recv(sock, buffer, sizeof(buffer), 0)) > 0) {
      answer.append(buffer, static_cast<std::size_t>(got));
    }
  }
  ::close(sock);
  return answer;
}

TEST(HttpServer, MalformedRequestGetsAJsonError) {
  ServerFixture fixture;
  const std::string answer = raw_exchange(fixture.port(), "NONSENSE\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_NE(answer.find("{\"error\":{\"code\":\"invalid_request\""), std::string::npos) << answer;
}

TEST(HttpServer, KeepAliveUpToTheConfiguredCount) {
  ServerFixture fixture([](ServerOptions& options) { options.keep_alive_max_count = 3; });
  httplib::Client client = fixture.client();
  client.set_keep_alive(true);
  for (int i = 1; i <= 3; ++i) {
    const auto result = client.Get("/api/items/" + std::to_string(i));
    ASSERT_TRUE(result) << i;
    EXPECT_EQ(json_of(result)["id"], i);
    if (i < 3) {
      EXPECT_EQ(result->get_header_value("Keep-Alive"), "timeout=5, max=3") << i;
      EXPECT_FALSE(result->has_header("Connection")) << i;
    } else {
      EXPECT_EQ(result->get_header_value("Connection"), "close");
    }
  }
}

TEST(HttpServer, TooLargeJsonBodyIs413AndTheConnectionStaysUsable) {
  ServerFixture fixture([](ServerOptions& options) { options.max_json_body = 1024; });
  httplib::Client client = fixture.client();
  client.set_keep_alive(true);
  const std::string big = "{\"pad\":\"" + std::string(4096, 'x') + "\"}";
  const auto result = client.Post("/api/echo", big, "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  EXPECT_EQ(error_code(result), "payload_too_large");
  const auto next = client.Post("/api/echo", "[1]", "application/json");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(json_of(next), nlohmann::json::parse(R"({"echo":[1]})"));
}

TEST(HttpServer, MultipartUploadArrivesAsAFileThenIsRemoved) {
  ServerFixture fixture;
  httplib::Client client = fixture.client();
  const std::string csv = "id,churn\r\n1,Yes\r\n2,No\r\n--not-a-boundary\n\x01\xff";
  const httplib::MultipartFormDataItems items = {
      {"note", "first batch", "", ""},
      {"file", csv, "customers.csv", "text/csv"},
      {"second", "ignored file", "other.csv", "text/csv"},
      {"target", "churn", "", ""},
  };
  const auto result = client.Post("/api/upload", items);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const nlohmann::json body = json_of(result);
  EXPECT_EQ(fixture.last_upload_content, csv);
  EXPECT_EQ(body["bytes"], csv.size());
  EXPECT_EQ(body["filename"], "customers.csv");
  EXPECT_EQ(body["form"], nlohmann::json::parse(R"({"note":"first batch","target":"churn"})"));
  ASSERT_FALSE(fixture.last_upload_path.empty());
  EXPECT_EQ(std::filesystem::path(fixture.last_upload_path).parent_path(),
            std::filesystem::path(fixture.uploads().path()));
  EXPECT_FALSE(std::filesystem::exists(fixture.last_upload_path));
  EXPECT_TRUE(fixture.uploads().files().empty());
}

TEST(HttpServer, CsvBodyUploadKeepsTheExactBytes) {
  ServerFixture fixture;
  httplib::Client client = fixture.client();
  std::string csv = "a,b\n";
  for (int i = 0; i < 20000; ++i) csv += std::to_string(i) + "," + std::to_string(i * 7) + "\n";
  const auto result = client.Post("/api/upload", csv, "text/csv");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  EXPECT_EQ(fixture.last_upload_content, csv);
  EXPECT_EQ(json_of(result)["bytes"], csv.size());
  EXPECT_EQ(json_of(result)["filename"], "");
  EXPECT_FALSE(std::filesystem::exists(fixture.last_upload_path));
  EXPECT_TRUE(fixture.uploads().files().empty());
}

TEST(HttpServer, UploadErrors) {
  ServerFixture fixture([](ServerOptions& options) { options.max_upload_body = 1000; });
  httplib::Client client = fixture.client();
  const auto wrong_type = client.Post("/api/upload", "{}", "application/json");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(wrong_type->status, 415);
  EXPECT_EQ(error_code(wrong_type), "unsupported_media_type");

  const auto too_large = client.Post("/api/upload", std::string(5000, 'x'), "text/csv");
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(error_code(too_large), "payload_too_large");

  const httplib::MultipartFormDataItems no_file = {{"note", "hello", "", ""}};
  const auto missing = client.Post("/api/upload", no_file);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(error_code(missing), "invalid_request");
  EXPECT_TRUE(fixture.uploads().files().empty());
}

TEST(HttpServer, TokensAreCheckedBeforeTheBodyIsRead) {
  TempDir dir;
  const std::string token_file = dir.file("tokens");
  std::ofstream(token_file) << "view-token viewer\nanalyst-token analyst\n";
  ServerFixture fixture({}, Tokens::load(token_file));
  httplib::Client client = fixture.client();

  const auto anonymous = client.Get("/api/items/1");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(error_code(anonymous), "unauthorized");

  const auto viewer = client.Get("/api/items/1", {{"Authorization", "Bearer view-token"}});
  ASSERT_TRUE(viewer);
  EXPECT_EQ(viewer->status, 200);

  const auto forbidden = client.Post("/api/upload", {{"Authorization", "Bearer view-token"}},
                                     "a,b\n1,2\n", "text/csv");
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_EQ(error_code(forbidden), "forbidden");
  EXPECT_TRUE(fixture.uploads().files().empty());

  const auto allowed = client.Post("/api/upload", {{"Authorization", "Bearer analyst-token"}},
                                   "a,b\n1,2\n", "text/csv");
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);

  const auto metrics = client.Get("/metrics");  // public route
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
}

TEST(HttpServer, ServerSentEventsArriveInOrder) {
  ServerFixture fixture;
  httplib::Client client = fixture.client();
  std::string received;
  const auto result = client.Get("/api/events", [&](const char* data, std::size_t size) {
    received.append(data, size);
    return true;
  });
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/event-stream");
  EXPECT_EQ(received,
            "event: progress\ndata: {\"step\":1}\n\n"
            "event: progress\ndata: {\"step\":2}\n\n"
            "event: progress\ndata: {\"step\":3}\n\n"
            "event: done\ndata: {\"note\":\"line\\nbreak\",\"ok\":true}\n\n");
}

TEST(HttpServer, EventProducerStopsWhenTheClientLeaves) {
  ServerFixture fixture;
  httplib::Client client = fixture.client();
  int chunks = 0;
  const auto result = client.Get("/api/stream-forever", [&](const char*, std::size_t) {
    return ++chunks < 3;  // cancels the request, closing the connection
  });
  EXPECT_FALSE(result);
  ASSERT_TRUE(eventually([&] { return fixture.stream_ended.load(); }));
  EXPECT_LT(fixture.stream_sent.load(), 1000);
  EXPECT_TRUE(eventually([&] {
    return fixture.metrics().render().find("smartchurn_http_in_flight 0\n") != std::string::npos;
  }));
}

TEST(HttpServer, MetricsCountRequestsByRouteAndStatus) {
  ServerFixture fixture;
  httplib::Client client = fixture.client();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Get("/api/items/7"));
  ASSERT_TRUE(client.Get("/api/items/x"));
  ASSERT_TRUE(client.Get("/no/such/path"));
  // A request is counted once its response is written; the client may read the answer and send
  // the scrape on another connection a moment before that, so the scrape is repeated until then.
  const std::vector<std::string> expected = {
      "smartchurn_http_requests_total{route=\"/api/items/{id}\",method=\"GET\",status=\"200\"} 3\n",
      "smartchurn_http_requests_total{route=\"/api/items/{id}\",method=\"GET\",status=\"400\"} 1\n",
      "smartchurn_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n",
      "smartchurn_http_request_duration_seconds_count{route=\"/api/items/{id}\"} 4\n",
      "smartchurn_http_in_flight 1\n",  // the scrape itself
  };
  std::string text;
  const bool all_counted = eventually([&] {
    const auto result = client.Get("/metrics");
    if (!result) return false;
    EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4");
    text = result->body;
    for (const std::string& line : expected) {
      if (text.find(line) == std::string::npos) return false;
    }
    return true;
  });
  EXPECT_TRUE(all_counted) << text;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = root_.file("site");
    std::filesystem::create_directories(site_ / "assets");
    std::ofstream(site_ / "index.html") << "<html>app</html>";
    std::ofstream(site_ / "assets" / "app.js") << "console.log(1);";
    std::ofstream(root_.file("secret.txt")) << "do not serve";
    std::filesystem::create_symlink(root_.file("secret.txt"), site_ / "link.txt");
    fixture_ = std::make_unique<ServerFixture>(
        [this](ServerOptions& options) { options.static_dir = site_.string(); });
  }

  TempDir root_;
  std::filesystem::path site_;
  std::unique_ptr<ServerFixture> fixture_;
};

TEST_F(StaticFilesTest, ServesFilesAndTheAppShell) {
  httplib::Client client = fixture_->client();
  const auto index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<html>app</html>");
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");

  const auto script = client.Get("/assets/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->body, "console.log(1);");
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");

  // The dashboard routes in the fragment: a path is no page of it, and a plain 404.
  for (const std::string path : {"/models/7/explain", "/assets/missing.js", "/assets"}) {
    const auto missing = client.Get(path);
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404) << path;
    EXPECT_EQ(missing->get_header_value("Content-Type"), "text/plain; charset=utf-8") << path;
  }

  const auto api = client.Get("/api/unknown");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
  EXPECT_EQ(error_code(api), "not_found");

  const auto route = client.Get("/api/items/3");  // routes still win
  ASSERT_TRUE(route);
  EXPECT_EQ(json_of(route)["id"], 3);
}

TEST_F(StaticFilesTest, NothingOutsideTheDirectory) {
  httplib::Client client = fixture_->client();
  for (const std::string path :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/assets/%2E%2E/%2E%2E/secret.txt", "/..%2fsecret.txt", "/link.txt"}) {
    const auto result = client.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
    EXPECT_EQ(result->body.find("do not serve"), std::string::npos) << path;
  }
}

TEST(HttpServer, GracefulStopLetsTheSlowRequestFinish) {
  ServerFixture fixture;
  int slow_status = 0;
  std::string slow_body;
  std::thread caller([&] {
    httplib::Client client = fixture.client();
    if (const auto result = client.Get("/api/slow")) {
      slow_status = result->status;
      slow_body = result->body;
    }
  });
  ASSERT_TRUE(eventually([&] { return fixture.slow_entered.load(); }));
  fixture.stop();  // returns once serve() has returned
  caller.join();
  EXPECT_EQ(slow_status, 200);
  EXPECT_EQ(slow_body, R"({"slow":"done"})");
  httplib::Client after = fixture.client();
  after.set_connection_timeout(2, 0);
  EXPECT_FALSE(after.Get("/api/items/1"));
}

TEST(HttpServer, BindingAPortInUseIsAnIoError) {
  ServerFixture first;
  Router router;
  Tokens tokens = Tokens::allow_all();
  Metrics metrics;
  ServerOptions options;
  options.port = first.port();
  HttpServer second(router, tokens, metrics, options);
  try {
    second.bind();
    FAIL() << "bind succeeded on a port in use";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.port())),
              std::string::npos);
  }
}

}  // namespace
}  // namespace smartchurn::server
