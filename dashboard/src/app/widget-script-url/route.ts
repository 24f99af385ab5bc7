// Where visitors' browsers load the widget from: the API's public address, which only the server
// knows (LUNEO_WIDGET_API_URL, else LUNEO_API_URL, read per request like the /api proxy). The
// snippet must name the API itself: widget.js talks to the origin it was loaded from.
export const dynamic = 'force-dynamic'

export function GET(): Response {
  const base = process.env.LUNEO_WIDGET_API_URL ?? process.env.LUNEO_API_URL ?? 'http://127.0.0.1:3000'
  return Response.json({ scriptUrl: new URL('/widget.js', base).toString() })
}
