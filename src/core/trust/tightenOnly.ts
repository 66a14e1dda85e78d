/**
 * The rule for safety settings: a repository's settings (workspace or folder values, which come
 * from files anyone can commit) may make the extension stricter than the user's own choice,
 * never looser. VS Code's own precedence (folder over workspace over user) would let a cloned
 * repository switch safety off; these functions merge the layers by strictness instead.
 */

/** A setting's values per layer, as `WorkspaceConfiguration.inspect` returns them. */
export interface SettingLayers {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type LayerName = 'default' | 'user' | 'workspace' | 'workspaceFolder';

/**
 * The strictest of the user's value (or the default) and the repository's values.
 * `order` runs from the loosest to the strictest; values outside it are ignored.
 */
export function strictestOf<T extends string>(layers: SettingLayers | undefined, order: readonly T[], fallback: T): { value: T; from: LayerName } {
  const valid = (value: unknown): value is T => typeof value === 'string' && (order as readonly string[]).includes(value);
  let result: { value: T; from: LayerName } = valid(layers?.globalValue) ? { value: layers!.globalValue as T, from: 'user' }
    : valid(layers?.defaultValue) ? { value: layers!.defaultValue as T, from: 'default' }
      : { value: fallback, from: 'default' };
  for (const [from, value] of [['workspace', layers?.workspaceValue], ['workspaceFolder', layers?.workspaceFolderValue]] as const) {
    if (valid(value) && order.indexOf(value) > order.indexOf(result.value)) result = { value, from };
  }
  return result;
}

/**
 * A list the repository may only add to: the user's list (or the default one when the user set
 * none: the user may shorten it, even to nothing), plus the workspace's and the folder's entries.
 */
export function unionOfLists(layers: SettingLayers | undefined, defaults: readonly string[]): { value: string; from: LayerName }[] {
  const user = stringList(layers?.globalValue);
  const seen = new Set<string>();
  const result: { value: string; from: LayerName }[] = [];
  const add = (values: readonly string[], from: LayerName) => {
    for (const value of values) {
      if (seen.has(value)) continue;
      seen.add(value);
      result.push({ value, from });
    }
  };
  add(user ?? defaults, user ? 'user' : 'default');
  add(stringList(layers?.workspaceValue) ?? [], 'workspace');
  add(stringList(layers?.workspaceFolderValue) ?? [], 'workspaceFolder');
  return result;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}
