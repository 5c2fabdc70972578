// Google Benchmark for the evaluation metrics, built with -DSMARTCHURN_BENCH=ON (make bench); or
// by hand, after building smartchurn_core:
//   c++ -std=c++20 -O2 -Iinclude bench/bench_metrics.cc build/libsmartchurn_core.a
//       -lfmt -lbenchmark -lpthread -o /tmp/bench_metrics
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "smartchurn/metrics.h"

namespace {

struct Sample {
  std::vector<float> y;
  std::vector<double> p;
};

// Deterministic scores in [0, 1) and labels that follow them (positive with probability ~ p^2).
// `decimals` > 0 rounds the scores, giving the large tie groups of a real model's output.
Sample make_sample(std::size_t rows, int decimals) {
  std::mt19937_64 rng(20240601);
  auto unit = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  Sample s;
  s.y.reserve(rows);
  s.p.reserve(rows);
  double scale = 1.0;
  for (int d = 0; d < decimals; ++d) scale *= 10.0;
  for (std::size_t i = 0; i < rows; ++i) {
    double score = unit();
    if (decimals > 0) score = static_cast<double>(static_cast<std::int64_t>(score * scale)) / scale;
    s.p.push_back(score);
    s.y.push_back(unit() < score * score ? 1.0f : 0.0f);
  }
  return s;
}

void BM_RocAucDistinctScores(benchmark::State& state) {
  const Sample s = make_sample(static_cast<std::size_t>(state.range(0)), 0);
  for (auto _ : state) benchmark::DoNotOptimize(smartchurn::roc_auc(s.y, s.p));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RocAucDistinctScores)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_RocAucTwoDecimalScores(benchmark::State& state) {
  const Sample s = make_sample(static_cast<std::size_t>(state.range(0)), 2);
  for (auto _ : state) benchmark::DoNotOptimize(smartchurn::roc_auc(s.y, s.p));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RocAucTwoDecimalScores)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_EvaluationReport(benchmark::State& state) {
  const Sample s = make_sample(static_cast<std::size_t>(state.range(0)), 0);
  for (auto _ : state) benchmark::DoNotOptimize(smartchurn::evaluation_report(s.y, s.p));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EvaluationReport)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
