#pragma once
// The order in which an autoregressive model visits the D dimensions: a permutation of 0..D-1,
// checked when made, with the rule that made it. NADE, RNADE and nade-oa hold one each and
// save and load it the same way.
#include <cstdint>
#include <string>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp {

class H5Group;

class Ordering {
 public:
  // From the --ordering option: "raster" (0, 1, ..., D-1), "random" (a permutation drawn from
  // seed), "i,j,k,..." or "@FILE" (that list read from FILE). Refuses a list that is not a
  // permutation of 0..dim-1, naming the option or the file.
  static Ordering from_option(const std::string& option, std::uint64_t seed, Index dim);
  // A permutation as stored by save (a rule other than raster and random reads as "given");
  // refuses a non-permutation, naming `where`.
  static Ordering stored(std::vector<Index> permutation, const std::string& rule, std::uint64_t seed, Index dim,
                         const std::string& where);

  const std::vector<Index>& permutation() const { return permutation_; }  // [k]: dimension visited k-th
  Index size() const { return static_cast<Index>(permutation_.size()); }
  const std::string& rule() const { return rule_; }  // "raster", "random" or "given"
  std::uint64_t seed() const { return seed_; }        // of the rule "random"
  // How it reads in hyperparameters(): "raster", "random(seed S)" or "given".
  std::string describe() const;

  // Writes the attributes ordering_rule and ordering_seed and the int64 dataset "ordering" (D)
  // into g; load reads them back, checking the permutation against dim.
  void save(const H5Group& g) const;
  static Ordering load(const H5Group& g, Index dim);

 private:
  Ordering(std::vector<Index> permutation, std::string rule, std::uint64_t seed);

  std::vector<Index> permutation_;
  std::string rule_;
  std::uint64_t seed_ = 0;
};

}  // namespace logp
