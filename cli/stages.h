// claimdiff's stage commands (repeats, df, sketch, candidates, cluster): `compare` split into
// steps that a distributed engine schedules (report/stages.h, python/claimdiff_dask.py).
#ifndef CLAIMDIFF_CLI_STAGES_H_
#define CLAIMDIFF_CLI_STAGES_H_

#include <string_view>
#include <vector>

namespace claimdiff::cli {

// Whether `command` is a stage command.
bool IsStageCommand(std::string_view command);

// Runs stage command `command` with `args` (after the command name); returns the exit code.
int RunStage(std::string_view command, const std::vector<std::string_view>& args);

}  // namespace claimdiff::cli

#endif  // CLAIMDIFF_CLI_STAGES_H_
