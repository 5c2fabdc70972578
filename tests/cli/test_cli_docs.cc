// The generated shell completions and man page (smartchurn completion bash|zsh, smartchurn man):
// they work in the real shells and man, and cover every command and option `--help` lists.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace smartchurn::test {

namespace {

// What bash's completion function offers for `words`, the last one being completed.
std::string bash_completions(const std::string& script, const std::string& words) {
  const RunResult result =
      run_program({"/bin/bash", "-c",
                   "source " + script + "; COMP_WORDS=(" + words +
                       "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));" + " [[ \"" + words +
                       "\" == *' ' ]] && { COMP_WORDS+=(''); COMP_CWORD=$((COMP_CWORD + 1)); };" +
                       " _smartchurn; echo \"${COMPREPLY[*]}\""});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out.empty() ? result.out : result.out.substr(0, result.out.size() - 1);
}

std::string written(const TempDir& dir, const std::vector<std::string>& args,
                    const std::string& name) {
  std::vector<std::string> with_out = args;
  with_out.insert(with_out.end(), {"-o", dir.file(name)});
  const RunResult result = run_cli(with_out);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return dir.file(name);
}

// The names `--help` lists under its "Subcommands:", "Options:" or "Positionals:" heading:
// the first word of each indented line ("-m,--model" gives -m and --model).
std::vector<std::string> help_names(const std::string& help, const std::string& heading) {
  std::vector<std::string> names;
  bool in_section = false;
  for (const auto& line : lines_of(help)) {
    if (line.empty() || line[0] != ' ') {
      in_section = line == heading;
      continue;
    }
    if (!in_section || line.size() < 3 || line[2] == ' ') continue;
    const std::string first = line.substr(2, line.find(' ', 2) - 2);
    std::size_t start = 0;
    for (std::size_t comma; (comma = first.find(',', start)) != std::string::npos;
         start = comma + 1) {
      names.push_back(first.substr(start, comma - start));
    }
    names.push_back(first.substr(start));
  }
  return names;
}

// The roff source with \- as typed and font changes dropped, to search for names.
std::string plain_roff(const std::string& roff) {
  std::string out;
  for (std::size_t i = 0; i < roff.size(); ++i) {
    if (roff.compare(i, 2, "\\-") == 0) {
      out += '-';
      ++i;
    } else if (roff.compare(i, 2, "\\f") == 0 && i + 2 < roff.size()) {
      out += ' ';
      i += 2;
    } else {
      out += roff[i];
    }
  }
  return out + ' ';
}

}  // namespace

TEST(CliDocs, BashCompletesCommandsOptionsAndChoices) {
  TempDir dir;
  const std::string script = written(dir, {"completion", "bash"}, "smartchurn.bash");
  EXPECT_EQ(bash_completions(script, "smartchurn pre"), "predict");
  EXPECT_EQ(bash_completions(script, "smartchurn --vers"), "--version");
  EXPECT_EQ(bash_completions(script, "smartchurn predict --mo"), "--model");
  EXPECT_EQ(bash_completions(script, "smartchurn train data.csv --no-c"), "--no-combined");
  EXPECT_EQ(bash_completions(script, "smartchurn completion "), "bash zsh");
  EXPECT_EQ(bash_completions(script, "smartchurn predict --threads "), "");  // a number
  // An option's value completes file names.
  std::filesystem::create_directory(dir.file("models"));
  EXPECT_EQ(bash_completions(script, "smartchurn predict --model " + dir.file("mod")),
            dir.file("models"));
}

TEST(CliDocs, ZshScriptParses) {
  if (!std::filesystem::exists("/usr/bin/zsh"))
    GTEST_SKIP() << "zsh is not installed (apt-get install zsh)";
  TempDir dir;
  const std::string script = written(dir, {"completion", "zsh"}, "_smartchurn");
  const RunResult check = run_program({"/usr/bin/zsh", "-n", script});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.err, "");
  const std::string text = read_file(script);
  EXPECT_EQ(text.rfind("#compdef smartchurn\n", 0), 0U);
  EXPECT_NE(text.find("'(-m --model)--model[Model bundle written by train]"), std::string::npos);
}

TEST(CliDocs, ManPageHasNoWarnings) {
  TempDir dir;
  const std::string page = written(dir, {"man"}, "smartchurn.1");
  if (std::filesystem::exists("/usr/bin/groff")) {
    const RunResult groff = run_program({"/usr/bin/groff", "-man", "-ww", "-z", page});
    EXPECT_EQ(groff.exit_code, 0) << groff.err;
    EXPECT_EQ(groff.err, "");
  }
  if (!std::filesystem::exists("/usr/bin/man")) GTEST_SKIP() << "man is not installed (man-db)";
  const RunResult man = run_program({"/usr/bin/man", "--warnings", "-l", page});
  EXPECT_EQ(man.exit_code, 0) << man.err;
  EXPECT_EQ(man.err, "");
  EXPECT_NE(man.out.find("SMARTCHURN(1)"), std::string::npos);
}

TEST(CliDocs, ManPageNamesEveryCommandAndOptionOfHelp) {
  TempDir dir;
  const std::string roff = plain_roff(read_file(written(dir, {"man"}, "smartchurn.1")));
  const std::string help = run_cli({"--help"}).out;
  const auto commands = help_names(help, "Subcommands:");
  ASSERT_GE(commands.size(), 10U) << help;
  for (const auto& option : help_names(help, "Options:")) {
    EXPECT_NE(roff.find(" " + option + " "), std::string::npos) << option;
  }
  for (const auto& command : commands) {
    const auto section = roff.find(".SS " + command + "\n");
    ASSERT_NE(section, std::string::npos) << command;
    const std::string text = roff.substr(section, roff.find(".SS ", section + 1) - section);
    const std::string command_help = run_cli({command, "--help"}).out;
    auto names = help_names(command_help, "Options:");
    const auto positionals = help_names(command_help, "Positionals:");
    names.insert(names.end(), positionals.begin(), positionals.end());
    ASSERT_FALSE(names.empty()) << command;
    for (const auto& name : names)
      EXPECT_NE(text.find(" " + name + " "), std::string::npos) << command << " " << name;
  }
}

TEST(CliDocs, BuildWritesThemBesideTheBinary) {
  const auto share = std::filesystem::path(SMARTCHURN_BINARY).parent_path() / "share";
  EXPECT_EQ(read_file((share / "man/man1/smartchurn.1").string()), run_cli({"man"}).out);
  EXPECT_EQ(read_file((share / "bash-completion/completions/smartchurn").string()),
            run_cli({"completion", "bash"}).out);
  EXPECT_EQ(read_file((share / "zsh/site-functions/_smartchurn").string()),
            run_cli({"completion", "zsh"}).out);
}

}  // namespace smartchurn::test
