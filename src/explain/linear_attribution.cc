#include <fmt/format.h>

#include "explain/feature_attribution.h"
#include "smartchurn/error.h"

namespace smartchurn::explain {

namespace {

class LinearAttribution : public FeatureAttribution {
 public:
  LinearAttribution(std::vector<double> coefficients, double intercept, std::vector<double> means)
      : coefficients_(std::move(coefficients)), means_(std::move(means)), base_(intercept) {
    if (means_.empty()) means_.assign(coefficients_.size(), 0.0);
    if (means_.size() != coefficients_.size()) {
      throw Error(ErrorCode::kIncompatible,
                  fmt::format("the bundle has {} feature means for {} coefficients", means_.size(),
                              coefficients_.size()));
    }
    for (std::size_t j = 0; j < coefficients_.size(); ++j) base_ += coefficients_[j] * means_[j];
  }

  void attribute(const FeatureMatrix& x, double* out) const override {
    if (x.cols != coefficients_.size()) {
      throw Error(ErrorCode::kInternal, fmt::format("{} prepared features for {} coefficients",
                                                    x.cols, coefficients_.size()));
    }
    for (std::size_t r = 0; r < x.rows; ++r) {
      double* row = out + r * (x.cols + 1);
      for (std::size_t j = 0; j < x.cols; ++j) {
        row[j] = coefficients_[j] * (static_cast<double>(x.at(r, j)) - means_[j]);
      }
      row[x.cols] = base_;
    }
  }

 private:
  std::vector<double> coefficients_;
  std::vector<double> means_;
  double base_;
};

}  // namespace

std::unique_ptr<FeatureAttribution> linear_attribution(const nlohmann::json& state,
                                                       std::vector<double> means) {
  try {
    return std::make_unique<LinearAttribution>(state.at("coefficients").get<std::vector<double>>(),
                                               state.at("intercept").get<double>(),
                                               std::move(means));
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::kIncompatible, std::string("unreadable linear model: ") + e.what());
  }
}

}  // namespace smartchurn::explain
