// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#pragma once

#include <string>

namespace smartchurn::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();  // clears the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  // fraction in [0, 1]; step is a short note such as "fold 2 gbm".
  void update(double fraction, const std::string& step);

 private:
  std::string label_;
  bool enabled_;
};

}  // namespace smartchurn::cli
