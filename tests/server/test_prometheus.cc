// What a Prometheus server meets: /metrics on the real binary, checked by Prometheus' own
// promtool, and the runtime metrics every target is expected to export.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>

#include "server/api_fixture.h"  // TempDir
#include "server/runtime_metrics.h"
#include "server/serve_process.h"

namespace smartchurn::server::test {
namespace {

// The value of an unlabelled sample, or -1 when the text has none.
double sample_of(const std::string& text, const std::string& name) {
  const std::string start = "\n" + name + " ";
  const std::size_t at = text.find(start);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + start.size()));
}

bool promtool_installed() { return std::system("command -v promtool > /dev/null 2>&1") == 0; }

TEST(RuntimeMetrics, BuildInfoAndTheProcessFromProc) {
  const std::string text = "\n" + render_runtime_metrics("1.2.3");
  EXPECT_NE(
      text.find(
          "\n# TYPE smartchurn_build_info gauge\nsmartchurn_build_info{version=\"1.2.3\"} 1\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos) << text;
  EXPECT_GT(sample_of(text, "process_resident_memory_bytes"), 1 << 20);  // a C++ process: > 1 MiB
  EXPECT_GE(sample_of(text, "process_cpu_seconds_total"), 0);
  EXPECT_GE(sample_of(text, "process_open_fds"), 3);  // stdin, stdout, stderr at least
  const double started = sample_of(text, "process_start_time_seconds");
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_GT(started, now - 24 * 3600.0);  // this test process started within the day
  EXPECT_LE(started, now + 1);
}

// The real /metrics, as a default scrape config reads it, passes `promtool check metrics`.
TEST(Prometheus, MetricsOfTheRealServerPassPromtool) {
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--no-demo"});
  ASSERT_GT(serve.port(), 0) << serve.out() << serve.err();
  httplib::Client client = serve.client();
  ASSERT_TRUE(client.Get("/api/v1/health/live"));  // a request, so the HTTP families have samples
  const auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics->body;
  EXPECT_NE(text.find("smartchurn_build_info{version=\"" SMARTCHURN_VERSION "\"} 1"),
            std::string::npos);
  for (const std::string name : {"process_resident_memory_bytes", "process_cpu_seconds_total",
                                 "process_start_time_seconds", "process_open_fds"}) {
    EXPECT_NE(text.find("# TYPE " + name + " "), std::string::npos) << name;
    EXPECT_GE(sample_of(text, name), 0) << name;
  }
  const auto api = client.Get("/api/v1/metrics");  // still beside the API
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200);
  EXPECT_NE(api->body.find("smartchurn_build_info"), std::string::npos);
  const auto wrong = client.Get("/metricz");  // a wrong path is a 404, not the dashboard's HTML
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 404);

  if (!promtool_installed()) {
    GTEST_SKIP() << "SKIPPED: promtool is not installed (Debian package prometheus; "
                    "scripts/install-deps.sh installs it)";
  }
  const std::string metrics_file = dir.file("metrics.txt");
  std::ofstream(metrics_file, std::ios::binary) << text;
  const std::string report = dir.file("promtool.txt");
  const int status = std::system(
      ("promtool check metrics < '" + metrics_file + "' > '" + report + "' 2>&1").c_str());
  std::ifstream in(report);
  const std::string said((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(status, 0) << said << "\n--- the metrics:\n" << text;
  EXPECT_EQ(said, "") << "promtool's lint found problems:\n" << said;
  EXPECT_EQ(serve.terminate(20), 0) << serve.err();
}

}  // namespace
}  // namespace smartchurn::server::test
