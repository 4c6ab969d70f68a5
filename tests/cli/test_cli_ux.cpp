// The command line as people expect it: --version with the git revision, a bash completion made
// from the app itself, progress on stderr (and --quiet), and pictures of single runs (SVG or PNG).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "support/dataset_file.hpp"
#include "support/decoded_png.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// The names listed under "Subcommands:" in a --help text.
std::vector<std::string> help_subcommands(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream lines(help.substr(help.find("Subcommands:")));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line) && line.starts_with("  ") && line.size() > 2 && line[2] != ' ')
    names.push_back(line.substr(2, line.find(' ', 2) - 2));
  return names;
}

// Every --long option named in a --help text.
std::set<std::string> help_options(const std::string& help) {
  std::set<std::string> names;
  const std::regex option(R"((^|[ ,])(--[a-z0-9][a-z0-9-]*))");
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("  -"))
      for (std::sregex_iterator it(line.begin(), line.end(), option), end; it != end; ++it) names.insert((*it)[2]);
  return names;
}

// The completions bash offers for the words typed so far (the last one being completed), as
// " a b c " (a space before and after each).
std::string complete(const std::string& script, const std::string& words) {
  TempDir dir;
  std::ofstream(dir.file("c.bash")) << script << "COMP_WORDS=(" << words
                                    << ")\nCOMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n_logp\necho \"${COMPREPLY[*]}\"\n";
  const std::string command = "bash " + dir.file("c.bash") + " > " + dir.file("out");
  REQUIRE(std::system(command.c_str()) == 0);
  std::string offered = read_text(dir.file("out"));
  if (!offered.empty() && offered.back() == '\n') offered.pop_back();
  return " " + offered + " ";
}

// A structural check of an SVG document: one <svg> root, every element closed in order, text
// with no raw '<' or '&' outside entities.
void check_svg(const std::string& svg) {
  REQUIRE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  std::vector<std::string> open;
  size_t roots = 0;
  for (size_t at = svg.find('<'); at != std::string::npos; at = svg.find('<', at + 1)) {
    const size_t end = svg.find('>', at);
    REQUIRE(end != std::string::npos);
    const std::string tag = svg.substr(at + 1, end - at - 1);
    REQUIRE(!tag.empty());
    if (tag.front() == '/') {
      REQUIRE(!open.empty());
      CHECK(open.back() == tag.substr(1));
      open.pop_back();
    } else if (tag.back() != '/') {
      const std::string name = tag.substr(0, tag.find_first_of(" \n"));
      if (open.empty()) ++roots;
      open.push_back(name);
    } else if (open.empty()) {
      ++roots;
    }
    const std::string text = svg.substr(end + 1, svg.find('<', end) - end - 1);
    for (size_t amp = text.find('&'); amp != std::string::npos; amp = text.find('&', amp + 1))
      CHECK(text.find(';', amp) != std::string::npos);
  }
  CHECK(open.empty());
  CHECK(roots == 1);
}

// The x-axis tick labels of a line chart: numeric <text> centred under the plot.
std::vector<std::string> x_ticks(const std::string& svg) {
  std::vector<std::string> ticks;
  const std::regex tick(R"(text-anchor="middle">(-?[0-9.]+)</text>)");
  for (std::sregex_iterator it(svg.begin(), svg.end(), tick), end; it != end; ++it) ticks.push_back((*it)[1]);
  return ticks;
}

}  // namespace

TEST_CASE("cli: --version gives the version and the build's git revision", "[cli][version]") {
  const CliResult result = run_cli("--version");
  REQUIRE(result.exit_code == 0);
  CHECK(std::regex_search(result.out, std::regex(R"(^logp [0-9]+\.[0-9]+\.[0-9]+ \(git [0-9a-z-]+\)\n$)")));
}

