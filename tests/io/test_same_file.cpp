// same_file: one file by inode where both exist, by resolved path otherwise.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "logp/io/same_file.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

TEST_CASE("same_file: links and spellings of one file are the same, other files are not", "[io]") {
  TempDir dir;
  std::ofstream(dir.file("a")) << "a";
  std::ofstream(dir.file("b")) << "b";
  std::filesystem::create_hard_link(dir.file("a"), dir.file("hard"));
  std::filesystem::create_symlink(dir.file("a"), dir.file("soft"));
  std::filesystem::create_directory(dir.file("sub"));

  CHECK(same_file(dir.file("a"), dir.file("a")));
  CHECK(same_file(dir.file("a"), dir.file("hard")));
  CHECK(same_file(dir.file("soft"), dir.file("a")));
  CHECK(same_file(dir.file("a"), dir.file("sub/../a")));
  CHECK_FALSE(same_file(dir.file("a"), dir.file("b")));
  // Not yet existing outputs: the same resolved path.
  CHECK(same_file(dir.file("new"), dir.file("sub/../new")));
  CHECK(same_file(dir.file("sub/new"), dir.file("sub/./new")));
  CHECK_FALSE(same_file(dir.file("new"), dir.file("other")));
  CHECK_FALSE(same_file(dir.file("new"), dir.file("a")));
  CHECK_FALSE(same_file("", ""));
  CHECK_FALSE(same_file(dir.file("a"), ""));
}
