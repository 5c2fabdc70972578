// A seeded random source with its own mapping from std::mt19937_64 to the draws the demo generator,
// needs. The std:: distributions are implementation-defined, so they would make the demo data
// differ between standard libraries; these mappings give the same numbers everywhere.
#pragma once

#include <cstdint>
#include <random>
#include <span>

namespace smartchurn::util {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Uniform integer in [0, n); n must be > 0.
  uint64_t below(uint64_t n);
  // True with probability p.
  bool chance(double p) { return uniform() < p; }
  // Standard normal (Marsaglia's polar method).
  double normal();
  // Poisson count with mean `mean` >= 0 (Knuth's multiplication method; fine for small means).
  int poisson(double mean);
  // Index i drawn with probability weights[i] / sum(weights); weights must not all be zero.
  std::size_t pick(std::span<const double> weights);

 private:
  std::mt19937_64 engine_;
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace smartchurn::util
