import type { NextConfig } from 'next'

// The API is reached through src/app/api/[...path]/route.ts (read at run time, so one build serves
// any LUNEO_API_URL), not through `rewrites`, which are fixed into the build's routes manifest.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
}

export default config
