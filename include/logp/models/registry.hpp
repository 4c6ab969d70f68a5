#pragma once
// The model registry: the only list of model types (models/model_entry.hpp). Model files are
// loaded back by their type name; `logp fit`, its help and the model checker read the entries.
#include <memory>
#include <string_view>
#include <vector>

#include "logp/models/model_entry.hpp"

namespace logp {

class H5Group;

const std::vector<ModelEntry>& model_entries();
// The entry of `type`; throws an Error listing the known types if there is none.
const ModelEntry& model_entry(std::string_view type);

std::unique_ptr<Model> load_model_of_type(std::string_view type, const H5Group& g, const DataSpec& spec);
std::vector<std::string_view> registered_model_types();

}  // namespace logp
