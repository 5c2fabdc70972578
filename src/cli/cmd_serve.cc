// smartchurn serve: the REST API and the web dashboard over an embedded SQLite store.
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli/commands.h"
#include "server/churn_service.h"
#include "server/http_server.h"
#include "server/request_guard.h"
#include "server/routes.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"
#include "smartchurn/store.h"

namespace smartchurn::cli {

namespace {

struct ServeArgs {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "./smartchurn-data";
  std::string config;
  std::string tokens;
  std::string static_dir;
  std::string revenue_column;
  std::string playbook;
  int threads = 32;  // HTTP workers: one per keep-alive connection being served
  std::size_t max_upload_mb = 512;
  std::size_t max_customers = 1000;
  std::size_t demo_rows = 5000;
  bool insecure = false;
  bool no_demo = false;
  // Security defaults (docs/security.md): extra names the server is reached by, and how much of
  // the prediction log is kept.
  std::vector<std::string> allowed_hosts;
  int64_t log_max_rows = PredictionRetention{}.max_rows;
  int64_t log_max_days = PredictionRetention{}.max_days;
};

// The built dashboard when --static-dir is not given: next to the binary (the build tree's
// build/web) or installed beside it (<prefix>/share/smartchurn/web). Empty when neither exists.
std::string default_static_dir() {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const fs::path candidates[] = {binary.parent_path() / "web", binary.parent_path().parent_path() /
                                                                   "share" / "smartchurn" / "web"};
  for (const fs::path& dir : candidates) {
    if (fs::is_regular_file(dir / "index.html", error)) return dir.string();
  }
  return {};
}

// The --config file, read and parsed once: one JSON object (an empty one without --config).
nlohmann::json read_config(const std::string& path) {
  if (path.empty()) return nlohmann::json::object();
  std::ifstream in(path);
  if (!in) throw_io("cannot open the config file " + path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw_bad_data(std::string("not valid JSON: ") + e.what(), {path, 0, ""});
  }
  if (!j.is_object()) throw_bad_data("the config file must hold one JSON object", {path, 0, ""});
  return j;
}

// A JSON config file sets the same options; the command line wins where both are given. The keys
// it reads are added to `known`, for reject_unknown_config_keys.
void apply_config(ServeArgs& args, const CLI::App& cmd, const nlohmann::json& j,
                  std::vector<std::string>& known) {
  auto set = [&](const char* key, const char* option, auto& field) {
    known.emplace_back(key);
    if (!j.contains(key) || cmd.count(option) > 0) return;
    try {
      field = j[key].get<std::decay_t<decltype(field)>>();
    } catch (const nlohmann::json::exception&) {
      throw_bad_data(std::string("'") + key + "' has the wrong type", {args.config, 0, key});
    }
  };
  set("host", "--host", args.host);
  set("port", "--port", args.port);
  set("data_dir", "--data-dir", args.data_dir);
  set("tokens", "--tokens", args.tokens);
  set("static_dir", "--static-dir", args.static_dir);
  set("revenue_column", "--revenue-column", args.revenue_column);
  set("playbook", "--playbook", args.playbook);
  set("threads", "--threads", args.threads);
  set("max_upload_mb", "--max-upload-mb", args.max_upload_mb);
  set("max_customers_per_request", "--max-customers", args.max_customers);
  set("demo_rows", "--demo-rows", args.demo_rows);
  set("allowed_hosts", "--allowed-hosts", args.allowed_hosts);
  set("prediction_log_max_rows", "--log-max-rows", args.log_max_rows);
  set("prediction_log_max_days", "--log-max-days", args.log_max_days);
}

// --- HTTP connection and upload limits (docs/security.md): flags and config keys ---
struct ConnectionLimits {
  int io_threads = 2;
  int max_connections = 1024;
  int max_queued = 256;
  int idle_timeout = 5;
  int head_timeout = 10;
  int body_timeout = 60;
  int write_timeout = 30;
  int max_header_kb = 16;
  int max_event_streams = 64;
  int stop_grace = 20;
  // The tables uploaded and scored (datasets, batch files).
  int max_columns = static_cast<int>(CsvOptions{}.max_columns);
  int max_field_kb = static_cast<int>(CsvOptions{}.max_field_bytes >> 10);
};

// Each limit once: its flag, config key, field, range and help (the range checks both).
struct LimitOption {
  const char* flag;
  const char* key;
  int ConnectionLimits::*field;
  int low, high;
  const char* help;
};
constexpr LimitOption kLimitOptions[] = {
    {"--io-threads", "io_threads", &ConnectionLimits::io_threads, 1, 64,
     "Network threads (quick routes run on them)"},
    {"--max-connections", "max_connections", &ConnectionLimits::max_connections, 1, 1'000'000,
     "Open connections; past it new ones get 503 + Retry-After"},
    {"--max-queued", "max_queued", &ConnectionLimits::max_queued, 0, 1'000'000,
     "Slow requests waiting for a worker; past it 503 + Retry-After"},
    {"--idle-timeout", "idle_timeout_seconds", &ConnectionLimits::idle_timeout, 1, 3600,
     "Seconds a keep-alive connection may idle"},
    {"--head-timeout", "head_timeout_seconds", &ConnectionLimits::head_timeout, 1, 3600,
     "Seconds to send a whole request head"},
    {"--body-timeout", "body_timeout_seconds", &ConnectionLimits::body_timeout, 1, 86400,
     "Seconds to send a body, plus 1 s per MiB"},
    {"--write-timeout", "write_timeout_seconds", &ConnectionLimits::write_timeout, 1, 3600,
     "Seconds a client may take to read a response (each event of a stream)"},
    {"--max-header-kb", "max_header_kb", &ConnectionLimits::max_header_kb, 1, 1024,
     "Largest request line and headers in KiB; past it 431"},
    {"--max-event-streams", "max_event_streams", &ConnectionLimits::max_event_streams, 1, 10'000,
     "Training-progress event streams open at once; past it 503 + Retry-After"},
    {"--stop-grace", "stop_grace_seconds", &ConnectionLimits::stop_grace, 0, 25,
     "Seconds on SIGTERM for requests in flight before their connections close"},
    {"--max-columns", "max_columns", &ConnectionLimits::max_columns, 1, 1'000'000,
     "Widest header of an uploaded or scored table; past it 422"},
    {"--max-field-kb", "max_field_kb", &ConnectionLimits::max_field_kb, 1, 1 << 20,
     "Longest field of an uploaded or scored table in KiB; past it 422"},
};

void add_connection_options(CLI::App& cmd, ConnectionLimits& limits) {
  for (const LimitOption& option : kLimitOptions) {
    cmd.add_option(option.flag, limits.*option.field, option.help)
        ->check(CLI::Range(option.low, option.high))
        ->capture_default_str();
  }
}

// The config file's keys, for the limits not given as flags.
void apply_connection_config(const std::string& config, const nlohmann::json& j,
                             const CLI::App& cmd, ConnectionLimits& limits,
                             std::vector<std::string>& known) {
  for (const LimitOption& option : kLimitOptions) {
    known.emplace_back(option.key);
    if (!j.contains(option.key) || cmd.count(option.flag) > 0) continue;
    const nlohmann::json& value = j[option.key];
    if (!value.is_number_integer() || value.get<int64_t>() < option.low ||
        value.get<int64_t>() > option.high) {
      throw_bad_data(
          fmt::format("'{}' must be an integer from {} to {}", option.key, option.low, option.high),
          {config, 0, option.key});
    }
    limits.*option.field = value.get<int>();
  }
}

// A misspelt key would otherwise be ignored, and the server run with a default the user thought
// they had changed.
void reject_unknown_config_keys(const std::string& config, const nlohmann::json& j,
                                const std::vector<std::string>& known) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw_bad_data(
          fmt::format("unknown key '{}' (the keys are: {})", key, fmt::join(known, ", ")),
          {config, 0, ""});
    }
  }
}

