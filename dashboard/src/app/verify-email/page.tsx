'use client'
import Link from 'next/link'
import { Empty, ErrorNote, Loading } from '@/components/states'
import { api, unwrap, type Schemas } from '@/lib/api'
import { useApi } from '@/lib/use-api'

/**
 * One request per token for the page's lifetime: a link works once, and React mounts an effect
 * twice in development (StrictMode), so a second POST would use the link up and show "not valid
 * any more" over the first one's success.
 */
const sent = new Map<string, Promise<Schemas['EmailVerified']>>()
function verify(token: string) {
  let p = sent.get(token)
  if (!p) {
    p = api.POST('/api/v1/auth/verify-email', { body: { token } }).then(unwrap)
    sent.set(token, p)
  }
  return p
}

/**
 * Where the verification email's link lands: `/verify-email#<token>`. The token rides in the
 * fragment, which browsers never send to a server; this page posts it once. No session needed:
 * the link may be opened on another device than the one that signed up.
 */
export default function VerifyEmail() {
  // The fragment is read in the effect (there is no window while the page is prerendered); no
  // token is an answer of its own (null), not a request.
  const s = useApi('verify-email', async () => {
    const token = decodeURIComponent(window.location.hash.slice(1))
    return token ? verify(token) : null
  })
  return (
    <main className="mx-auto flex max-w-md flex-col gap-4 p-6">
      <h1 className="text-2xl font-semibold">Verify your email</h1>
      {s.state === 'loading' ? <Loading what="your verification" /> : null}
      {s.state === 'ok' && !s.data ? (
        <Empty>This page opens from the link in the verification email; that link carries its token.</Empty>
      ) : null}
      {s.state === 'ok' && s.data ? (
        <p
          role="status"
          data-testid="email-verified"
          className="rounded border border-emerald-300 bg-emerald-50 p-4 text-emerald-950"
        >
          {s.data.email} is verified. Thank you.
        </p>
      ) : null}
      {s.state === 'error' ? (
        <>
          <ErrorNote error={s.error} />
          <p className="text-sm text-gray-700">
            Links work once, for 24 hours. Sign in and choose “Email me a new link” on the banner.
          </p>
        </>
      ) : null}
      <Link className="text-blue-800 underline" href="/overview">
        Go to Luneo
      </Link>
    </main>
  )
}
