// A CSV text written to a temporary file for the duration of a test.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace smartchurn::test {

class TempCsv {
 public:
  explicit TempCsv(const std::string& text) {
    static int counter = 0;
    path_ =
        (std::filesystem::temp_directory_path() / ("smartchurn-data-" + std::to_string(::getpid()) +
                                                   "-" + std::to_string(counter++) + ".csv"))
            .string();
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempCsv() { std::filesystem::remove(path_); }
  TempCsv(const TempCsv&) = delete;
  TempCsv& operator=(const TempCsv&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace smartchurn::test
