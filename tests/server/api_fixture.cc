#include "api_fixture.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include "smartchurn/demo.h"

namespace smartchurn::server::test {

std::string Reply::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

void ApiTest::SetUp() {
  store_ = std::make_unique<Store>(dir_.file("data"));
  ServiceOptions options;
  options.data_dir = dir_.file("data");
  options.demo_rows = 1500;
  service_ = std::make_unique<ChurnService>(*store_, options);
  ASSERT_TRUE(service_->start(true));
  add_api_routes(router_, *service_, metrics_);
  write_demo_data(demo_csv(), {300, 99});
}

void ApiTest::TearDown() {
  for (const auto& [status, body] : error_bodies_) {
    EXPECT_EQ(body.find(dir_.path()), std::string::npos) << "a server path in " << body;
    EXPECT_EQ(body.find("/tmp/"), std::string::npos) << "a server path in " << body;
    EXPECT_EQ(body.find("json.exception"), std::string::npos) << "library text in " << body;
    if (status != 400) continue;
    const auto error = nlohmann::json::parse(body, nullptr, false);
    ASSERT_TRUE(error.is_object() && error.contains("error")) << body;
    EXPECT_TRUE(error["error"]["code"].is_string()) << body;
    EXPECT_TRUE(error["error"]["message"].is_string()) << body;
  }
  service_.reset();
  store_.reset();
}

namespace {

// A request for `target` ("/path?query") as the HTTP layer would build it.
Request make_request(const std::string& method, const std::string& target, Role role) {
  Request request;
  request.method = method;
  request.role = role;
  auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) {
    std::stringstream query(target.substr(question + 1));
    for (std::string pair; std::getline(query, pair, '&');) {
      auto eq = pair.find('=');
      request.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    }
  }
  return request;
}

Reply to_reply(const Response& response) {
  Reply reply{response.status, nullptr, response.body, response.headers};
  if (!response.body_file.empty()) {  // the HTTP layer would stream it
    std::ifstream in(response.body_file, std::ios::binary);
    reply.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (response.content_type.find("json") != std::string::npos && !response.body.empty()) {
    reply.json = nlohmann::json::parse(response.body);
  }
  return reply;
}

}  // namespace

Reply ApiTest::call(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& content_type, Role role) {
  Request request = make_request(method, path, role);
  request.body = body;
  if (!body.empty()) request.headers["content-type"] = content_type;
  Reply reply = to_reply(router_.dispatch(request));
  if (reply.status >= 400) error_bodies_.emplace_back(reply.status, reply.body);
  return reply;
}

Reply ApiTest::upload(const std::string& path, const std::string& file_path, Role role) {
  // The HTTP layer streams the body to a temporary file; the handler may move it.
  std::string copy = dir_.file("upload-" + std::to_string(std::rand()) + ".csv");
  std::filesystem::copy_file(file_path, copy);
  Request request = make_request("POST", path, role);
  request.upload_path = copy;
  request.upload_filename = std::filesystem::path(file_path).filename().string();
  request.headers["content-type"] = "text/csv";
  Reply reply = to_reply(router_.dispatch(request));
  if (reply.status >= 400) error_bodies_.emplace_back(reply.status, reply.body);
  return reply;
}

nlohmann::json ApiTest::train(const nlohmann::json& request) {
  Reply started = call_json("POST", "/api/v1/training-jobs", request);
  EXPECT_EQ(started.status, 202) << started.body;
  int64_t id = started.json["id"];
  service_->follow_job(id, [](const JobEvent&) { return true; });
  return call("GET", "/api/v1/training-jobs/" + std::to_string(id)).json;
}

nlohmann::json ApiTest::demo_customer(std::size_t row) {
  std::ifstream in(demo_csv());
  CsvReader reader(in, demo_csv());
  std::vector<std::string> fields;
  for (std::size_t i = 0; i < row; ++i) reader.next(fields);
  nlohmann::json customer = nlohmann::json::object();
  const auto& header = reader.header();
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == "churn") continue;
    auto number = parse_number(fields[c]);
    if (fields[c].empty() || fields[c] == " ") {
      customer[header[c]] = nullptr;
    } else if (number && header[c] != "customer_id" && header[c] != "senior_citizen") {
      customer[header[c]] = *number;
    } else {
      customer[header[c]] = fields[c];
    }
  }
  return customer;
}

}  // namespace smartchurn::server::test
