// End to end: the standard error of a mean over one example is undefined; score and compare
// print "n/a" for it, never "nan" or "± 0.00". A split of no examples is refused.
#include <catch2/catch.hpp>

#include "logp/data/dataset_writer.hpp"
#include "support/binary_data.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// train: 20 examples; one: 1 example; none: 0 examples (D = 4, binary).
std::string write_small_splits(const std::string& path) {
  DatasetWriter writer(path, discrete_spec(4, 2), {{"source", "test"}});
  for (const auto& [split, n] : {std::pair{"train", 20}, std::pair{"one", 1}, std::pair{"none", 0}}) {
    const Matrix x = random_discrete(4, n, 2, 5);
    writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), {});
  }
  writer.commit();
  return path;
}

}  // namespace

TEST_CASE("score and compare: N = 1 prints n/a for the standard error, N = 0 is refused", "[cli][score][compare]") {
  TempDir dir;
  const std::string d = write_small_splits(dir.file("d.h5"));
  const std::string a = dir.file("a.h5"), b = dir.file("b.h5");
  REQUIRE(run_cli("fit bernoulli --data " + d + " --out " + a).exit_code == 0);
  REQUIRE(run_cli("fit markov --order 1 --data " + d + " --out " + b).exit_code == 0);

  const CliResult one = run_cli("score --model " + a + " --model " + b + " --data " + d + " --split one");
  INFO(one.out << one.err);
  CHECK(one.exit_code == 0);
  CHECK_THAT(one.out, Catch::Contains("± n/a"));
  CHECK_THAT(one.out, !Catch::Contains("nan") && !Catch::Contains("± 0.00"));

  const CliResult none = run_cli("score --model " + a + " --data " + d + " --split none");
  INFO(none.out << none.err);
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains(d + ":/none/x: the split is empty (N = 0)"));

  // A paired comparison needs two examples: refused with the reason, no table of NaNs.
  const CliResult compared = run_cli("compare --model " + a + " --model " + b + " --data " + d + " --split one");
  INFO(compared.out << compared.err);
  CHECK(compared.exit_code == 1);
  CHECK_THAT(compared.err, Catch::Contains("at least 2"));
  CHECK_THAT(compared.out, !Catch::Contains("nan"));
}
