#pragma once

#include <QString>

namespace mc::cli {

QString usageText(); // migctl --help

} // namespace mc::cli
