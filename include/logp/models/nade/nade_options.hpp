#pragma once
// Option declarations shared by the NADE-style families (nade, nade-oa, rnade): the activation
// and the ordering of the dimensions.
#include <cstdint>
#include <string>

#include "logp/models/nade/nade_kernel.hpp"
#include "logp/models/option_list.hpp"

namespace logp {

void declare_activation_option(OptionList& options, Activation& activation);
// --ordering raster|random|i,j,k,...|@FILE and --ordering-seed.
void declare_ordering_options(OptionList& options, std::string& ordering, std::uint64_t& seed);

}  // namespace logp
