#pragma once

// The failure filter flags shared by `failures` and `retry`:
//   --model NAME --error-class E --portal P --since T --until T --search TEXT
//   --group FINGERPRINT --include-resolved

#include "command_context.h"
#include "failures.h"

namespace mc::cli {

QStringList failureFilterOptions();
bool hasFailureFilter(const ParsedArguments &args); // any filter flag given

// The filter the flags describe; --model is looked up in the store (usage error when unknown).
FailureFilter failureFilterFrom(CommandContext &context);

} // namespace mc::cli
