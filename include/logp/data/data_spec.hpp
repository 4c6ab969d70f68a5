#pragma once
// What kind of examples a dataset holds, and so what a model over it must accept.
#include <string>
#include <string_view>
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

class H5Group;

enum class DataKind { binary, categorical, real };

std::string_view to_string(DataKind kind);
DataKind parse_data_kind(std::string_view text);  // "binary" | "categorical" | "real"

struct DataSpec {
  DataKind kind = DataKind::binary;
  int levels = 2;                // values 0..levels-1; 2 for binary, 0 for real
  Index dim = 0;                 // D
  std::vector<Index> shape;      // (H, W, C) for images, empty otherwise; product == dim

  bool is_discrete() const { return kind != DataKind::real; }
  bool is_image() const { return shape.size() == 3; }
  std::string describe() const;  // "binary, D=784 (28x28x1)"

  // Throws unless data of spec `data` can be scored by a model of this spec;
  // `where` names the data (file:/split/x).
  void check_accepts(const DataSpec& data, const std::string& where) const;

  // Stored as attributes kind, levels, dim and (images only) shape on a group.
  void save(const H5Group& g) const;
  static DataSpec load(const H5Group& g);
};

// Builds a spec from the command-line shape text "H,W,C" (empty: no shape).
std::vector<Index> parse_shape(const std::string& text, Index dim);

}  // namespace logp
