// The test identity provider as a process, for the dashboard's browser test (which may not import
// the API's code): `OIDC_REDIRECT_URIS` (comma-separated) and `OIDC_ACCOUNTS` (JSON, as
// startOidcProvider takes them). Prints one JSON line — issuer, client id and secret — once it
// listens, and stops on SIGTERM.
import { startOidcProvider, type TestAccount } from './oidc-provider.js'

const provider = await startOidcProvider({
  redirectUris: (process.env.OIDC_REDIRECT_URIS ?? '').split(',').filter(Boolean),
  accounts: JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}') as Record<string, TestAccount>,
})
process.stdout.write(
  `${JSON.stringify({ issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret })}\n`,
)
process.once('SIGTERM', () => void provider.stop().then(() => process.exit(0)))
