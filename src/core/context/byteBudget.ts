/**
 * Sizes in UTF-8 bytes (what goes over the wire), cutting text at a character boundary, and the
 * size labels the composer's chips show ("2.4 KB", "cut to 64 KB").
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** The longest start of `text` that fits in `maxBytes` UTF-8 bytes, never half a character. */
export function cutToBytes(text: string, maxBytes: number): { text: string; cut: boolean } {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return { text, cut: false };
  let end = Math.max(0, maxBytes);
  // Back off over continuation bytes (10xxxxxx) so the cut lands before a character, not in it.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return { text: decoder.decode(bytes.subarray(0, end)), cut: true };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) {
    const kb = bytes / 1024;
    return `${kb < 10 ? (Math.round(kb * 10) / 10).toString() : Math.round(kb).toString()} KB`;
  }
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? (Math.round(mb * 10) / 10).toString() : Math.round(mb).toString()} MB`;
}