TEST_CASE("cli: the bash completion lists every subcommand and the options of fit nade", "[cli][completion]") {
  const CliResult script = run_cli("completion");
  REQUIRE(script.exit_code == 0);
  REQUIRE_THAT(script.out, Catch::Contains("complete -o default -F _logp logp"));

  const std::vector<std::string> verbs = help_subcommands(run_cli("--help").out);
  REQUIRE(verbs.size() >= 10);
  const std::string top = complete(script.out, "logp \"\"");
  for (const std::string& verb : verbs) CHECK_THAT(top, Catch::Contains(" " + verb + " "));
  const std::vector<std::string> models = help_subcommands(run_cli("fit --help").out);
  REQUIRE(std::find(models.begin(), models.end(), "nade") != models.end());
  const std::string fit = complete(script.out, "logp fit \"\"");
  for (const std::string& model : models) CHECK_THAT(fit, Catch::Contains(" " + model + " "));

  const std::set<std::string> options = help_options(run_cli("fit nade --help").out);
  REQUIRE(options.count("--hidden") == 1);
  const std::string nade = complete(script.out, "logp fit nade --");
  for (const std::string& option : options) CHECK_THAT(nade, Catch::Contains(" " + option + " "));
  CHECK(complete(script.out, "logp fit nade --hid") == " --hidden ");
  CHECK(complete(script.out, "logp --quiet fit nade-") == " nade-oa ");
  CHECK(complete(script.out, "logp fit nade --data \"\"") == "  ");  // a value: bash completes file names
}

