// Speed and quality of the model families on the real churn data sets: 5-fold stratified CV
// ROC-AUC and fit seconds per fold, for each family and a few parameter grids, straight on the
// models (no trainer, no preparation pipeline: a quick ad-hoc encoding). Built by `make bench`
// (-DSMARTCHURN_BENCH=ON); prints one line per configuration.
//   build-release/bench/bench_models [DATA_DIR] [telco|telco-rf-grid|telco-rf-trees|bank ...]
// DATA_DIR defaults to ../shared/data beside the sources; the suites to telco and bank. A data set
// that is absent is skipped with a message (exit code 0).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "smartchurn/metrics.h"
#include "smartchurn/model.h"

namespace smartchurn {
namespace {

// A quick ad-hoc loader: comma-split lines, no quoting (true of Telco and Churn_Modelling).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

Table read_table(const std::string& path) {
  std::ifstream in(path);
  Table table;
  std::string line;
  auto split = [](std::string text) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    std::vector<std::string> fields;
    std::stringstream stream(text);
    std::string field;
    while (std::getline(stream, field, ',')) fields.push_back(field);
    return fields;
  };
  std::getline(in, line);
  table.header = split(line);
  while (std::getline(in, line)) table.rows.push_back(split(line));
  return table;
}

struct Prepared {
  FeatureMatrix tree;  // numerics raw (NaN when blank), categoricals as codes
  std::vector<bool> categorical;
  FeatureMatrix one_hot;  // numerics (blank -> 0) then one column per category, unscaled
  std::size_t numeric_count = 0;
  std::vector<float> y;
};

Prepared prepare(const Table& table, const std::set<std::string>& numeric,
                 const std::set<std::string>& dropped, const std::string& target,
                 const std::string& positive) {
  Prepared out;
  std::vector<std::size_t> numeric_columns, categorical_columns;
  std::size_t target_column = 0;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const auto& name = table.header[c];
    if (name == target) {
      target_column = c;
    } else if (numeric.count(name)) {
      numeric_columns.push_back(c);
    } else if (!dropped.count(name)) {
      categorical_columns.push_back(c);
    }
  }
  std::vector<std::map<std::string, std::size_t>> codes(categorical_columns.size());
  for (std::size_t k = 0; k < categorical_columns.size(); ++k) {
    for (const auto& row : table.rows) codes[k].emplace(row[categorical_columns[k]], 0);
    std::size_t next = 0;
    for (auto& [value, code] : codes[k]) code = next++;
  }
  std::size_t one_hot_cols = numeric_columns.size();
  for (const auto& map : codes) one_hot_cols += map.size();
  const std::size_t n = table.rows.size();
  out.tree = FeatureMatrix(n, numeric_columns.size() + categorical_columns.size());
  out.one_hot = FeatureMatrix(n, one_hot_cols);
  out.numeric_count = numeric_columns.size();
  out.categorical.assign(numeric_columns.size(), false);
  out.categorical.resize(out.tree.cols, true);
  out.y.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    const auto& row = table.rows[r];
    for (std::size_t k = 0; k < numeric_columns.size(); ++k) {
      const std::string& text = row[numeric_columns[k]];
      const bool blank = text.find_first_not_of(' ') == std::string::npos;
      out.tree.at(r, k) = blank ? NAN : std::stof(text);
      out.one_hot.at(r, k) = blank ? 0.0f : std::stof(text);
    }
    std::size_t offset = numeric_columns.size();
    for (std::size_t k = 0; k < categorical_columns.size(); ++k) {
      const std::size_t code = codes[k].at(row[categorical_columns[k]]);
      out.tree.at(r, numeric_columns.size() + k) = static_cast<float>(code);
      out.one_hot.at(r, offset + code) = 1.0f;
      offset += codes[k].size();
    }
    out.y[r] = row[target_column] == positive ? 1.0f : 0.0f;
  }
  return out;
}

FeatureMatrix take(const FeatureMatrix& x, const std::vector<std::size_t>& which) {
  FeatureMatrix out(which.size(), x.cols);
  for (std::size_t i = 0; i < which.size(); ++i) {
    std::copy_n(x.values.begin() + static_cast<std::ptrdiff_t>(which[i] * x.cols), x.cols,
                out.values.begin() + static_cast<std::ptrdiff_t>(i * x.cols));
  }
  return out;
}

