#pragma once

// What the programs say about themselves (--version, the desktop integration). Fixed when CMake
// configures the build; see CMakeLists.txt beside this file.

namespace mc {

const char *projectVersion(); // "0.1.0": the CMake project version, also the package's version
const char *sourceRevision(); // the git revision built from, or "" outside a git checkout
const char *versionText();    // "0.1.0 (git 1c11ea9)", or "0.1.0" without a revision
const char *applicationId();  // reverse DNS: the desktop entry, icon and AppStream metainfo id

} // namespace mc
