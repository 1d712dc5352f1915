// The `ondevice` command, also usable programmatically (tests, wrappers).
export { BENCH_HELP, findBenchDir, runBenchCommand, summaryOf } from './bench-command.js';
export type { AssetPlan, AssetPlanOptions, CopiedAsset, PlannedAsset } from './commands/assets.js';
export {
  ASSET_TASKS,
  ASSETS_HELP,
  assetPlan,
  checkedBytes,
  copyAssets,
  runAssetsCommand,
} from './commands/assets.js';
export { main, mainHelp } from './cli.js';
export { CliError, EXIT, oneLine, UsageError } from './exit-codes.js';
export type { InputItem, InputKind, InputProblem } from './inputs.js';
export { EXTENSIONS, expandGlob, expandInputs, globToRegExp, hasMagic } from './inputs.js';
export type { KnownModel } from './models-command.js';
export { knownModels, MODELS_HELP, runModelsCommand, TASK_PACKAGES } from './models-command.js';
export type { Outcome } from './pool.js';
export { runPool } from './pool.js';
export type { Progress } from './progress.js';
export { createProgress, formatBytes } from './progress.js';
export type { Io } from './run-task.js';
export { COMMON_FLAGS, parseFlags, runTaskCommand, taskHelp } from './run-task.js';
export type { Runner, RunnerSettings, SerializedError } from './runner.js';
export { createRunner, packageDir, serializeError } from './runner.js';
export type { FlagSpec, FlagValues, TaskCommand } from './tasks.js';
export { FlagValueError, findTask, TASKS } from './tasks.js';
