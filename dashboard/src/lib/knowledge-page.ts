/** A pasted page's title: its address without the scheme, else the first line of the text. */
export function pageTitle(url: string, text: string): string {
  const fromUrl = url
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/$/, '')
  const firstLine = text.trim().split('\n')[0]?.trim() ?? ''
  return (fromUrl || firstLine || 'Help-centre page').slice(0, 300)
}
