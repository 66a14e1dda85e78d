/**
 * Paths as the view shows them. Events carry sandbox paths (`/workspace/app/index.html`); the
 * user thinks in workspace-relative ones (`app/index.html`). Display only: the host maps paths
 * for real (and refuses unsafe ones) before anything touches a file. Pure (no DOM).
 */

/** The workspace-relative form of a sandbox path under `sandboxRoot`; any other path as it is. */
export function workspacePath(path: string, sandboxRoot = '/workspace'): string {
  const normal = path.replace(/\\/g, '/');
  const root = sandboxRoot.replace(/\\/g, '/').replace(/\/+$/, '');
  if (root && (normal === root || normal === `${root}/`)) return '.';
  if (root && normal.startsWith(`${root}/`)) return normal.slice(root.length + 1).replace(/^\/+/, '') || '.';
  return normal.replace(/^\.\//, '');
}

/**
 * A key under which a tool's path and a file_edit's path compare equal: workspace-relative,
 * `./` and repeated slashes dropped. A relative path is taken as relative to the sandbox root,
 * where agents start.
 */
export function pathKey(path: string, sandboxRoot?: string): string {
  const relative = workspacePath(path.trim(), sandboxRoot);
  return relative.split('/').filter((part) => part !== '' && part !== '.').join('/');
}

/** Sandbox paths in a line of tool output, shown workspace-relative ("Wrote 12 bytes to app/a.js"). */
export function relativiseText(text: string, sandboxRoot = '/workspace'): string {
  const root = sandboxRoot.replace(/\\/g, '/').replace(/\/+$/, '');
  if (!root) return text;
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(^|[\\s'"(=])${escaped}/`, 'g'), '$1');
}

/**
 * Where a long path is cut in a narrow view: the folders (`head`) give way first and end in an
 * ellipsis, the file name (`tail`) stays whole. So `src/components/forms/SignupForm.tsx` becomes
 * `src/compo…/SignupForm.tsx`: an ellipsis in the middle, the name still readable. CSS does the
 * cutting at whatever width the view has; this only decides where the two parts meet.
 */
export function splitForEllipsis(path: string): { head: string; tail: string } {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return { head: '', tail: path };
  return { head: trimmed.slice(0, slash + 1), tail: trimmed.slice(slash + 1) + path.slice(trimmed.length) };
}
