// SwiftPM builds a C target only if it has a source file. The functions
// declared in include/KopoKopoFFI.h live in libkopokopo_uniffi.
#include "KopoKopoFFI.h"
