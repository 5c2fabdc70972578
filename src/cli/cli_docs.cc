#include "cli/cli_docs.h"

namespace smartchurn::cli {

namespace {

// CLI11 appends each check's description to the type name: "TEXT:{bash,zsh}" for IsMember.
std::vector<std::string> choices_in(const std::string& type_name) {
  std::vector<std::string> choices;
  const auto open = type_name.find('{');
  const auto close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return choices;
  std::string current;
  for (char c : type_name.substr(open + 1, close - open - 1)) {
    if (c == ',') {
      choices.push_back(current);
      current.clear();
    } else if (c != ' ') {
      current += c;
    }
  }
  if (!current.empty()) choices.push_back(current);
  return choices;
}

OptionDoc describe_option(const CLI::Option& option) {
  OptionDoc doc;
  for (const auto& name : option.get_snames()) doc.names.push_back("-" + name);
  for (const auto& name : option.get_lnames()) doc.names.push_back("--" + name);
  if (doc.names.empty()) doc.positional_name = option.get_name(true);
  if (option.get_items_expected_max() > 0) {  // flags expect none
    const std::string type_name = option.get_type_name();
    doc.value_name = type_name.substr(0, type_name.find(':'));
    if (doc.value_name.empty()) doc.value_name = "VALUE";
    doc.choices = choices_in(type_name);
  }
  doc.description = option.get_description();
  doc.default_value = option.get_default_str();
  doc.required = option.get_required();
  doc.repeatable = option.get_items_expected_max() > 1;
  return doc;
}

std::vector<OptionDoc> named_options(const CLI::App& app) {
  std::vector<OptionDoc> options;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty() || !option->nonpositional()) continue;  // hidden, positional
    options.push_back(describe_option(*option));
  }
  return options;
}

}  // namespace

CliDoc describe_cli(const CLI::App& app, const std::string& version) {
  CliDoc cli;
  cli.program = "smartchurn";  // the installed name, not the argv[0] parse() gave the app
  cli.description = app.get_description();
  cli.version = version;
  cli.options = named_options(app);
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group().empty()) continue;  // hidden
    CommandDoc command;
    command.name = sub->get_name();
    command.description = sub->get_description();
    command.options = named_options(*sub);
    for (const CLI::Option* option : sub->get_options()) {
      if (!option->get_group().empty() && !option->nonpositional()) {
        command.positionals.push_back(describe_option(*option));
      }
    }
    cli.commands.push_back(std::move(command));
  }
  return cli;
}

}  // namespace smartchurn::cli
