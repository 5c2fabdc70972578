// Prometheus metrics of the server.
#pragma once

#include <map>
#include <memory>
#include <string>

namespace smartchurn::server {

// Prometheus text exposition: requests by route and status, a latency histogram, requests in
// flight, plus gauges and counters the application sets.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  void record_request(const std::string& route, const std::string& method, int status,
                      double seconds);
  void add_in_flight(int delta);
  void set_gauge(const std::string& name, const std::string& help, double value,
                 const std::map<std::string, std::string>& labels = {});
  void add_counter(const std::string& name, const std::string& help, double delta,
                   const std::map<std::string, std::string>& labels = {});
  std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartchurn::server
