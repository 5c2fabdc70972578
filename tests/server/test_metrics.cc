#include <gtest/gtest.h>

#include <thread>

#include "server/metrics.h"
#include "smartchurn/error.h"
#include "unit/error_code_of.h"

namespace smartchurn::server {
namespace {

TEST(Metrics, RendersPrometheusText) {
  Metrics metrics;
  // Durations that are exact in binary, so the sums print exactly.
  metrics.record_request("/api/v1/x", "GET", 200, 0.00390625);
  metrics.record_request("/api/v1/x", "POST", 422, 0.125);
  metrics.record_request("/api/v1/x", "GET", 200, 0.00390625);
  metrics.record_request("/b", "GET", 404, 0.5);   // on a bound: counted in le="0.5"
  metrics.record_request("/b", "GET", 404, 20.0);  // past the last bound: +Inf only
  metrics.add_in_flight(2);
  metrics.add_in_flight(-1);
  metrics.set_gauge("smartchurn_models", "Models stored.", 4);
  metrics.set_gauge("smartchurn_models", "Models stored.", 3);
  metrics.add_counter("smartchurn_predictions_total", "Predictions\nmade.", 5,
                      {{"model", "a\"b\\c\nd"}});
  metrics.add_counter("smartchurn_predictions_total", "Predictions\nmade.", 2.5,
                      {{"model", "a\"b\\c\nd"}});

  const std::string expected =
      "# HELP smartchurn_http_requests_total HTTP requests by route, method and status.\n"
      "# TYPE smartchurn_http_requests_total counter\n"
      "smartchurn_http_requests_total{route=\"/api/v1/x\",method=\"GET\",status=\"200\"} 2\n"
      "smartchurn_http_requests_total{route=\"/api/v1/x\",method=\"POST\",status=\"422\"} 1\n"
      "smartchurn_http_requests_total{route=\"/b\",method=\"GET\",status=\"404\"} 2\n"
      "# HELP smartchurn_http_request_duration_seconds HTTP request duration in seconds by "
      "route.\n"
      "# TYPE smartchurn_http_request_duration_seconds histogram\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.0005\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.001\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.0025\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.005\"} 2\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.01\"} 2\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.025\"} 2\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.05\"} 2\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.1\"} 2\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.25\"} 3\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"0.5\"} 3\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"1\"} 3\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"2.5\"} 3\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"5\"} 3\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"10\"} 3\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/api/v1/x\",le=\"+Inf\"} 3\n"
      "smartchurn_http_request_duration_seconds_sum{route=\"/api/v1/x\"} 0.1328125\n"
      "smartchurn_http_request_duration_seconds_count{route=\"/api/v1/x\"} 3\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.0005\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.001\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.0025\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.005\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.01\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.025\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.05\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.1\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.25\"} 0\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.5\"} 1\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"1\"} 1\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"2.5\"} 1\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"5\"} 1\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"10\"} 1\n"
      "smartchurn_http_request_duration_seconds_bucket{route=\"/b\",le=\"+Inf\"} 2\n"
      "smartchurn_http_request_duration_seconds_sum{route=\"/b\"} 20.5\n"
      "smartchurn_http_request_duration_seconds_count{route=\"/b\"} 2\n"
      "# HELP smartchurn_http_in_flight HTTP requests being served.\n"
      "# TYPE smartchurn_http_in_flight gauge\n"
      "smartchurn_http_in_flight 1\n"
      "# HELP smartchurn_models Models stored.\n"
      "# TYPE smartchurn_models gauge\n"
      "smartchurn_models 3\n"
      "# HELP smartchurn_predictions_total Predictions\\nmade.\n"
      "# TYPE smartchurn_predictions_total counter\n"
      "smartchurn_predictions_total{model=\"a\\\"b\\\\c\\nd\"} 7.5\n";
  EXPECT_EQ(metrics.render(), expected);
}

TEST(Metrics, EmptyRegistryStillDeclaresTheHttpFamilies) {
  const std::string expected =
      "# HELP smartchurn_http_requests_total HTTP requests by route, method and status.\n"
      "# TYPE smartchurn_http_requests_total counter\n"
      "# HELP smartchurn_http_request_duration_seconds HTTP request duration in seconds by "
      "route.\n"
      "# TYPE smartchurn_http_request_duration_seconds histogram\n"
      "# HELP smartchurn_http_in_flight HTTP requests being served.\n"
      "# TYPE smartchurn_http_in_flight gauge\n"
      "smartchurn_http_in_flight 0\n";
  EXPECT_EQ(Metrics().render(), expected);
}

TEST(Metrics, LabelsAreSortedByName) {
  Metrics metrics;
  metrics.set_gauge("smartchurn_auc", "AUC.", 0.75, {{"model", "7"}, {"data", "test"}});
  EXPECT_NE(metrics.render().find("smartchurn_auc{data=\"test\",model=\"7\"} 0.75\n"),
            std::string::npos);
}

TEST(Metrics, CountsEveryRequestFromManyThreads) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.record_request("/r", t % 2 == 0 ? "GET" : "POST", 200, 0.001);
        metrics.add_counter("smartchurn_events_total", "Events.", 1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::string text = metrics.render();
  EXPECT_NE(text.find("{route=\"/r\",method=\"GET\",status=\"200\"} 10000\n"), std::string::npos);
  EXPECT_NE(text.find("{route=\"/r\",method=\"POST\",status=\"200\"} 10000\n"), std::string::npos);
  EXPECT_NE(text.find("_count{route=\"/r\"} 20000\n"), std::string::npos);
  EXPECT_NE(text.find("smartchurn_events_total 20000\n"), std::string::npos);
}

TEST(Metrics, RejectsBadNamesAndMisuse) {
  Metrics metrics;
  const auto usage = [](const std::function<void()>& call) {
    return smartchurn::test::code_of(call) == ErrorCode::kUsage;
  };
  EXPECT_TRUE(usage([&] { metrics.set_gauge("9lives", "x", 1); }));
  EXPECT_TRUE(usage([&] { metrics.set_gauge("has space", "x", 1); }));
  EXPECT_TRUE(usage([&] { metrics.set_gauge("smartchurn_http_in_flight", "x", 1); }));
  EXPECT_TRUE(usage([&] { metrics.set_gauge("ok", "x", 1, {{"bad-label", "v"}}); }));
  EXPECT_TRUE(usage([&] { metrics.add_counter("c_total", "x", -1); }));
  metrics.set_gauge("g", "x", 1);
  EXPECT_TRUE(usage([&] { metrics.add_counter("g", "x", 1); }));
}

}  // namespace
}  // namespace smartchurn::server
