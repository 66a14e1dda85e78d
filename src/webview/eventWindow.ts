/**
 * Which rows of a run are in the DOM: always a suffix of the row list, at most `limit` long, so a
 * run of tens of thousands of events keeps a bounded DOM. "Show more" widens the window by one
 * step towards the start. Pure bookkeeping; the renderer does what the returned plan says.
 */
export const WINDOW_STEP = 300;

export interface AppendPlan {
  /** Rendered rows to remove from the front. */
  dropFront: number;
  /** Index of the first new row to render (rows before it are skipped: they would be dropped at once). */
  renderFrom: number;
}

export class EventWindow {
  /** Index of the first rendered row. */
  first = 0;
  /** Number of rows known (rendered or hidden). */
  total = 0;

  constructor(public limit = WINDOW_STEP) {}

  get rendered(): number {
    return this.total - this.first;
  }

  /** Rows appended to the list: what to drop and from where to render. */
  append(count: number): AppendPlan {
    const oldFirst = this.first;
    const oldTotal = this.total;
    this.total += count;
    this.first = Math.max(this.first, this.total - this.limit);
    return {
      dropFront: Math.min(this.first, oldTotal) - oldFirst,
      renderFrom: Math.max(oldTotal, this.first),
    };
  }

  /** Widens the window; returns the range of rows to insert before the rendered ones. */
  showMore(step = WINDOW_STEP): { from: number; to: number } {
    const to = this.first;
    this.limit += step;
    this.first = Math.max(0, this.first - step);
    return { from: this.first, to };
  }
}
