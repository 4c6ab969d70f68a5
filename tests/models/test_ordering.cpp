// The Ordering value type shared by nade, nade-oa and rnade: rules, checks, describe, files.
#include <catch2/catch.hpp>
#include <fstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/ordering.hpp"
#include "logp/train/epoch_batches.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

TEST_CASE("ordering: the rules give the permutations and descriptions they name", "[ordering]") {
  const Ordering raster = Ordering::from_option("raster", 5, 4);
  CHECK(raster.permutation() == std::vector<Index>{0, 1, 2, 3});
  CHECK(raster.describe() == "raster");
  const Ordering random = Ordering::from_option("random", 7, 6);
  Rng rng(7);
  CHECK(random.permutation() == random_permutation(6, rng));
  CHECK(random.describe() == "random(seed 7)");
  const Ordering list = Ordering::from_option(" 2, 0,1 ", 0, 3);
  CHECK(list.permutation() == std::vector<Index>{2, 0, 1});
  CHECK(list.rule() == "given");
  CHECK(list.describe() == "given");

  TempDir dir;
  std::ofstream(dir.file("order.txt")) << "1 2\n0\n";
  std::string from_file = "@", from_missing_file = "@";  // "@" + std::string: a GCC 12 -Wrestrict false positive
  from_file += dir.file("order.txt");
  from_missing_file += dir.file("none.txt");
  CHECK(Ordering::from_option(from_file, 0, 3).permutation() == std::vector<Index>{1, 2, 0});
  CHECK_THROWS_WITH(Ordering::from_option(from_missing_file, 0, 3), Catch::Contains("cannot read"));
  CHECK_THROWS_WITH(Ordering::from_option("0,1,1", 0, 3), Catch::Contains("not a permutation"));
  CHECK_THROWS_WITH(Ordering::from_option("0,1", 0, 3), Catch::Contains("2 entries") && Catch::Contains("D=3"));
  CHECK_THROWS_WITH(Ordering::from_option("0,x,1", 0, 3), Catch::Contains("'x' is not a dimension index"));
}

TEST_CASE("ordering: save and load round trip, an old explicit rule reads as given", "[ordering][io]") {
  TempDir dir;
  const H5File file = H5File::create(dir.file("o.h5"));
  const Ordering random = Ordering::from_option("random", 11, 9);
  const H5Group a = file.root().create_group("a");
  random.save(a);
  const Ordering back = Ordering::load(a, 9);
  CHECK(back.permutation() == random.permutation());
  CHECK(back.describe() == "random(seed 11)");
  CHECK_THROWS_WITH(Ordering::load(a, 8), Catch::Contains("entries"));

  // nade and rnade files once kept the list's text as the rule.
  const H5Group b = file.root().create_group("b");
  b.set_attr("ordering_rule", std::string("2,0,1"));
  b.set_attr("ordering_seed", std::int64_t{0});
  const std::vector<std::int64_t> order{2, 0, 1};
  b.write<std::int64_t>("ordering", {3}, order.data());
  const Ordering old = Ordering::load(b, 3);
  CHECK(old.rule() == "given");
  CHECK(old.permutation() == std::vector<Index>{2, 0, 1});
}
