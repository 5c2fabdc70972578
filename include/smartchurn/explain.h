// Why a customer is at risk: each input column's contribution to the model's log-odds of churn.
//
// Methods (docs/explanations.md has the details):
//   tree_shap  gbm, rf: exact TreeSHAP (path-dependent, as XGBoost's pred_contribs) over the trees
//   linear     lr: coefficient x (feature - its training mean); base = intercept + sum coef x mean
//   sampling   any model: sampled Shapley values over the input columns against a background
//              sample of training rows, antithetic permutations, reproducible for a fixed seed
// Contributions of prepared features are summed into the input columns they come from; a feature
// built from several columns is split by Pipeline::source_shares(). In every method,
// base_value + the sum of all contributions = the model's log-odds for the customer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smartchurn/bundle.h"
#include "smartchurn/dataset.h"

namespace smartchurn {

// One input column's part of a customer's log-odds.
struct Reason {
  std::string column;
  std::string value;          // the customer's value as text, "" when missing
  double contribution = 0.0;  // in log-odds; above 0 raises the churn risk
};

struct Explanation {
  double base_value = 0.0;  // log-odds of the reference: the training population
  double log_odds = 0.0;    // base_value + every contribution: the model's output for the customer
  // Every input column, the largest |contribution| first (ties keep the input column order).
  std::vector<Reason> reasons;
  // Per prepared feature, before grouping (tree_shap and linear; empty for sampling, which works
  // on input columns directly). base_value + their sum = log_odds as well.
  std::vector<double> feature_contributions;

  double probability() const;
};

enum class ExplainMethod { kAuto, kTreeShap, kLinear, kSampling };
const char* to_string(ExplainMethod method);
// "auto", "tree_shap", "linear" or "sampling"; kUsage naming the choices otherwise.
ExplainMethod explain_method_from_string(const std::string& name);

struct ExplainOptions {
  ExplainMethod method = ExplainMethod::kAuto;  // auto: exact for lr / gbm / rf, sampling otherwise
  // sampling: (background row, permutation) pairs per customer, rounded up to an even number (each
  // permutation is used with its reverse).
  std::size_t samples = 128;
  uint64_t seed = 42;
};

class Explainer {
 public:
  // Compiles what the method needs from the bundle; the explainer holds its own copies, so the
  // bundle may go away. Errors: kUsage for a method the model does not support (linear for a tree
  // model, tree_shap for lr); kIncompatible for sampling with a bundle saved without a background
  // sample (retrain it).
  explicit Explainer(const Bundle& bundle, ExplainOptions options = {});
  ~Explainer();
  Explainer(Explainer&&) noexcept;
  Explainer& operator=(Explainer&&) noexcept;

  ExplainMethod method() const;
  // The raw input columns a record must give, in the order explain_record() expects them (the
  // same as Scorer::input_columns()).
  const std::vector<std::string>& input_columns() const;

  // One raw record, fields as CSV cells (missing-value tokens allowed). Thread-safe. Throws
  // Error(kBadData) naming the column for a field that cannot be read, as Scorer does.
  Explanation explain_record(std::span<const std::string_view> fields) const;

  // Every row of a data set read with the bundle's schema (a whole file or one chunk of it), on
  // `threads` threads (0: every core). Row i equals explain_record on row i's cells.
  std::vector<Explanation> explain(const Dataset& data, int threads = 1) const;
  // Only the rows listed: result i explains data row rows[i].
  std::vector<Explanation> explain(const Dataset& data, std::span<const std::size_t> rows,
                                   int threads = 1) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The probability points a contribution adds: p(log_odds) - p(log_odds - contribution), i.e. how
// far the probability would move if this column alone were at its reference. Approximate: the
// effects of several columns do not add up in probability.
double probability_effect(double log_odds, double contribution);

// "Contract = Month-to-month raises the churn risk" / "tenure = 70 lowers the churn risk";
// a missing value reads "(missing)".
std::string reason_sentence(const Reason& reason);

}  // namespace smartchurn
