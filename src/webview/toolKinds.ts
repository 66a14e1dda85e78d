/**
 * What a tool call is, for the view: a shell command, an operation on one file, or anything else.
 * Agents name their tools freely (`bash`, `run_command`, `write_file`, `str_replace_editor`,
 * `Edit`...), so this reads the tool name and the usual input fields; an unknown shape is
 * `other` and is shown raw. Pure (no DOM).
 */
export type ToolKind =
  | { kind: 'shell'; command: string }
  | { kind: 'file'; action: FileAction; path: string }
  | { kind: 'other' };

/** `write` covers every tool that changes a file; such a call folds into the edit card that follows it. */
export type FileAction = 'write' | 'read' | 'list' | 'search';

const SHELL = /^(bash|shell|sh|zsh|terminal|run|exec|execute|run_command|execute_command|run_shell_command|shell_command|run_terminal_cmd|command)$/i;
const PATH_FIELDS = ['path', 'file_path', 'filePath', 'filepath', 'file', 'filename', 'target_file', 'targetFile'];
/** str_replace_editor-style tools say what they do in `command`. */
const EDITOR_COMMANDS: Record<string, FileAction> = { view: 'read', create: 'write', str_replace: 'write', insert: 'write', undo_edit: 'write', write: 'write' };

export function classifyTool(tool: string, input: unknown): ToolKind {
  const fields = input && typeof input === 'object' && !Array.isArray(input) ? input as Record<string, unknown> : {};
  const command = fields.command ?? fields.cmd;
  if (SHELL.test(tool)) {
    if (typeof input === 'string') return { kind: 'shell', command: input };
    if (typeof command === 'string') return { kind: 'shell', command };
    if (Array.isArray(command)) return { kind: 'shell', command: command.map(String).join(' ') };
  }
  const path = PATH_FIELDS.map((name) => fields[name]).find((value): value is string => typeof value === 'string' && value.trim() !== '');
  if (!path) return { kind: 'other' };
  const action = (typeof command === 'string' ? EDITOR_COMMANDS[command] : undefined) ?? actionOf(tool);
  return action ? { kind: 'file', action, path } : { kind: 'other' };
}

function actionOf(tool: string): FileAction | undefined {
  const name = tool.toLowerCase();
  if (/write|edit|create|replace|patch|insert|append|save|update|modify|delete|remove|rename|move/.test(name)) return 'write';
  if (/read|view|open|cat|show|get_file/.test(name)) return 'read';
  if (/list|ls|tree|dir/.test(name)) return 'list';
  if (/search|grep|find|glob/.test(name)) return 'search';
  return undefined;
}

const ACTION_LABELS: Record<FileAction, string> = { write: 'Wrote', read: 'Read', list: 'Listed', search: 'Searched' };

/** "Read", "Wrote"...: what a file tool did, as the row's label. */
export function fileActionLabel(action: FileAction): string {
  return ACTION_LABELS[action];
}
