#include "fuzz_support.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "smartchurn/dataset.h"
#include "smartchurn/demo.h"
#include "smartchurn/trainer.h"

namespace smartchurn::fuzz {

namespace {

class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "smartchurn-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

const std::string& scratch_directory() {
  static const ScratchDirectory directory;
  return directory.path();
}

std::string write_scratch_file(const std::string& name, std::string_view bytes) {
  std::string path = scratch_directory() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
  return path;
}

std::string demo_csv(std::size_t rows) {
  std::ostringstream out;
  write_demo_data(out, {rows, 7});
  return out.str();
}

Bundle train_demo_bundle(const std::string& model) {
  std::string path = write_scratch_file("train-" + model + ".csv", demo_csv(400));
  Dataset data = read_dataset(path);
  TrainOptions options;
  options.target = "churn";
  options.models = {model};
  options.folds = 2;
  options.threads = 1;
  options.global_view = false;
  return std::move(train(data, options).bundle);
}

}  // namespace smartchurn::fuzz
