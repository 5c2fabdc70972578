#include "models/logistic/logistic_regression.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "models/params.h"
#include "smartchurn/error.h"

namespace smartchurn {
namespace {

// Rows of X with a trailing column of ones for the intercept; rejects NaN because the linear
// pipeline imputes every missing value before the model sees it.
Eigen::MatrixXd design_matrix(const FeatureMatrix& x) {
  Eigen::MatrixXd design(x.rows, x.cols + 1);
  for (std::size_t r = 0; r < x.rows; ++r) {
    for (std::size_t c = 0; c < x.cols; ++c) {
      const float value = x.at(r, c);
      if (!std::isfinite(value)) {
        throw_usage(fmt::format(
            "logistic regression needs imputed inputs, but row {} column {} is {}", r, c, value));
      }
      design(r, c) = value;
    }
    design(r, x.cols) = 1.0;
  }
  return design;
}

double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

// log(1 + exp(z)) without overflow.
double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

// Penalised negative log-likelihood, scaled by 1 / C so the penalty is ||w||^2 / 2.
double objective(const Eigen::MatrixXd& design, const Eigen::VectorXd& y,
                 const Eigen::VectorXd& penalty, const Eigen::VectorXd& beta) {
  const Eigen::VectorXd margin = design * beta;
  double loss = 0.0;
  for (Eigen::Index i = 0; i < margin.size(); ++i) loss += softplus(margin[i]) - y[i] * margin[i];
  return loss + 0.5 * beta.dot(penalty.cwiseProduct(beta));
}

}  // namespace

LogisticRegression::LogisticRegression(nlohmann::json params) : params_(std::move(params)) {}

void LogisticRegression::fit(const FeatureMatrix& x, std::span<const float> y,
                             const FitOptions& /*options*/) {
  if (y.size() != x.rows) {
    throw_usage(fmt::format("{} labels for {} rows", y.size(), x.rows));
  }
  if (x.rows == 0) throw_bad_data("no rows to fit");
  std::size_t positives = 0;
  for (float label : y) {
    if (label != 0.0f && label != 1.0f) throw_bad_data("labels must be 0 or 1");
    positives += label == 1.0f ? 1 : 0;
  }
  if (positives == 0 || positives == y.size()) throw_bad_data("the target has only one class");

  const Eigen::MatrixXd design = design_matrix(x);
  Eigen::VectorXd labels(static_cast<Eigen::Index>(x.rows));
  for (std::size_t i = 0; i < x.rows; ++i) labels[static_cast<Eigen::Index>(i)] = y[i];
  const auto dims = static_cast<Eigen::Index>(x.cols + 1);
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(dims, 1.0 / param_double(params_, "C"));
  penalty[dims - 1] = 0.0;  // the intercept is not penalised

  const int max_iter = param_int(params_, "max_iter");
  // The gradient is of the summed loss, so the tolerance scales with the row count.
  const double gradient_tolerance = param_double(params_, "tol") * static_cast<double>(x.rows);
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(dims);
  double current = objective(design, labels, penalty, beta);
  converged_ = false;
  iterations_ = 0;
  while (iterations_ < max_iter) {
    const Eigen::VectorXd probability = (design * beta).unaryExpr(&sigmoid);
    const Eigen::VectorXd gradient =
        design.transpose() * (probability - labels) + penalty.cwiseProduct(beta);
    if (gradient.lpNorm<Eigen::Infinity>() <= gradient_tolerance) {
      converged_ = true;
      break;
    }
    const Eigen::VectorXd weight =
        probability.cwiseProduct((Eigen::VectorXd::Ones(probability.size()) - probability));
    Eigen::MatrixXd hessian =
        design.transpose() * (design.array().colwise() * weight.array()).matrix();
    hessian.diagonal() += penalty;
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(hessian);
    if (ldlt.info() != Eigen::Success) {
      throw Error(ErrorCode::kInternal, "logistic regression: Hessian factorisation failed");
    }
    const Eigen::VectorXd step = ldlt.solve(gradient);
    // Backtracking keeps every step a descent step when the quadratic model overshoots.
    double scale = 1.0;
    Eigen::VectorXd candidate = beta - step;
    double candidate_value = objective(design, labels, penalty, candidate);
    while (!(candidate_value <= current) && scale > 1e-10) {
      scale *= 0.5;
      candidate = beta - scale * step;
      candidate_value = objective(design, labels, penalty, candidate);
    }
    ++iterations_;
    if (!(candidate_value <= current)) break;  // no further progress is possible in doubles
    beta = candidate;
    current = candidate_value;
  }
  coefficients_.assign(beta.data(), beta.data() + dims - 1);
  intercept_ = beta[dims - 1];
  fitted_ = true;
}

void LogisticRegression::require_fitted() const {
  if (!fitted_) throw_usage("logistic regression: the model is not fitted");
}

std::vector<double> LogisticRegression::predict_proba(const FeatureMatrix& x) const {
  std::vector<double> out = predict_log_odds(x);
  for (double& value : out) value = sigmoid(value);
  return out;
}

std::vector<double> LogisticRegression::predict_log_odds(const FeatureMatrix& x) const {
  require_fitted();
  if (x.cols != coefficients_.size()) {
    throw_usage(fmt::format("logistic regression was fitted on {} features, got {}",
                            coefficients_.size(), x.cols));
  }
  std::vector<double> out(x.rows);
  for (std::size_t r = 0; r < x.rows; ++r) {
    double margin = intercept_;
    for (std::size_t c = 0; c < x.cols; ++c) {
      const float value = x.at(r, c);
      if (!std::isfinite(value)) {
        throw_usage(fmt::format(
            "logistic regression needs imputed inputs, but row {} column {} is {}", r, c, value));
      }
      margin += coefficients_[c] * value;
    }
    out[r] = margin;
  }
  return out;
}

std::vector<double> LogisticRegression::feature_importance() const {
  require_fitted();
  std::vector<double> out(coefficients_.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::abs(coefficients_[i]);
  return out;
}

nlohmann::json LogisticRegression::parameters() const {
  nlohmann::json out = params_;
  if (fitted_) {
    out["iterations"] = iterations_;
    out["converged"] = converged_;
  }
  return out;
}

nlohmann::json LogisticRegression::save() const {
  require_fitted();
  return {{"params", params_},
          {"coefficients", coefficients_},
          {"intercept", intercept_},
          {"iterations", iterations_},
          {"converged", converged_}};
}

void LogisticRegression::load(const nlohmann::json& state) {
  try {
    params_ = resolve_params("lr", logistic_regression_info().params, state.at("params"));
    coefficients_ = state.at("coefficients").get<std::vector<double>>();
    intercept_ = state.at("intercept").get<double>();
    iterations_ = state.at("iterations").get<int>();
    converged_ = state.at("converged").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw_bad_data(fmt::format("logistic regression state is malformed: {}", e.what()));
  }
  fitted_ = true;
}

ModelInfo logistic_regression_info() {
  ModelInfo info;
  info.name = "lr";
  info.title = "Logistic regression (L2, Newton)";
  info.description = "L2-regularised logistic regression on standardised one-hot inputs";
  info.params = {
      {"C", 1.0, 1e-6, 1e6, false, "inverse regularisation strength (larger = weaker penalty)"},
      {"max_iter", 100, 1, 1000, true, "maximum Newton iterations"},
      {"tol", 1e-8, 1e-14, 1e-2, false, "stop when max |gradient| / rows falls below this"},
  };
  info.create = [specs = info.params](const nlohmann::json& params) -> std::unique_ptr<Model> {
    return std::make_unique<LogisticRegression>(resolve_params("lr", specs, params));
  };
  return info;
}

}  // namespace smartchurn
