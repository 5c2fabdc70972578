// Scoring engine latency and throughput on Telco: Scorer::score_record p50 per call against
// XGBoost's own one-row XGBoosterPredictFromDense, and batch rows/s. Built by `make bench`
// (-DSMARTCHURN_BENCH=ON), or by hand:
//   c++ -std=c++20 -O2 -Iinclude -Isrc bench/bench_scorer.cc build/libsmartchurn_core.a \
//       -lxgboost -lfmt -lspdlog -lcrypto -lSQLiteCpp -lsqlite3 -pthread -o /tmp/bench_scorer
//   /tmp/bench_scorer /work/shared/data/telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv
#include <xgboost/c_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "models/xgboost/handles.h"
#include "smartchurn/csv.h"
#include "smartchurn/scorer.h"
#include "smartchurn/trainer.h"

using namespace smartchurn;
using Clock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_scorer TELCO.csv\n");
    return 2;
  }
  const std::string path = argv[1];
  const Dataset data = read_dataset(path);
  TrainOptions options;
  options.target = "Churn";
  options.positive = "Yes";
  options.models = {"gbm"};
  options.folds = 2;
  const TrainResult trained = train(data, options);
  const Bundle& bundle = trained.bundle;
  const nlohmann::json state = bundle.model->save();
  std::printf("gbm: %d rounds, %zu features\n", state.at("rounds").get<int>(),
              bundle.pipeline.features().size());

  const Scorer scorer(bundle);
  CsvReader reader = CsvReader::open(path);
  std::vector<std::size_t> field_of;
  for (const auto& name : scorer.input_columns()) {
    field_of.push_back(static_cast<std::size_t>(
        std::find(reader.header().begin(), reader.header().end(), name) - reader.header().begin()));
  }
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  while (reader.next(record)) records.push_back(record);
  std::vector<std::vector<std::string_view>> fields(records.size());
  for (std::size_t r = 0; r < records.size(); ++r) {
    for (std::size_t k : field_of) fields[r].push_back(records[r][k]);
  }

  // score_record, one timed call at a time, three passes over every record.
  std::vector<double> ns;
  double sink = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (const auto& f : fields) {
      const auto start = Clock::now();
      sink += scorer.score_record(f);
      ns.push_back(std::chrono::duration<double, std::nano>(Clock::now() - start).count());
    }
  }
  std::printf("score_record: p50 %.0f ns, p90 %.0f ns, p99 %.0f ns (%zu calls)\n",
              percentile(ns, 0.5), percentile(ns, 0.9), percentile(ns, 0.99), ns.size());

  // XGBoost's one-row inplace prediction on the already prepared features.
  xgb::Booster booster;
  booster.load_json(state.at("booster"));
  booster.set_param("nthread", "1");
  const FeatureMatrix x = bundle.pipeline.transform(data);
  const std::string config =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": )" +
      std::to_string(state.at("rounds").get<int>()) +
      R"(, "strict_shape": false, "cache_id": 0, "missing": NaN})";
  std::vector<std::string> arrays;
  for (std::size_t r = 0; r < x.rows; ++r) {
    arrays.push_back(
        R"({"data": [)" +
        std::to_string(reinterpret_cast<std::uintptr_t>(x.values.data() + r * x.cols)) +
        R"(, true], "shape": [1, )" + std::to_string(x.cols) +
        R"(], "typestr": "<f4", "version": 3})");
  }
  std::vector<double> xgb_ns;
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t r = 0; r < x.rows; ++r) {
      const bst_ulong* shape = nullptr;
      bst_ulong dims = 0;
      const float* result = nullptr;
      const auto start = Clock::now();
      XGBoosterPredictFromDense(booster.handle(), arrays[r].c_str(), config.c_str(), nullptr,
                                &shape, &dims, &result);
      xgb_ns.push_back(std::chrono::duration<double, std::nano>(Clock::now() - start).count());
      sink += result[0];
    }
  }
  std::printf("XGBoosterPredictFromDense 1 row (features prepared): p50 %.0f ns, p90 %.0f ns\n",
              percentile(xgb_ns, 0.5), percentile(xgb_ns, 0.9));

  for (int threads : {1, 2}) {
    const int repeats = 10;
    const auto start = Clock::now();
    for (int i = 0; i < repeats; ++i) sink += scorer.score(data, threads)[0];
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("score(data, %d): %.0f rows/s (transform included)\n", threads,
                static_cast<double>(repeats * data.rows()) / seconds);
  }
  const auto start = Clock::now();
  for (int i = 0; i < 10; ++i) sink += bundle.predict(data)[0];
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("Bundle::predict (XGBoost, default threads): %.0f rows/s\n",
              static_cast<double>(10 * data.rows()) / seconds);
  std::printf("(checksum %.3f)\n", sink);
  return 0;
}
