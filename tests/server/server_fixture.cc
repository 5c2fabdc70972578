#include "server/server_fixture.h"

#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <vector>

namespace smartchurn::server::test {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

ServerFixture::ServerFixture(const std::function<void(ServerOptions&)>& adjust, Tokens tokens)
    : tokens_(std::move(tokens)) {
  router_.add({"POST", "/api/echo", Role::kViewer, BodyKind::kJson, [](Request& request) {
                 return Response::json({{"echo", request.json()}});
               }});
  router_.add({"GET", "/api/items/{id}", Role::kViewer, BodyKind::kNone, [](Request& request) {
                 return Response::json({{"id", request.id_param()}});
               }});
  router_.add({"POST", "/api/upload", Role::kAnalyst, BodyKind::kUpload, [this](Request& request) {
                 last_upload_path = request.upload_path;
                 last_upload_content = read_all(request.upload_path);
                 nlohmann::json form = nlohmann::json::object();
                 for (const auto& [name, value] : request.form) form[name] = value;
                 return Response::json({{"bytes", last_upload_content.size()},
                                        {"filename", request.upload_filename},
                                        {"form", form}});
               }});
  router_.add({"GET", "/api/events", Role::kViewer, BodyKind::kNone, [](Request&) {
                 Response response;
                 response.events = [](EventSink& sink) {
                   for (int step = 1; step <= 3; ++step) {
                     if (!sink.send("progress", {{"step", step}})) return;
                   }
                   sink.send("done", {{"ok", true}, {"note", "line\nbreak"}});
                 };
                 return response;
               }});
  router_.add({"GET", "/api/stream-forever", Role::kViewer, BodyKind::kNone, [this](Request&) {
                 Response response;
                 response.events = [this](EventSink& sink) {
                   for (int i = 0; i < 1000; ++i) {
                     if (!sink.send("tick", {{"i", i}})) break;
                     ++stream_sent;
                     std::this_thread::sleep_for(std::chrono::milliseconds(10));
                   }
                   stream_ended = true;
                 };
                 return response;
               }});
  router_.add({"GET", "/api/slow", Role::kViewer, BodyKind::kNone,
               [this](Request&) {
                 slow_entered = true;
                 std::this_thread::sleep_for(std::chrono::milliseconds(300));
                 return Response::json({{"slow", "done"}});
               },
               Cost::kSlow});
  router_.add({"GET", "/metrics", Role::kNone, BodyKind::kNone, [this](Request&) {
                 return Response::text(metrics_.render(), "text/plain; version=0.0.4");
               }});

  ServerOptions options;
  options.port = 0;
  options.threads = 4;
  options.upload_dir = uploads_.path();
  if (adjust) adjust(options);
  server_ = std::make_unique<HttpServer>(router_, tokens_, metrics_, options);
  server_->bind();
  thread_ = std::thread([this] { server_->serve(); });
}

ServerFixture::~ServerFixture() { stop(); }

void ServerFixture::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

httplib::Client ServerFixture::client() const {
  httplib::Client client("127.0.0.1", server_->port());
  client.set_read_timeout(20, 0);
  return client;
}

}  // namespace smartchurn::server::test
