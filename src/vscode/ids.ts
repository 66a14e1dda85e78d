/**
 * The one home of every identifier the extension shares with package.json: command ids, view ids,
 * setting keys. package.json must use the same strings (a unit test checks it).
 */
export const EXTENSION_ID = 'runtools-community.runtools-agent';

export const Commands = {
  openChat: 'runtools.openChat',
  showLog: 'runtools.showLog',
} as const;

export const Views = {
  container: 'runtools',
  chat: 'runtools.chat',
} as const;

export const SETTINGS_SECTION = 'runtools';

export const Settings = {
  baseUrl: 'baseUrl',
} as const;
