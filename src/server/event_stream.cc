#include "server/event_stream.h"

namespace smartchurn::server {

std::string format_event(const std::string& event, const nlohmann::json& data) {
  std::string name = event;
  for (char& c : name) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  // dump() without indentation escapes line breaks inside strings: the data stays on one line.
  return "event: " + name +
         "\ndata: " + data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n\n";
}

}  // namespace smartchurn::server
