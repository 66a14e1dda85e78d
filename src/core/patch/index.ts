/** The patch engine: file_edit diffs -> safe, all-or-nothing, undoable plans. No vscode here. */
export { mapSandboxPath, checkInsideWorkspace, defaultSandboxRoot } from './paths';
export type { PathMapping, PathMappingOptions } from './paths';
export { parseFileEdit } from './parse';
export type { FileEditInput } from './parse';
export { applyHunks, bestEffortApply } from './apply';
export type { ApplyOptions, ApplyResult } from './apply';
export { RunPlanner } from './planner';
export type { PathCheck, PlanState, RunPlannerOptions } from './planner';
export type * from './types';
