#include "cli/progress.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace smartchurn::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
  if (enabled_) fmt::print(stderr, "\r\033[K");
}

void ProgressBar::update(double fraction, const std::string& step) {
  if (!enabled_) return;
  constexpr int kWidth = 30;
  fraction = std::clamp(fraction, 0.0, 1.0);
  int filled = static_cast<int>(fraction * kWidth);
  fmt::print(stderr, "\r\033[K{} [{}{}] {:3.0f}% {}", label_, std::string(std::size_t(filled), '#'),
             std::string(std::size_t(kWidth - filled), ' '), 100 * fraction, step);
  std::fflush(stderr);
}

}  // namespace smartchurn::cli
