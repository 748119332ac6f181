/** JSON 501 response used by placeholder handlers. */
export function notImplemented(message: string): Response {
  return Response.json({ error: { code: "not_implemented", message } }, { status: 501 });
}
