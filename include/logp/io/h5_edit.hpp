#pragma once
// Editing an existing HDF5 file in place, for tests that craft corrupt files from good ones.
#include <string>

#include "logp/io/h5.hpp"

namespace logp {

// Unlinks the child `name` (a dataset or group) of g; g's file must be open for writing.
void h5_remove(const H5Group& g, const std::string& name);

}  // namespace logp
