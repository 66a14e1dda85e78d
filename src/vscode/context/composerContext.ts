/**
 * The chat composer's context chips: what the next prompt sends in `context` beside its text.
 * The host keeps them (the webview only shows them and asks to add or remove one); they go with
 * the next chat prompt and are cleared once it started, or put back when it was refused.
 */
import * as vscode from 'vscode';
import { formatBytes } from '../../core/context/byteBudget';
import { addChip, totalBytes } from '../../core/context/chipSet';
import {
  chipView, contextFields, fileChip, MAX_CONTEXT_BYTES, openEditorsChip, problemsChip, selectionChip,
  type ContextChip, type ContextChipView, type ContextKind,
} from '../../core/context/contextItems';
import { readActiveFile, readOpenEditors, readProblems, readSelection, readWorkspaceFile, type Read } from './contextSources';
import { pickContextKind, pickProblemsFile, pickWorkspaceFile, resolveWorkspacePath } from './pickContext';

/** `runtools.addContext`'s argument: with a kind (and for a file or problems, a path) it asks nothing. */
export interface AddContextArgs { kind?: ContextKind; path?: string }

export type AddContextResult = { added: ContextChipView } | { refused: string } | { dismissed: true };

export class ComposerContext implements vscode.Disposable {
  private chips: ContextChip[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  public readonly onDidChange = this.changed.event;

  public get views(): ContextChipView[] {
    return this.chips.map(chipView);
  }

  /** "12 KB of 256 KB" */
  public get sizeLabel(): string {
    return `${formatBytes(totalBytes(this.chips))} of ${formatBytes(MAX_CONTEXT_BYTES)}`;
  }

  /** Reads what to attach (asking which when not told), and adds its chip. */
  public async add(args: AddContextArgs = {}): Promise<AddContextResult> {
    let kind = args.kind;
    let pick = false;
    if (!kind) {
      const chosen = await pickContextKind();
      if (!chosen) return { dismissed: true };
      ({ kind, pick } = chosen);
    }
    const built = await this.build(kind, args.path, pick);
    if ('dismissed' in built) return built;
    if (!built.ok) return { refused: built.message };
    const result = addChip(this.chips, built.value);
    if (!result.ok) return { refused: result.message };
    this.chips = result.chips;
    this.changed.fire();
    return { added: chipView(result.chip) };
  }

  public remove(id: string): boolean {
    const next = this.chips.filter((chip) => chip.id !== id);
    if (next.length === this.chips.length) return false;
    this.chips = next;
    this.changed.fire();
    return true;
  }

  /** The chips for a prompt being sent, and the composer is empty again. */
  public take(): ContextChip[] {
    const taken = this.chips;
    if (!taken.length) return taken;
    this.chips = [];
    this.changed.fire();
    return taken;
  }

  /** A prompt that did not start gets its chips back (before any added meanwhile). */
  public restore(chips: readonly ContextChip[]): void {
    if (!chips.length) return;
    const ids = new Set(this.chips.map((chip) => chip.id));
    this.chips = [...chips.filter((chip) => !ids.has(chip.id)), ...this.chips];
    this.changed.fire();
  }

  /** The request's `context` fields for chips (see core/context/contextItems.ts). */
  public static fields(chips: readonly ContextChip[]): Record<string, unknown> {
    return contextFields(chips);
  }

  private async build(kind: ContextKind, given: string | undefined, pick: boolean): Promise<Read<(limit: number) => ContextChip> | { dismissed: true }> {
    const wrap = <T>(read: Read<T>, make: (value: T, limit: number) => ContextChip): Read<(limit: number) => ContextChip> =>
      read.ok ? { ok: true, value: (limit) => make(read.value, limit) } : read;
    switch (kind) {
      case 'selection':
        return wrap(readSelection(), selectionChip);
      case 'openEditors':
        return wrap(readOpenEditors(), openEditorsChip);
      case 'file': {
        if (!given && !pick) return wrap(readActiveFile(), fileChip);
        const uri = given ? await resolveWorkspacePath(given) : await pickWorkspaceFile();
        if (!uri) return given ? { ok: false, message: `There is no file ${given} in this workspace.` } : { dismissed: true };
        return wrap(await readWorkspaceFile(uri), fileChip);
      }
      case 'problems': {
        const target = given ? await resolveWorkspacePath(given) : await pickProblemsFile(pick);
        if (!target) return given ? { ok: false, message: `There is no file ${given} in this workspace.` } : { dismissed: true };
        if ('none' in target) return { ok: false, message: target.none };
        return wrap(readProblems(target), (value, limit) => problemsChip(value.path, value.problems, limit));
      }
    }
  }

  public dispose(): void {
    this.changed.dispose();
  }
}
