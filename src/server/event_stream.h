// Server-sent events over httplib's chunked content provider (internal to src/server).
#pragma once

#include <atomic>
#include <string>

#include <httplib.h>

#include "server/event_sink.h"

namespace smartchurn::server {

// Writes "event: NAME\ndata: JSON\n\n" per event; send() turns false once the client is gone
// or the server is stopping.
class ChunkedEventSink : public EventSink {
 public:
  ChunkedEventSink(httplib::DataSink& sink, const std::atomic<bool>& stopping)
      : sink_(sink), stopping_(stopping) {}
  bool send(const std::string& event, const nlohmann::json& data) override;

 private:
  httplib::DataSink& sink_;
  const std::atomic<bool>& stopping_;
  bool open_ = true;
};

// One event in the text/event-stream format; line breaks in the name become spaces.
std::string format_event(const std::string& event, const nlohmann::json& data);

}  // namespace smartchurn::server