void apply_connection_limits(const ConnectionLimits& limits, server::ServerOptions& options) {
  options.io_threads = limits.io_threads;
  options.max_connections = limits.max_connections;
  options.max_queued = limits.max_queued;
  options.idle_timeout_seconds = limits.idle_timeout;
  options.head_timeout_seconds = limits.head_timeout;
  options.body_timeout_seconds = limits.body_timeout;
  options.write_timeout_seconds = limits.write_timeout;
  options.max_header_bytes = static_cast<std::size_t>(limits.max_header_kb) << 10;
  options.max_event_streams = limits.max_event_streams;
  options.stop_grace_seconds = limits.stop_grace;
}

CsvOptions table_limits(const ConnectionLimits& limits) {
  CsvOptions csv;
  csv.max_columns = static_cast<std::size_t>(limits.max_columns);
  csv.max_field_bytes = static_cast<std::size_t>(limits.max_field_kb) << 10;
  return csv;
}
// --- end of HTTP connection limits ---

int run(ServeArgs& args, const CLI::App& cmd, ConnectionLimits& limits) {
  const nlohmann::json config = read_config(args.config);
  std::vector<std::string> known_keys;
  apply_config(args, cmd, config, known_keys);
  apply_connection_config(args.config, config, cmd, limits, known_keys);  // HTTP limits
  reject_unknown_config_keys(args.config, config, known_keys);
  if (args.demo_rows < 200 || args.demo_rows > 10'000'000) {
    throw_usage("demo_rows must be from 200 to 10000000");
  }
  // An address literal in 127.0.0.0/8 or ::1, or "localhost": any other name could resolve
  // anywhere, so it counts as the network.
  if (!server::is_loopback_address(args.host) && args.tokens.empty() && !args.insecure) {
    throw_usage(
        "refusing to listen on " + args.host +
        " without API tokens: give --tokens FILE, or --insecure to allow anyone on the network");
  }
  // A bad --allowed-hosts entry is refused before the store is opened (the port comes later).
  [[maybe_unused]] const server::RequestGuard host_check({args.host, 0, args.allowed_hosts, false});
  if (args.log_max_rows < 0 || args.log_max_days < 0) {
    throw_usage("--log-max-rows and --log-max-days must be 0 (no limit) or more");
  }
  server::Tokens tokens =
      args.tokens.empty() ? server::Tokens::allow_all() : server::Tokens::load(args.tokens);

  // Signals are taken by one thread with sigwait; block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::filesystem::create_directories(args.data_dir);
  Store store(args.data_dir);
  server::ServiceOptions service_options;
  service_options.data_dir = args.data_dir;
  service_options.max_customers_per_request = args.max_customers;
  service_options.demo_rows = args.demo_rows;
  service_options.revenue_column = args.revenue_column;
  service_options.playbook_path = args.playbook;
  service_options.prediction_retention = {args.log_max_rows, args.log_max_days};
  service_options.table_limits = table_limits(limits);
  server::ChurnService service(store, service_options);
  if (service.start(!args.no_demo)) spdlog::info("demo data set trained, activated and scored");

  server::Metrics metrics;
  server::Router router;
  server::add_api_routes(router, service, metrics);
  server::ServerOptions options;
  options.host = args.host;
  options.port = args.port;
  options.threads = args.threads;
  options.max_upload_body = args.max_upload_mb << 20;
  options.upload_dir = (std::filesystem::path(args.data_dir) / "uploads").string();
  options.static_dir = args.static_dir.empty() ? default_static_dir() : args.static_dir;
  if (options.static_dir.empty()) {
    spdlog::warn(
        "no dashboard found next to the binary: serving the API only (build with "
        "-DSMARTCHURN_WEB=ON, or give --static-dir)");
  }
  std::filesystem::create_directories(options.upload_dir);
  apply_connection_limits(limits, options);
  server::HttpServer http(router, tokens, metrics, options);
  http.bind();
  // Installed once the port is known, before the first request is served.
  server::RequestGuardOptions guard_options;
  guard_options.bind_host = args.host;
  guard_options.port = http.port();
  guard_options.allowed_hosts = args.allowed_hosts;
  guard_options.tokens_enabled = tokens.enabled();
  router.set_guard(server::RequestGuard(guard_options).as_router_guard());

  std::thread signal_waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("stopping: finishing requests in flight");
    http.stop();
  });
  fmt::print("SmartChurn is listening on http://{}:{}/ ({}API under /api/v1, data in {})\n",
             args.host.find(':') != std::string::npos ? "[" + args.host + "]" : args.host,
             http.port(), options.static_dir.empty() ? "" : "dashboard at /, ", args.data_dir);
  std::fflush(stdout);
  http.serve();
  kill(getpid(), SIGTERM);  // wakes the waiter if serve() ended for another reason
  signal_waiter.join();
  return 0;
}