std::vector<float> take(const std::vector<float>& y, const std::vector<std::size_t>& which) {
  std::vector<float> out;
  for (std::size_t i : which) out.push_back(y[i]);
  return out;
}

// Standardises the numeric columns with the training rows' mean and deviation.
void standardise(FeatureMatrix& train, FeatureMatrix& test, std::size_t numeric_count) {
  for (std::size_t c = 0; c < numeric_count; ++c) {
    double sum = 0, sum_sq = 0;
    for (std::size_t r = 0; r < train.rows; ++r) sum += train.at(r, c);
    const double mean = sum / static_cast<double>(train.rows);
    for (std::size_t r = 0; r < train.rows; ++r) sum_sq += std::pow(train.at(r, c) - mean, 2);
    const double sd = std::sqrt(sum_sq / static_cast<double>(train.rows));
    for (auto* m : {&train, &test}) {
      for (std::size_t r = 0; r < m->rows; ++r) {
        m->at(r, c) = static_cast<float>((m->at(r, c) - mean) / (sd > 0 ? sd : 1));
      }
    }
  }
}

// Stratified folds: each class shuffled (Fisher-Yates on mt19937_64) and dealt round-robin.
std::vector<int> stratified_folds(const std::vector<float>& y, int k, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int> fold(y.size());
  for (float label : {0.0f, 1.0f}) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (y[i] == label) members.push_back(i);
    }
    for (std::size_t i = members.size(); i > 1; --i) {
      std::swap(members[i - 1], members[rng() % i]);
    }
    for (std::size_t i = 0; i < members.size(); ++i) fold[members[i]] = static_cast<int>(i % k);
  }
  return fold;
}

struct Config {
  std::string label;
  std::string model;
  nlohmann::json params;
  bool early_stopping = false;  // hold out 20 % of the training fold for gbm's early stopping
};

