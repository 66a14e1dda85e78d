/** The shape of a review hunk, alone: the webview bundle reads edit records' types through it. */

/** One hunk of an agent change (jsdiff's structured hunk: ' ', '-', '+' and '\' lines). */
export interface ReviewHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}