std::pair<CLI::App*, CommandRunner> add_serve(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Run the REST API over an embedded store");
  cmd->add_option("--host", args->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", args->port, "Port (0: any free port)")->capture_default_str();
  cmd->add_option("--data-dir", args->data_dir, "Where the store, data sets and models live")
      ->capture_default_str();
  cmd->add_option("--config", args->config, "JSON file with the same options");
  cmd->add_option("--tokens", args->tokens,
                  "API tokens file: '<token> <viewer|analyst|admin>' per line");
  cmd->add_flag("--insecure", args->insecure, "Allow a non-loopback address without tokens");
  cmd->add_option("--threads", args->threads, "HTTP worker threads")->capture_default_str();
  cmd->add_option("--max-upload-mb", args->max_upload_mb, "Largest upload in MiB")
      ->capture_default_str();
  cmd->add_option("--max-customers", args->max_customers, "Most customers in one /predict call")
      ->capture_default_str();
  cmd->add_option("--revenue-column", args->revenue_column,
                  "Monthly revenue column for revenue at risk (default: detected)");
  cmd->add_option("--static-dir", args->static_dir,
                  "Serve the dashboard from this folder (default: the one built with the binary)");
  cmd->add_option("--playbook", args->playbook,
                  "Retention playbook (JSON, docs/playbook.md; default: the built-in telecom one)");
  cmd->add_option("--allowed-hosts", args->allowed_hosts,
                  "Other names the server is reached by (Host header), e.g. churn.example.com or "
                  "proxy:8443")
      ->delimiter(',');
  cmd->add_option("--log-max-rows", args->log_max_rows,
                  "Prediction log entries kept, oldest deleted first (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--log-max-days", args->log_max_days, "Days of prediction log kept (0: no limit)")
      ->capture_default_str();
  cmd->add_flag("--no-demo", args->no_demo, "Do not seed an empty store with the demo data");
  cmd->add_option("--demo-rows", args->demo_rows,
                  "Customers in the demo data seeded on first start")
      ->check(CLI::Range(std::size_t{200}, std::size_t{10'000'000}))
      ->capture_default_str();
  auto limits = std::make_shared<ConnectionLimits>();  // HTTP connection limits
  add_connection_options(*cmd, *limits);
  return {cmd, [args, cmd, limits] { return run(*args, *cmd, *limits); }};
}

const CommandRegistration kServeRegistration(60, add_serve);

}  // namespace

}  // namespace smartchurn::cli
