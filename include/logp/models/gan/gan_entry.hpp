#pragma once
// The GAN family's registry entries: gan, dcgan, lsgan (models/gan/gan.hpp).
#include "logp/models/model_entry.hpp"

namespace logp {

ModelEntry gan_entry();
ModelEntry dcgan_entry();
ModelEntry lsgan_entry();

}  // namespace logp
