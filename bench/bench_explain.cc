// Explanation latency and throughput on Telco: one raw customer record to its reasons
// (Explainer::explain_record, p50 / p90 / p99 over every record), and every customer in batch
// (Explainer::explain on the whole file, 1 and 2 threads), for the default gradient boosting model
// and the other families; plus what the global view adds to training. Built by `make bench`
// (-DSMARTCHURN_BENCH=ON); prints a Markdown section.
//   build-release/bench/bench_explain WA_Fn-UseC_-Telco-Customer-Churn.csv
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "smartchurn/csv.h"
#include "smartchurn/explain.h"
#include "smartchurn/trainer.h"

using namespace smartchurn;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

double median(std::vector<double> values) { return percentile(std::move(values), 0.5); }

TrainResult train_telco(const Dataset& data, const std::string& model, bool global_view) {
  TrainOptions options;
  options.target = "Churn";
  options.positive = "Yes";
  options.models = {model};
  options.global_view = global_view;
  return train(data, options);
}

struct Records {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::vector<std::string_view>> fields;
};

Records read_records(const std::string& path, const std::vector<std::string>& columns) {
  CsvReader reader = CsvReader::open(path);
  std::vector<std::size_t> field_of;
  for (const auto& name : columns) {
    field_of.push_back(static_cast<std::size_t>(
        std::find(reader.header().begin(), reader.header().end(), name) - reader.header().begin()));
  }
  Records out;
  std::vector<std::string> record;
  while (reader.next(record)) {
    std::vector<std::string> cells;
    for (std::size_t k : field_of) cells.push_back(record[k]);
    out.cells.push_back(std::move(cells));
  }
  for (const auto& cells : out.cells) out.fields.emplace_back(cells.begin(), cells.end());
  return out;
}

// One customer at a time, three passes over every record (`limit` records at most); microseconds.
std::vector<double> one_customer_us(const Explainer& explainer, const Records& records,
                                    std::size_t limit, double& sink) {
  std::vector<double> us;
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t r = 0; r < records.fields.size() && r < limit; ++r) {
      const auto start = Clock::now();
      sink += explainer.explain_record(records.fields[r]).log_odds;
      us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
  }
  return us;
}

// Seconds to explain the whole data set, median of `runs`.
double batch_seconds(const Explainer& explainer, const Dataset& data, int threads, int runs,
                     double& sink) {
  std::vector<double> seconds;
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    sink += explainer.explain(data, threads)[0].log_odds;
    seconds.push_back(seconds_since(start));
  }
  return median(seconds);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_explain TELCO.csv\n");
    return 2;
  }
  const std::string path = argv[1];
  const Dataset data = read_dataset(path);
  double sink = 0;

  std::printf(
      "| model | method | one customer p50 / p90 / p99 us | %zu customers, 1 thread s | "
      "2 threads s |\n|---|---|---|---|---|\n",
      data.rows());
  nlohmann::json global;
  for (const char* model : {"gbm", "lr", "rf"}) {
    const TrainResult trained = train_telco(data, model, true);
    const Bundle& bundle = trained.bundle;
    if (std::string(model) == "gbm") global = bundle.explanation.global;
    for (auto method : {ExplainMethod::kAuto, ExplainMethod::kSampling}) {
      const Explainer explainer(bundle, {method});
      const Records records = read_records(path, explainer.input_columns());
      // Sampling evaluates ~2,500 mixed records per customer: fewer customers, no batch run.
      const bool sampling = method == ExplainMethod::kSampling;
      const auto us =
          one_customer_us(explainer, records, sampling ? 200 : records.fields.size(), sink);
      std::string label = model;
      if (label == "gbm") {
        label += " (" + std::to_string(bundle.model->save().at("rounds").get<int>()) + " trees)";
      }
      std::printf("| %s | %s | %.0f / %.0f / %.0f |", label.c_str(), to_string(explainer.method()),
                  percentile(us, 0.5), percentile(us, 0.9), percentile(us, 0.99));
      if (sampling) {
        std::printf(" - | - |\n");
        continue;
      }
      std::printf(" %.2f | %.2f |\n", batch_seconds(explainer, data, 1, 3, sink),
                  batch_seconds(explainer, data, 2, 3, sink));
    }
  }

  // What the global view (feature means, background, importance, dependence, permutation
  // importance on held-out rows, partial dependence) adds to `train` with gbm, median of 3.
  std::vector<double> with, without;
  for (int run = 0; run < 3; ++run) {
    auto start = Clock::now();
    train_telco(data, "gbm", true);
    with.push_back(seconds_since(start));
    start = Clock::now();
    train_telco(data, "gbm", false);
    without.push_back(seconds_since(start));
  }
  std::printf(
      "\ntrain gbm (5-fold CV + refit) on Telco: %.2f s with the global view, %.2f s "
      "without\n",
      median(with), median(without));

  std::printf("\nTop global reasons on Telco (gbm, mean |contribution| in log-odds):");
  for (std::size_t i = 0; i < global["importance"].size() && i < 8; ++i) {
    const auto& entry = global["importance"][i];
    std::printf("%s %s %.3f", i ? "," : "", entry["column"].get<std::string>().c_str(),
                entry["mean_abs_contribution"].get<double>());
  }
  std::printf("\nPermutation importance (held-out ROC-AUC drop):");
  const auto& permutation = global["permutation_importance"]["columns"];
  for (std::size_t i = 0; i < permutation.size() && i < 5; ++i) {
    std::printf("%s %s %.4f", i ? "," : "", permutation[i]["column"].get<std::string>().c_str(),
                permutation[i]["roc_auc_drop"].get<double>());
  }
  std::printf("\n(checksum %.3f)\n", sink);
  return 0;
}
