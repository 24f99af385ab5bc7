import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

// A real OpenID Connect provider (oidc-provider, the certified Node implementation) on a loopback
// port, for the SSO tests: one registered client, accounts whose email is verified or not, and the
// provider's own development login and consent pages, which the tests submit like a browser would.

export interface TestAccount {
  email: string
  emailVerified: boolean
  name?: string
}

export interface TestProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** Requests the provider received (method and path), to show which calls reached it. */
  requests: string[]
  stop(): Promise<void>
}

export async function startOidcProvider(opts: {
  redirectUris: string[]
  /** Keyed by what is typed in the provider's login form (its account id, the `sub`). */
  accounts: Record<string, TestAccount>
  clientId?: string
  clientSecret?: string
}): Promise<TestProvider> {
  const clientId = opts.clientId ?? 'luneo-test'
  const clientSecret = opts.clientSecret ?? 'luneo-test-client-secret-0123456789'
  const requests: string[] = []
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end()
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`)
    handler(req, res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // PKCE is required of every client (S256 is the only method oidc-provider accepts).
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => {
      const a = opts.accounts[id]
      if (!a) return undefined
      return {
        accountId: id,
        claims: () => ({ sub: id, email: a.email, email_verified: a.emailVerified, name: a.name }),
      }
    },
  })
  // No console noise from the provider's expected refusals (the tests provoke them on purpose).
  provider.on('server_error', () => {})
  handler = provider.callback()
  return {
    issuer,
    clientId,
    clientSecret,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

/**
 * Walks the provider's pages as a browser would: follows redirects (keeping the provider's
 * cookies), fills its login form with `login`, submits its consent form, and stops at the first
 * redirect to `stopAt` (the relying party's callback), which it returns.
 */
export async function authorizeAtProvider(
  authorizationUrl: string,
  login: string,
  stopAt: string,
): Promise<URL> {
  const jar = new Map<string, string>()
  let url = new URL(authorizationUrl)
  let init: RequestInit = {}
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    })
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';')
      const i = pair.indexOf('=')
      jar.set(pair.slice(0, i), pair.slice(i + 1))
    }
    const location = res.headers.get('location')
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url)
      if (url.href.startsWith(stopAt)) return url
      init = {}
      continue
    }
    const html = await res.text()
    if (res.status !== 200)
      throw new Error(`provider answered ${res.status} at ${url.pathname}: ${html.slice(0, 300)}`)
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html)
    if (!form) throw new Error(`no form at ${url.pathname}: ${html.slice(0, 300)}`)
    const fields = new URLSearchParams()
    for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
      fields.set(m[1]!, m[2]!)
    if (fields.get('prompt') === 'login') {
      fields.set('login', login)
      fields.set('password', 'any password: the development login does not check it')
    }
    url = new URL(form[1]!.replace(/&amp;/g, '&'), url)
    init = {
      method: 'POST',
      body: fields.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }
  }
  throw new Error('the provider did not redirect back within 20 hops')
}