TEST_CASE("cli: fit reports each epoch on stderr as plain lines, --quiet reports nothing", "[cli][progress]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 8, 120, 2);
  const CliResult fit = run_cli("fit nade --hidden 4 --epochs 3 --data " + data + " --out " + dir.file("m.h5"));
  REQUIRE(fit.exit_code == 0);
  CHECK(fit.err.find('\r') == std::string::npos);  // stderr is a file here: no redrawn line
  for (int epoch = 1; epoch <= 3; ++epoch)
    CHECK_THAT(fit.err, Catch::Contains("epoch " + std::to_string(epoch) + "/3: train NLL"));
  CHECK_THAT(fit.err, Catch::Contains("valid NLL"));
  const CliResult quiet = run_cli("--quiet fit nade --hidden 4 --epochs 3 --data " + data + " --out " + dir.file("q.h5"));
  REQUIRE(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
  CHECK_THAT(quiet.out, Catch::Contains("wrote " + dir.file("q.h5")));  // stdout keeps the result
}

TEST_CASE("cli: fit --plot draws the training curve with ticks at whole epochs", "[cli][plot]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 8, 120, 2);
  const CliResult fit = run_cli("--quiet fit nade --hidden 4 --epochs 3 --data " + data + " --out " + dir.file("m.h5") +
                                " --plot " + dir.file("curve.svg"));
  INFO(fit.err);
  REQUIRE(fit.exit_code == 0);
  const std::string svg = read_text(dir.file("curve.svg"));
  check_svg(svg);
  CHECK_THAT(svg, Catch::Contains("train NLL") && Catch::Contains("valid NLL") && Catch::Contains(">epoch</text>"));
  const std::vector<std::string> ticks = x_ticks(svg);
  REQUIRE(ticks.size() >= 3);
  for (const std::string& tick : ticks) CHECK(tick.find('.') == std::string::npos);  // 1, 2, 3: never 1.5
  CHECK(std::find(ticks.begin(), ticks.end(), "3") != ticks.end());

  // A picture is an output: never over an input, never from a model without epochs, only SVG or PNG.
  CHECK(run_cli("fit nade --epochs 1 --data " + data + " --out " + dir.file("m2.h5") + " --plot " + data).exit_code == 2);
  CHECK(run_cli("fit bernoulli --data " + data + " --out " + dir.file("b.h5") + " --plot " + dir.file("b.svg")).exit_code == 2);
  const CliResult jpeg = run_cli("fit nade --epochs 1 --data " + data + " --out " + dir.file("m3.h5") + " --plot " + dir.file("c.jpg"));
  CHECK(jpeg.exit_code == 2);
  CHECK_THAT(jpeg.err, Catch::Contains("--plot " + dir.file("c.jpg") + ": give a .svg or .png file name"));
}

TEST_CASE("cli: --plot, --roc-plot and compare --plot write a PNG for a .png name", "[cli][plot]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 8, 100, 2);
  const std::string other = write_discrete_dataset(dir.file("o.h5"), 8, 100, 2);
  REQUIRE(run_cli("--quiet fit nade --hidden 4 --epochs 2 --data " + data + " --out " + dir.file("m.h5") + " --plot " +
                  dir.file("curve.png")).exit_code == 0);
  REQUIRE(run_cli("fit bernoulli --alpha 1 --data " + data + " --out " + dir.file("a.h5")).exit_code == 0);
  REQUIRE(run_cli("--quiet anomaly --model " + dir.file("a.h5") + " --data " + data + " --outliers " + other +
                  " --bootstrap 20 --roc-plot " + dir.file("roc.png")).exit_code == 0);
  REQUIRE(run_cli("--quiet compare --bootstrap 20 --data " + data + " --model " + dir.file("a.h5") + " --model " +
                  dir.file("m.h5") + " --plot " + dir.file("pairs.png")).exit_code == 0);
  // Twice the SVG's size (plot/picture.hpp): 640 x (360 + one legend row) and 760 x (one row).
  for (const auto& [name, width, height] : {std::tuple{"curve.png", 1280, 768}, {"roc.png", 1280, 768}, {"pairs.png", 1520, 212}}) {
    const logp::testing::DecodedPng png = logp::testing::decode_png(dir.file(name));
    INFO(name);
    REQUIRE(png.decoded());
    CHECK((png.width == width && png.height == height));
    CHECK(png.at(0, 0) == std::vector<int>{255, 255, 255});
    // The plot's frame (#404040) at a top corner the data do not reach, times 2: the left one of
    // the line charts (70, 32); the right one of the intervals (590, 32), whose left edge is the line at 0.
    CHECK(png.at(name == std::string("pairs.png") ? 1180 : 140, 64) == std::vector<int>{0x40, 0x40, 0x40});
  }
  CHECK(run_cli("compare --data " + data + " --model " + dir.file("a.h5") + " --model " + dir.file("m.h5") + " --plot " +
                dir.file("pairs.PDF")).exit_code == 2);
}

TEST_CASE("cli: anomaly --roc-plot and compare --plot write valid SVG", "[cli][plot]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 8, 100, 2);
  const std::string other = write_discrete_dataset(dir.file("o.h5"), 8, 100, 2);
  REQUIRE(run_cli("fit bernoulli --alpha 1 --data " + data + " --out " + dir.file("a.h5")).exit_code == 0);
  REQUIRE(run_cli("fit markov --data " + data + " --out " + dir.file("b.h5")).exit_code == 0);

  const CliResult anomaly = run_cli("--quiet anomaly --model " + dir.file("a.h5") + " --data " + data + " --outliers " + other +
                                    " --bootstrap 50 --roc-plot " + dir.file("roc.svg"));
  INFO(anomaly.err);
  REQUIRE(anomaly.exit_code == 0);
  const std::string roc = read_text(dir.file("roc.svg"));
  check_svg(roc);
  CHECK_THAT(roc, Catch::Contains("AUROC") && Catch::Contains("false positive rate"));
  CHECK(run_cli("anomaly --model " + dir.file("a.h5") + " --data " + data + " --roc-plot " + dir.file("r2.svg")).exit_code == 2);
  CHECK(run_cli("anomaly --model " + dir.file("a.h5") + " --data " + data + " --outliers " + other + " --roc-plot " +
                other).exit_code == 2);

  const CliResult compare = run_cli("--quiet compare --bootstrap 50 --data " + data + " --model " + dir.file("a.h5") +
                                    " --model " + dir.file("b.h5") + " --plot " + dir.file("pairs.svg"));
  INFO(compare.err);
  REQUIRE(compare.exit_code == 0);
  const std::string pairs = read_text(dir.file("pairs.svg"));
  check_svg(pairs);
  CHECK_THAT(pairs, Catch::Contains(" vs ") && Catch::Contains("stroke-dasharray=\"2 4\""));  // the line at 0
  CHECK(run_cli("compare --data " + data + " --model " + dir.file("a.h5") + " --model " + dir.file("b.h5") +
                " --plot " + dir.file("a.h5")).exit_code == 2);
}
