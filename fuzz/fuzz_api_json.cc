// Fuzz target: the JSON request parsers of the server, in-process through Router::dispatch on a
// service seeded once with a small demo store. An input is "<route>\n<body>" with route one of
// predict, what-if, training-jobs, outcomes (anything else: the whole input is a /predict body).
// Any 5xx aborts, so libFuzzer reports it: bad input must get a 4xx, never a 500.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "server/churn_service.h"
#include "server/metrics.h"
#include "server/request.h"
#include "server/response.h"
#include "server/router.h"
#include "server/routes.h"
#include "smartchurn/store.h"

namespace {

using smartchurn::server::ChurnService;
using smartchurn::server::Request;
using smartchurn::server::Response;

struct Server {
  Server() {
    smartchurn::server::ServiceOptions options;
    options.data_dir = smartchurn::fuzz::scratch_directory() + "/data";
    options.demo_rows = 300;
    options.training_threads = 1;
    options.explain_threads = 1;
    store = std::make_unique<smartchurn::Store>(options.data_dir);
    service = std::make_unique<ChurnService>(*store, options);
    service->start(true);
    smartchurn::server::add_api_routes(router, *service, metrics);
  }
  std::unique_ptr<smartchurn::Store> store;
  std::unique_ptr<ChurnService> service;
  smartchurn::server::Metrics metrics;
  smartchurn::server::Router router;
};

// Never destroyed: at exit XGBoost's own statics may be gone before a booster is freed.
Server& server() {
  static Server& instance = *new Server;
  return instance;
}

// A training job the fuzzer got accepted would train for real: cancel it at once and wait for it
// to end, so the queue never holds more than the one job being cancelled.
void cancel_accepted_job(const Response& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("id") || !body["id"].is_number_integer()) std::abort();
  const int64_t id = body["id"].get<int64_t>();
  server().service->cancel_job(id);
  server().service->follow_job(id, [](const smartchurn::server::JobEvent&) { return true; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string route = "predict";
  for (std::string_view name : {"predict", "what-if", "training-jobs", "outcomes"}) {
    if (input.size() > name.size() && input.substr(0, name.size()) == name &&
        input[name.size()] == '\n') {
      route = name;
      input.remove_prefix(name.size() + 1);
      break;
    }
  }
  Request request;
  request.method = "POST";
  request.path = "/api/v1/" + route;
  request.role = smartchurn::server::Role::kAdmin;
  request.headers["content-type"] = "application/json";
  request.body = std::string(input);
  const Response response = server().router.dispatch(request);
  if (response.status >= 500) {
    std::fprintf(stderr, "POST %s answered %d: %s\n", request.path.c_str(), response.status,
                 response.body.c_str());
    std::abort();
  }
  // SMARTCHURN_FUZZ_VERBOSE=1: each input's answer, to see what a corpus reaches.
  static const bool verbose = std::getenv("SMARTCHURN_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "POST %s -> %d\n", request.path.c_str(), response.status);
  if (route == "training-jobs" && response.status == 202) cancel_accepted_job(response);
  return 0;
}
