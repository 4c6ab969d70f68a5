#pragma once
// Loading a saved model back by its type name. Every model type adds one line to the table in
// src/models/registry.cpp: its name and its static load(group, spec) function.
#include <memory>
#include <string_view>
#include <vector>

#include "logp/model.hpp"

namespace logp {

class H5Group;

std::unique_ptr<Model> load_model_of_type(std::string_view type, const H5Group& g, const DataSpec& spec);
std::vector<std::string_view> registered_model_types();

}  // namespace logp
