/**
 * The one home of every identifier the extension shares with package.json: command ids, view ids,
 * setting keys, context keys. package.json uses the same strings (a unit test checks it).
 */
export const EXTENSION_ID = 'runtools-community.runtools-agent';

export const Commands = {
  runPrompt: 'runtools.runPrompt',
  runSelection: 'runtools.runSelection',
  openChat: 'runtools.openChat',
  cancelRun: 'runtools.cancelRun',
  pauseRun: 'runtools.pauseRun',
  resumeRun: 'runtools.resumeRun',
  answerAgent: 'runtools.answerAgent',
  retryRun: 'runtools.retryRun',
  undoRun: 'runtools.undoRun',
  reviewEdits: 'runtools.reviewEdits',
  keepChanges: 'runtools.keepChanges',
  undoChanges: 'runtools.undoChanges',
  nextChange: 'runtools.nextChange',
  previousChange: 'runtools.previousChange',
  resolveConflict: 'runtools.resolveConflict',
  applyMerge: 'runtools.applyMerge',
  discardMerge: 'runtools.discardMerge',
  openDevUrl: 'runtools.openDevUrl',
  openRunInEditor: 'runtools.openRunInEditor',
  showHistory: 'runtools.showHistory',
  newChat: 'runtools.newChat',
  setApiKey: 'runtools.setApiKey',
  clearApiKey: 'runtools.clearApiKey',
  tryLocalServer: 'runtools.tryLocalServer',
  stopLocalServer: 'runtools.stopLocalServer',
  showLog: 'runtools.showLog',
  addContext: 'runtools.addContext',
  deleteFromHistory: 'runtools.deleteFromHistory',
  exportRun: 'runtools.exportRun',
} as const;

export const Views = {
  container: 'runtools',
  chat: 'runtools.chat',
  runPanel: 'runtools.runPanel',
} as const;

export const ContextKeys = {
  runActive: 'runtools.runActive',
  localServerRunning: 'runtools.localServerRunning',
  hasRuns: 'runtools.hasRuns',
  /** The cursor is in one of the agent's changes waiting for a decision (Keep/Undo shortcuts). */
  changeAtCursor: 'runtools.changeAtCursor',
  /** The active editor's file has agent changes waiting for a decision. */
  fileHasChanges: 'runtools.fileHasChanges',
} as const;

export const SETTINGS_SECTION = 'runtools';

export const Settings = {
  baseUrl: 'baseUrl',
  apiSlug: 'apiSlug',
  apiStyle: 'apiStyle',
  stream: 'stream',
  params: 'params',
  context: 'context',
  mounts: 'mounts',
  sandboxRoot: 'sandboxRoot',
  applyEdits: 'applyEdits',
  protectedPaths: 'protectedPaths',
  openDevUrl: 'openDevUrl',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
} as const;

/** Where keys are kept in SecretStorage: one per origin, `runtools.apiKey:https://api.runtools.ai`. */
export const SECRET_API_KEY_PREFIX = 'runtools.apiKey:';
/** The single key of versions before keys were kept per origin; moved on first use (apiKeyStore.ts). */
export const LEGACY_SECRET_API_KEY = 'runtools.apiKey';
/** globalState: the origins from workspace settings the user approved (never a setting: a repository could write it). */
export const APPROVED_ORIGINS_STATE = 'runtools.approvedOrigins';
export const ENV_API_KEY = 'RUNTOOLS_API_KEY';
export const ENV_API_URL = 'RUNTOOLS_API_URL';
export const DEFAULT_BASE_URL = 'https://api.runtools.ai';
