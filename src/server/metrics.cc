// Prometheus text exposition (format 0.0.4). The request path takes one short mutex hold and
// allocates only the first time a (route, method, status) or route is seen.
#include "server/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <mutex>
#include <string_view>
#include <tuple>

#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

constexpr std::array<double, 14> kBucketBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
constexpr std::string_view kRequestsName = "smartchurn_http_requests_total";
constexpr std::string_view kDurationName = "smartchurn_http_request_duration_seconds";
constexpr std::string_view kInFlightName = "smartchurn_http_in_flight";

struct RequestKey {
  std::string route;
  std::string method;
  int status;
};

struct RequestKeyView {
  std::string_view route;
  std::string_view method;
  int status;
};

// Transparent, so a lookup with string views does not build a key.
struct RequestKeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    // As views on both sides: clang 14 cannot compare tuples of std::string and string_view.
    using View = std::tuple<std::string_view, std::string_view, int>;
    return View(a.route, a.method, a.status) < View(b.route, b.method, b.status);
  }
};

struct Histogram {
  std::array<uint64_t, kBucketBounds.size() + 1> counts{};  // per bucket, last one is +Inf
  double sum = 0;
  uint64_t count = 0;
};

struct Family {
  std::string help;
  bool counter = false;
  std::map<std::string, double> series;  // rendered label set -> value
};

std::string escape(std::string_view text, bool quote) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\n";
    } else if (c == '"' && quote) {
      escaped += "\\\"";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [allow_colon](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (allow_colon && c == ':');
  });
}

std::string render_labels(const std::map<std::string, std::string>& labels) {
  std::string rendered;
  for (const auto& [name, value] : labels) {
    if (!valid_name(name, false)) throw_usage(fmt::format("bad metric label name '{}'", name));
    rendered += rendered.empty() ? "{" : ",";
    rendered += fmt::format("{}=\"{}\"", name, escape(value, true));
  }
  if (!rendered.empty()) rendered += "}";
  return rendered;
}

void append_header(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape(help, false), name, type);
}

}  // namespace

struct Metrics::Impl {
  mutable std::mutex mutex;
  std::map<RequestKey, uint64_t, RequestKeyLess> requests;
  std::map<std::string, Histogram, std::less<>> durations;
  std::map<std::string, Family> families;
  std::atomic<int64_t> in_flight{0};

  Family& family(const std::string& name, const std::string& help, bool counter) {
    if (!valid_name(name, true) || name.starts_with("smartchurn_http_")) {
      throw_usage(fmt::format("bad or reserved metric name '{}'", name));
    }
    Family& found = families[name];
    if (found.help.empty()) {
      found.help = help;
      found.counter = counter;
    } else if (found.counter != counter) {
      throw_usage(
          fmt::format("metric '{}' is already a {}", name, found.counter ? "counter" : "gauge"));
    }
    return found;
  }
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::record_request(const std::string& route, const std::string& method, int status,
                             double seconds) {
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBucketBounds.begin(), kBucketBounds.end(), seconds) -
      kBucketBounds.begin());
  std::lock_guard lock(impl_->mutex);
  const RequestKeyView key{route, method, status};
  auto request = impl_->requests.find(key);
  if (request == impl_->requests.end()) {
    request = impl_->requests.emplace(RequestKey{route, method, status}, 0).first;
  }
  ++request->second;
  auto duration = impl_->durations.find(std::string_view(route));
  if (duration == impl_->durations.end()) {
    duration = impl_->durations.emplace(route, Histogram()).first;
  }
  Histogram& histogram = duration->second;
  ++histogram.counts[bucket];
  histogram.sum += seconds;
  ++histogram.count;
}

void Metrics::add_in_flight(int delta) { impl_->in_flight += delta; }

void Metrics::set_gauge(const std::string& name, const std::string& help, double value,
                        const std::map<std::string, std::string>& labels) {
  std::string rendered = render_labels(labels);
  std::lock_guard lock(impl_->mutex);
  impl_->family(name, help, false).series[std::move(rendered)] = value;
}

void Metrics::add_counter(const std::string& name, const std::string& help, double delta,
                          const std::map<std::string, std::string>& labels) {
  if (!(delta >= 0)) throw_usage(fmt::format("counter '{}' cannot decrease", name));
  std::string rendered = render_labels(labels);
  std::lock_guard lock(impl_->mutex);
  impl_->family(name, help, true).series[std::move(rendered)] += delta;
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock(impl_->mutex);
  append_header(out, kRequestsName, "HTTP requests by route, method and status.", "counter");
  for (const auto& [key, count] : impl_->requests) {
    out += fmt::format("{}{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", kRequestsName,
                       escape(key.route, true), escape(key.method, true), key.status, count);
  }
  append_header(out, kDurationName, "HTTP request duration in seconds by route.", "histogram");
  for (const auto& [route, histogram] : impl_->durations) {
    const std::string label = escape(route, true);
    uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketBounds.size(); ++i) {
      cumulative += histogram.counts[i];
      out += fmt::format("{}_bucket{{route=\"{}\",le=\"{}\"}} {}\n", kDurationName, label,
                         format_value(kBucketBounds[i]), cumulative);
    }
    out += fmt::format("{}_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", kDurationName, label,
                       histogram.count);
    out += fmt::format("{}_sum{{route=\"{}\"}} {}\n", kDurationName, label,
                       format_value(histogram.sum));
    out += fmt::format("{}_count{{route=\"{}\"}} {}\n", kDurationName, label, histogram.count);
  }
  append_header(out, kInFlightName, "HTTP requests being served.", "gauge");
  out += fmt::format("{} {}\n", kInFlightName, impl_->in_flight.load());
  for (const auto& [name, family] : impl_->families) {
    append_header(out, name, family.help, family.counter ? "counter" : "gauge");
    for (const auto& [labels, value] : family.series) {
      out += fmt::format("{}{} {}\n", name, labels, format_value(value));
    }
  }
  return out;
}

}  // namespace smartchurn::server
