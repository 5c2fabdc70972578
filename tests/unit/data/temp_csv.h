// A CSV text written to a temporary file for the duration of a test.
#pragma once

#include <fstream>
#include <string>

#include "test_support/temp_dir.h"

namespace smartchurn::test {

class TempCsv {
 public:
  explicit TempCsv(const std::string& text) : path_(dir_.file("data.csv")) {
    std::ofstream(path_, std::ios::binary) << text;
  }
  const std::string& path() const { return path_; }

 private:
  TempDir dir_{"smartchurn-data"};
  std::string path_;
};

}  // namespace smartchurn::test
