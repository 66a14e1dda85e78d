/** What an event row needs from its run: identity, the host channel and per-run lookups. */
import type { EditView, ViewMessage } from '../core/viewProtocol';

export interface RowContext {
  readonly localId: string;
  post(message: ViewMessage): void;
  /** The host's view of the edit that came from the file_edit event with this seq. */
  edit(seq: number): EditView | undefined;
  /** The full text of a cut event, once the host sent it (`fullOutput`). */
  fullText(seq: number): string | undefined;
  /** Whether the user opened (true) or closed (false) this block; undefined: never toggled. */
  toggled(rowId: string, part: string): boolean | undefined;
  setToggled(rowId: string, part: string, open: boolean): void;
  /** The sandbox folder event paths live in, to show them workspace-relative. */
  readonly sandboxRoot?: string;
  /** Whether this run changed the file a tool named (then the tool's path links to that change). */
  hasEdit(path: string): boolean;
  /** Shows this run's change of the file: its card, or its diff when the card is not rendered. */
  openPath(path: string): void;
}

/** A rendered row: its element, and a way to bring it up to date with its model. */
export interface RowView {
  readonly element: HTMLElement;
  update(): void;
}
