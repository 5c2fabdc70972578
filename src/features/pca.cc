#include "features/pca.h"

#include <Eigen/Dense>
#include <cmath>

#include "smartchurn/error.h"

namespace smartchurn::features {

Pca Pca::fit(const std::vector<std::vector<double>>& columns, std::size_t k) {
  const std::size_t inputs = columns.size();
  if (k == 0 || k > inputs) {
    throw_usage("PCA needs between 1 and " + std::to_string(inputs) +
                " components (the number of continuous features)");
  }
  const std::size_t rows = columns[0].size();
  Pca pca;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(inputs));
  for (std::size_t c = 0; c < inputs; ++c) {
    double sum = 0, sum_sq = 0, n = 0;
    for (double v : columns[c]) {
      if (std::isnan(v)) continue;
      sum += v;
      sum_sq += v * v;
      ++n;
    }
    double mean = n > 0 ? sum / n : 0.0;
    double sd = n > 1 ? std::sqrt(std::max(0.0, sum_sq / n - mean * mean)) : 0.0;
    pca.mean.push_back(mean);
    pca.scale.push_back(sd > 0 ? sd : 1.0);
    for (std::size_t r = 0; r < rows; ++r) {
      double v = columns[c][r];
      x(Eigen::Index(r), Eigen::Index(c)) = std::isnan(v) ? 0.0 : (v - mean) / pca.scale.back();
    }
  }
  Eigen::MatrixXd covariance = (x.transpose() * x) / std::max<double>(1.0, double(rows) - 1.0);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  const auto& values = solver.eigenvalues();  // ascending
  double total = values.sum();
  for (std::size_t i = 0; i < k; ++i) {
    Eigen::Index col = static_cast<Eigen::Index>(inputs - 1 - i);
    Eigen::VectorXd w = solver.eigenvectors().col(col);
    // Fix the sign so that results do not depend on the solver: largest weight positive.
    Eigen::Index largest = 0;
    w.cwiseAbs().maxCoeff(&largest);
    if (w(largest) < 0) w = -w;
    pca.components.emplace_back(w.data(), w.data() + w.size());
    pca.explained_variance_ratio.push_back(total > 0 ? values(col) / total : 0.0);
  }
  return pca;
}

void Pca::project(const double* inputs, double* scores) const {
  for (std::size_t k = 0; k < components.size(); ++k) {
    double s = 0;
    for (std::size_t i = 0; i < mean.size(); ++i) {
      double z = std::isnan(inputs[i]) ? 0.0 : (inputs[i] - mean[i]) / scale[i];
      s += components[k][i] * z;
    }
    scores[k] = s;
  }
}

void to_json(nlohmann::json& j, const Pca& p) {
  j = {{"mean", p.mean},
       {"scale", p.scale},
       {"components", p.components},
       {"explained_variance_ratio", p.explained_variance_ratio}};
}

void from_json(const nlohmann::json& j, Pca& p) {
  p.mean = j.at("mean").get<std::vector<double>>();
  p.scale = j.at("scale").get<std::vector<double>>();
  p.components = j.at("components").get<std::vector<std::vector<double>>>();
  p.explained_variance_ratio = j.at("explained_variance_ratio").get<std::vector<double>>();
}

}  // namespace smartchurn::features
