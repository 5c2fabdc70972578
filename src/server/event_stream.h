// The text/event-stream format of server-sent events (internal to src/server).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace smartchurn::server {

// One event in the text/event-stream format; line breaks in the name become spaces.
std::string format_event(const std::string& event, const nlohmann::json& data);

}  // namespace smartchurn::server
