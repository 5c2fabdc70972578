// The producer side of a server-sent event stream.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace smartchurn::server {

// The producer calls send() for each event until it returns false (the client went away or the
// server is stopping) or the producer is done. send() returns once the event is written.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual bool send(const std::string& event, const nlohmann::json& data) = 0;
};

}  // namespace smartchurn::server
