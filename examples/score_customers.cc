// Scores customers with a model bundle through SmartChurn's public API: every row of a CSV, then
// the first customer again on its own, field by field. Built against the installed package
// (examples/CMakeLists.txt, or `pkg-config --cflags --libs smartchurn`); docs/deployment.md.
//   score_customers MODEL.json CUSTOMERS.csv
#include <smartchurn/bundle.h>
#include <smartchurn/csv.h>
#include <smartchurn/error.h>
#include <smartchurn/scorer.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: score_customers MODEL.json CUSTOMERS.csv\n";
    return 2;
  }
  try {
    const smartchurn::Bundle bundle = smartchurn::load_bundle(argv[1]);
    const smartchurn::Scorer scorer(bundle);
    // id,churn_probability,risk_tier for every row, in input order.
    const smartchurn::BatchSummary summary = scorer.score_csv_file(argv[2], std::cout);
    std::cerr << summary.rows << " scored, " << summary.rejected << " rejected\n";

    // One customer: the fields the model needs, in the order of input_columns().
    smartchurn::CsvReader csv = smartchurn::CsvReader::open(argv[2]);
    std::vector<std::string> record;
    if (!csv.next(record)) return 0;
    std::vector<std::string_view> fields;
    for (const std::string& name : scorer.input_columns()) {
      const auto at = std::find(csv.header().begin(), csv.header().end(), name);
      fields.push_back(at == csv.header().end()
                           ? std::string_view()
                           : std::string_view(record[at - csv.header().begin()]));
    }
    std::printf("first customer: %.6f\n", scorer.score_record(fields));
  } catch (const smartchurn::Error& e) {
    std::cerr << "score_customers: " << e.what() << '\n';
    return 1;
  }
}
