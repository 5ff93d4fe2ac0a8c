// Only the header matters: this target gives Swift the declaration of LLVMFuzzerRunDriver.
#include "CFuzzDriver.h"
