#include "fuzz_support.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "smartchurn/dataset.h"
#include "smartchurn/demo.h"
#include "smartchurn/trainer.h"
#include "test_support/temp_dir.h"

namespace smartchurn::fuzz {

const std::string& scratch_directory() {
  static const test::TempDir directory("smartchurn-fuzz");
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
