// The `edit` frame as the node page handles it, without the DOM (unit-tested): what it may open,
// and the size of what it would send.

/** What a page may open: the `edit` of an `output` frame, checked (the frame is the server's). */
export function editOf(v: unknown): { path: string; text: string } | null {
  const e = v as { path?: unknown; text?: unknown } | null;
  return e && typeof e === 'object' && typeof e.path === 'string' && typeof e.text === 'string' ? { path: e.path, text: e.text } : null;
}

/** Bytes of the `edit` frame the page would send (the server closes the socket past MAX_FRAME_BYTES). */
export function editFrameBytes(path: string, text: string): number {
  return new TextEncoder().encode(JSON.stringify({ type: 'edit', path, text, id: 999_999 })).byteLength;
}
