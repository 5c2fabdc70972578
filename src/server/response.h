// What a handler answers: a body in memory, a file streamed from disk, or an event stream.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "server/event_sink.h"

namespace smartchurn::server {

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the response is a text/event-stream produced by this function.
  std::function<void(EventSink&)> events;
  // When set, the body is this file, sent in pieces as the client reads (a large scored CSV).
  std::string body_file;

  static Response json(const nlohmann::json& body, int status = 200);
  static Response text(std::string body, std::string content_type, int status = 200);
  static Response file(std::string path, std::string content_type);
  static Response no_content();
};

}  // namespace smartchurn::server