// Prints per-fold AUC and fit seconds; returns the mean AUC.
double cross_validate(const Prepared& data, const Config& config, int threads) {
  const auto fold = stratified_folds(data.y, 5, 42);
  double auc_sum = 0, seconds_sum = 0;
  std::string per_fold;
  for (int f = 0; f < 5; ++f) {
    std::vector<std::size_t> train_rows, test_rows;
    for (std::size_t i = 0; i < data.y.size(); ++i) {
      (fold[i] == f ? test_rows : train_rows).push_back(i);
    }
    auto model = create_model(config.model, config.params);
    const bool linear = model->input_style() == InputStyle::kScaledOneHot;
    const FeatureMatrix& source = linear ? data.one_hot : data.tree;
    std::vector<std::size_t> valid_rows;
    if (config.early_stopping) {
      // Every fifth training row (the rows are in file order, which is not sorted by churn).
      std::vector<std::size_t> kept;
      for (std::size_t i = 0; i < train_rows.size(); ++i) {
        (i % 5 == 4 ? valid_rows : kept).push_back(train_rows[i]);
      }
      train_rows = kept;
    }
    FeatureMatrix train_x = take(source, train_rows), test_x = take(source, test_rows);
    FeatureMatrix valid_x = take(source, valid_rows);
    if (linear) standardise(train_x, test_x, data.numeric_count);
    const auto train_y = take(data.y, train_rows), test_y = take(data.y, test_rows),
               valid_y = take(data.y, valid_rows);
    FitOptions options;
    options.threads = threads;
    if (!linear) options.categorical = data.categorical;
    if (config.early_stopping) {
      options.valid_x = &valid_x;
      options.valid_y = valid_y;
    }
    const auto start = std::chrono::steady_clock::now();
    model->fit(train_x, train_y, options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double auc = roc_auc(test_y, model->predict_proba(test_x));
    auc_sum += auc;
    seconds_sum += seconds;
    char cell[64];
    std::snprintf(cell, sizeof cell, " %.4f/%.3fs", auc, seconds);
    per_fold += cell;
    if (model->parameters().contains("best_iteration")) {
      per_fold += "(" + model->parameters().at("rounds").dump() + "r)";
    }
  }
  std::printf("%-34s nthread=%d  mean AUC %.4f  fit total %.3fs |%s\n", config.label.c_str(),
              threads, auc_sum / 5, seconds_sum, per_fold.c_str());
  return auc_sum / 5;
}

const char* const kTelco = "telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv";
const char* const kBank = "bank-churn-modelling/Churn_Modelling.csv";

Prepared telco(const std::string& path) {
  return prepare(read_table(path), {"SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"},
                 {"customerID"}, "Churn", "Yes");
}

Prepared bank(const std::string& path) {
  return prepare(read_table(path),
                 {"CreditScore", "Age", "Tenure", "Balance", "NumOfProducts", "HasCrCard",
                  "IsActiveMember", "EstimatedSalary"},
                 {"RowNumber", "CustomerId", "Surname"}, "Exited", "1");
}

const std::vector<Config>& family_configs() {
  static const std::vector<Config> configs = {
      {"lr", "lr", nlohmann::json::object()},
      {"rf defaults", "rf", nlohmann::json::object()},
      {"gbm early stopping", "gbm", nlohmann::json::object(), true},
      {"gbm 300 rounds", "gbm", nlohmann::json::object()},
  };
  return configs;
}

void telco_cross_validation(const Prepared& data) {
  for (int threads : {1, 2}) {
    for (const auto& config : family_configs()) cross_validate(data, config, threads);
  }
}

void telco_random_forest_grid(const Prepared& data) {
  for (int depth : {6, 8, 10, 12}) {
    for (double colsample : {0.3, 0.5}) {
      for (double child : {1.0, 2.0, 5.0}) {
        const nlohmann::json params = {{"n_trees", 100},
                                       {"max_depth", depth},
                                       {"colsample_bynode", colsample},
                                       {"min_child_weight", child}};
        cross_validate(data, {"rf " + params.dump(), "rf", params}, 1);
      }
    }
  }
}

void telco_random_forest_tree_count(const Prepared& data) {
  for (int trees : {50, 100, 200, 300}) {
    const nlohmann::json params = {{"n_trees", trees}};
    cross_validate(data, {"rf defaults " + params.dump(), "rf", params}, 1);
  }
}

void bank_cross_validation(const Prepared& data) {
  for (const auto& config : family_configs()) cross_validate(data, config, 2);
}

struct Suite {
  std::string name;
  const char* file;
  std::function<Prepared(const std::string&)> prepare_data;
  std::function<void(const Prepared&)> run;
};

}  // namespace
}  // namespace smartchurn

int main(int argc, char** argv) {
  using smartchurn::Suite;
  const std::vector<Suite> suites = {
      {"telco", smartchurn::kTelco, smartchurn::telco, smartchurn::telco_cross_validation},
      {"telco-rf-grid", smartchurn::kTelco, smartchurn::telco,
       smartchurn::telco_random_forest_grid},
      {"telco-rf-trees", smartchurn::kTelco, smartchurn::telco,
       smartchurn::telco_random_forest_tree_count},
      {"bank", smartchurn::kBank, smartchurn::bank, smartchurn::bank_cross_validation},
  };
  const std::string data_dir = argc > 1 ? argv[1] : SMARTCHURN_SHARED_DATA;
  std::vector<std::string> wanted(argv + std::min(argc, 2), argv + argc);
  if (wanted.empty()) wanted = {"telco", "bank"};
  for (const auto& name : wanted) {
    const auto suite =
        std::find_if(suites.begin(), suites.end(), [&](const Suite& s) { return s.name == name; });
    if (suite == suites.end()) {
      std::fprintf(
          stderr, "bench_models: unknown suite '%s' (telco, telco-rf-grid, telco-rf-trees, bank)\n",
          name.c_str());
      return 2;
    }
    const std::string path = data_dir + "/" + suite->file;
    if (!std::filesystem::exists(path)) {
      std::printf("%s: skipped, the data set is absent: %s\n", name.c_str(), path.c_str());
      continue;
    }
    std::printf("## %s\n", name.c_str());
    suite->run(suite->prepare_data(path));
  }
  return 0;
}
