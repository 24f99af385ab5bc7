import { redirect } from 'next/navigation'

// The executive overview is the first thing a signed-in person needs; the session check there
// sends anyone else to sign in.
export default function Home() {
  redirect('/overview')
}
